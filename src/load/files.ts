import fs from 'node:fs';
import path from 'node:path';
import { decodeText, readText } from './decode.js';
import { BIG_FILE_BYTES, parseBigSource } from './big-file.js';
import { parseSource } from './parse.js';
import type { LoadProblem, LoadResult, RawObject } from './types.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const STDIN = '<stdin>';

/** Thrown for input that cannot be read at all (a missing path, an unreadable folder). */
export class InputError extends Error {}

/**
 * Loads manifests from files, folders (recursively; hidden folders and node_modules skipped) and `-` (stdin).
 * A file named explicitly is read whatever its extension; inside folders only .yaml, .yml and .json count.
 */
export interface LoadOptions {
  readStdin?: () => Promise<string | Buffer>;
  /** Files at least this big are read item by item (big-file.ts). */
  bigFileBytes?: number;
  /** Keep the texts read, for a command that will report positions in them (see SourceTexts). */
  keepTexts?: boolean;
}

export async function loadPaths(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const { readStdin = readAllStdin, bigFileBytes = BIG_FILE_BYTES, keepTexts = false } = options;
  const objects: RawObject[] = [];
  const problems: LoadProblem[] = [];
  let stdinText: string | undefined;
  let stdinRead = false;
  const jsonSources = new Set<string>();
  const texts = new Map<string, string>();
  const take = (file: string, text: string) => {
    const r = parseSource(file, text, file.toLowerCase().endsWith('.json'));
    if (r.json) jsonSources.add(file);
    if (keepTexts) texts.set(file, text);
    for (const o of r.objects) objects.push(o);
    for (const p of r.problems) problems.push(p);
  };
  // Too big for one string: read as bytes and cut into items (big-file.ts).
  const takeBig = (file: string, bytes?: Buffer) => {
    let buf: Buffer;
    try {
      buf = bytes ?? fs.readFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(`${file}: cannot read${code === 'ERR_FS_FILE_TOO_LARGE' ? ': larger than 2 GB; split it into smaller files' : ` (${code ?? String(err)})`}`);
    }
    const r = parseBigSource(file, buf);
    for (const o of r.objects) objects.push(o);
    for (const p of r.problems) problems.push(p);
  };
  for (const p of paths.length ? paths : ['.']) {
    if (p === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const input = await readStdin();
      // Big input on stdin (kubectl get -A -o yaml | netpol ...) is cut into items like a big file.
      if (typeof input !== 'string' && input.length >= bigFileBytes) takeBig(STDIN, input);
      else {
        stdinText = typeof input === 'string' ? input : decodeText(input);
        take(STDIN, stdinText);
      }
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
    const files = stat.isDirectory() ? manifestFiles(p) : [p];
    for (const f of files) {
      let size = 0;
      try {
        size = fs.statSync(f).size;
      } catch {
        size = 0;
      }
      if (size >= bigFileBytes) {
        takeBig(f);
        continue;
      }
      let text: string;
      try {
        text = readText(f);
      } catch (err) {
        throw new InputError(`${f}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      take(f, text);
    }
  }
  return { objects, problems, stdinText, jsonSources, ...(keepTexts ? { texts } : {}) };
}

/** Manifest files below a folder, in a stable order so that output does not depend on the file system. */
export function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`${d}: cannot read folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        walk(full);
      } else if (MANIFEST_EXTENSIONS.has(path.extname(e.name).toLowerCase())) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out;
}

async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
