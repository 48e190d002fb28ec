// Build step (npm run bundle): gives dist/bundle/netpol.cjs its code cache. The warm-up runs the everyday commands
// on the examples, as YAML and as a `kubectl get -o json` List, so that the functions they reach are compiled and
// cached; anything else compiles on first use, as without a cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { writeCodeCache } from './launch.js';

type Run = (argv: string[], io: { stdout: Writable; stderr: Writable }) => Promise<number>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = (name: string) => path.join(root, 'examples', name);
const bundle = path.join(root, 'dist/bundle/netpol.cjs');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-code-cache-'));
const jsonList = path.join(dir, 'cluster.json');
const items = yaml.loadAll(fs.readFileSync(examples('live-dump/cluster.yaml'), 'utf8')).flatMap((d) => ((d as { items?: unknown[] })?.items ?? [d]));
fs.writeFileSync(jsonList, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));

const RUNS: string[][] = [
  ['matrix', examples('three-tier'), '-o', 'json'],
  ['matrix', jsonList, '-o', 'json'],
  ['matrix', examples('three-tier')],
  ['matrix', jsonList, '-o', 'json', '--group'],
  ['lint', examples('pitfalls'), '-o', 'json'],
  ['lint', jsonList, '-o', 'sarif'],
  ['lint', examples('pitfalls')],
  ['inspect', examples('three-tier')],
  ['explain', 'shop/frontend', 'shop/api', examples('three-tier')],
  ['--version'],
];

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
try {
  const { bytes } = await writeCodeCache(bundle, async (exports) => {
    const run = exports.run as Run;
    for (const argv of RUNS) {
      let errors = '';
      const stderr = new Writable({ write: (chunk, _encoding, done) => ((errors += String(chunk)), done()) });
      // Exit 1 is lint's "findings at or above --fail-on", which the pitfall examples are there to have.
      const code = await run([...argv, '--no-color'], { stdout: discard(), stderr });
      if (code > 1) throw new Error(`warm-up run "netpol ${argv.join(' ')}" exited ${code}: ${errors}`);
    }
  });
  console.log(`code cache: ${(bytes / 1024).toFixed(0)} KiB for ${path.relative(root, bundle)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
