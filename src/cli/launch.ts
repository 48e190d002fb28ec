import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

// Runs a CommonJS bundle (the CLI, or the benchmark's parse floor) through V8's code cache. Compiling the bundle's
// functions costs a run 25-35 ms before it does anything; the cache, written at build time after a warm-up run,
// holds their bytecode. Node 20 has no compile cache of its own (module.enableCompileCache came with Node 22), and
// vm.Script takes cached data only for classic scripts, hence a CommonJS bundle.
//
// This module is not part of the bundle: bin/netpol imports it from dist/cli/ before the bundle exists in memory.

/** First line of a bundle whose code cache was written: `// netpol-build <id>`, the id also heads the cache file. */
const BUILD_LINE = '// netpol-build ';
const MAGIC = 'netpol-code-cache 1\n';

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** Whether V8 took the cached code (false without a cache, or with one from another Node or V8 version). */
  cacheUsed: boolean;
  /** The script's compiled code as it stands now, for the build's warm-up to write. */
  createCachedData(): Buffer;
}

export const cacheFileOf = (bundleFile: string) => `${bundleFile}.cache`;

/**
 * Loads the bundle with the cache beside it when the cache belongs to this very bundle text. V8 itself checks only
 * the source's length, the V8 version and its flags, so the bundle's first line carries an id that the cache file
 * repeats; a bundle rebuilt without a new cache has no such line (or another id) and is compiled as usual.
 */
export function loadBundle(bundleFile: string): LoadedBundle {
  const source = fs.readFileSync(bundleFile, 'utf8');
  const cachedData = source.startsWith(BUILD_LINE) ? readCache(cacheFileOf(bundleFile), source.slice(BUILD_LINE.length, source.indexOf('\n'))) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, netpolImport) {${source}\n})`, { filename: bundleFile, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  // `import()` in a vm script needs --experimental-vm-modules on Node 20; the bundle imports through this instead
  // (src/load/import-module.ts), which resolves from dist/ as the unbundled modules would.
  const netpolImport = (specifier: string) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile), netpolImport);
  return { exports: module.exports, cacheUsed: cachedData !== undefined && !script.cachedDataRejected, createCachedData: () => script.createCachedData() };
}

/**
 * Ends the process once stdout and stderr have taken everything written to them. A process left to end by itself
 * first waits for V8's background work (optimising compilations still queued or running: 20-30 ms when one of a
 * big function was started near the end) and then frees its whole heap, none of which a finished run needs.
 * An empty write calls back after every write before it, on pipes and files alike.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await new Promise((resolve) => process.stdout.write('', resolve));
  await new Promise((resolve) => process.stderr.write('', resolve));
  process.exit(code);
}

function readCache(file: string, id: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined; // no cache: compiled as usual
  }
  const header = `${MAGIC}${id}\n`;
  return data.length > header.length && data.toString('latin1', 0, header.length) === header ? data.subarray(header.length) : undefined;
}

/**
 * Gives a freshly built bundle its id line (a hash of its text), then runs `warmUp` on the loaded bundle so that
 * the functions it reaches are compiled, and writes their code as the bundle's cache. Build time only.
 */
export async function writeCodeCache(bundleFile: string, warmUp: (exports: Record<string, unknown>) => Promise<void>): Promise<{ bytes: number }> {
  const { createHash } = await import('node:crypto');
  let source = fs.readFileSync(bundleFile, 'utf8');
  if (source.startsWith(BUILD_LINE)) source = source.slice(source.indexOf('\n') + 1);
  const id = createHash('sha256').update(source).digest('hex').slice(0, 32);
  fs.writeFileSync(bundleFile, `${BUILD_LINE}${id}\n${source}`);
  fs.rmSync(cacheFileOf(bundleFile), { force: true });
  const bundle = loadBundle(bundleFile);
  await warmUp(bundle.exports);
  const data = bundle.createCachedData();
  fs.writeFileSync(cacheFileOf(bundleFile), Buffer.concat([Buffer.from(`${MAGIC}${id}\n`, 'latin1'), data]));
  return { bytes: data.length };
}
