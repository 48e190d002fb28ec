import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheFileOf, loadBundle, writeCodeCache } from '../src/cli/launch.js';
import { root } from './helpers.js';

/** A small CommonJS bundle in a fresh folder. */
function bundleFile(source = 'exports.answer = function answer() { return 6 * 7; };\n'): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-launch-')), 'bundle.cjs');
  fs.writeFileSync(file, source);
  return file;
}

/**
 * Loads the bundle in a new process and says whether the cache was used and what the bundle answers. A process
 * that has compiled the same text already takes it from V8's in-memory cache and never reads the file's.
 */
function loadFresh(file: string): { cacheUsed: boolean; answer: number } {
  const launcher = path.join(root, 'dist/cli/launch.js');
  const script = `const { loadBundle } = await import(${JSON.stringify(launcher)}); const b = loadBundle(${JSON.stringify(file)}); console.log(JSON.stringify({ cacheUsed: b.cacheUsed, answer: b.exports.answer() }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const warmUp = async (exports: Record<string, unknown>) => {
  (exports.answer as () => number)();
};

test('a bundle runs without a code cache', () => {
  const b = loadBundle(bundleFile());
  assert.is((b.exports.answer as () => number)(), 42);
  assert.is(b.cacheUsed, false);
});

test('a bundle runs with the code cache written for it', async () => {
  const file = bundleFile();
  await writeCodeCache(file, warmUp);
  assert.equal(loadFresh(file), { cacheUsed: true, answer: 42 });
});

test('a bundle rebuilt after its cache was written is compiled afresh, not run from the old cache', async () => {
  const file = bundleFile();
  await writeCodeCache(file, warmUp);
  // Same length as before, which is all V8 itself compares: only the build line tells the two apart.
  fs.writeFileSync(file, 'exports.answer = function answer() { return 6 * 9; };\n');
  assert.equal(loadFresh(file), { cacheUsed: false, answer: 54 });
});

test('a code cache from another build of the bundle is not used', async () => {
  const file = bundleFile();
  await writeCodeCache(file, warmUp);
  const cache = fs.readFileSync(cacheFileOf(file));
  fs.writeFileSync(cacheFileOf(file), Buffer.concat([cache.subarray(0, 25), Buffer.from('0'), cache.subarray(26)]));
  assert.equal(loadFresh(file), { cacheUsed: false, answer: 42 });
});

test('a damaged code cache is refused by V8 and the bundle still runs', async () => {
  const file = bundleFile();
  await writeCodeCache(file, warmUp);
  const cache = fs.readFileSync(cacheFileOf(file));
  const header = cache.indexOf('\n', cache.indexOf('\n') + 1) + 1;
  fs.writeFileSync(cacheFileOf(file), Buffer.concat([cache.subarray(0, header), Buffer.alloc(cache.length - header, 7)]));
  assert.equal(loadFresh(file), { cacheUsed: false, answer: 42 });
});

test('writing the cache twice keeps one build line', async () => {
  const file = bundleFile();
  await writeCodeCache(file, warmUp);
  const first = fs.readFileSync(file, 'utf8');
  await writeCodeCache(file, warmUp);
  assert.is(fs.readFileSync(file, 'utf8'), first);
  assert.equal(loadFresh(file), { cacheUsed: true, answer: 42 });
});

test('the built CLI bundle has a code cache that V8 accepts', () => {
  const bundle = path.join(root, 'dist/bundle/netpol.cjs');
  const script = `const { loadBundle } = await import(${JSON.stringify(path.join(root, 'dist/cli/launch.js'))}); const b = loadBundle(${JSON.stringify(bundle)}); console.log(b.cacheUsed, typeof b.exports.run);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(r.stdout.trim(), 'true function', 'npm run build writes dist/bundle/netpol.cjs.cache for this Node version');
});

test('exitWhenFlushed ends with the code given, after a slow reader has taken all of stdout and stderr', async () => {
  const launcher = path.join(root, 'dist/cli/launch.js');
  // 4 MB to stdout in pieces, more than a pipe holds, then a line to stderr, then the exit.
  const script = `const { exitWhenFlushed } = await import(${JSON.stringify(launcher)});
    const piece = 'x'.repeat(1023) + '\\n';
    for (let i = 0; i < 4096; i++) process.stdout.write(piece);
    process.stderr.write('done\\n');
    await exitWhenFlushed(3);
    process.stdout.write('never');`;
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = 0;
  let stderr = '';
  child.stdout.pause();
  setTimeout(() => child.stdout.resume(), 300); // the child writes everything before anyone reads
  child.stdout.on('data', (d: Buffer) => (stdout += d.length));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.is(code, 3);
  assert.is(stdout, 4096 * 1024);
  assert.is(stderr, 'done\n');
});

test.run();
