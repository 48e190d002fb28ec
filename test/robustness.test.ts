// Bad input must never crash: every run ends with a report or a clean exit 2, never an internal error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../src/cli/main.js';
import { manifestFiles } from '../src/load/files.js';
import { examples, fixture } from './helpers.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function runQuietly(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run([...args, '--no-color'], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-robust-'));
const sources = ['three-tier', 'pitfalls', 'multi-tenant', 'egress-cidr', 'live-dump'].flatMap((e) => manifestFiles(examples(e))).map((f) => fs.readFileSync(f, 'utf8'));

const MUTATIONS: ((text: string, r: () => number) => string)[] = [
  (t, r) => t.slice(0, Math.floor(r() * t.length)), // truncated anywhere
  (t, r) => { const l = t.split('\n'); l.splice(Math.floor(r() * l.length), 1); return l.join('\n'); }, // a line lost
  (t, r) => { const l = t.split('\n'); const i = Math.floor(r() * l.length); l[i] = `  ${l[i]}`; return l.join('\n'); }, // indentation broken
  (t, r) => { const i = Math.floor(r() * t.length); return t.slice(0, i) + '{[:&*!|>%@`' [Math.floor(r() * 11)] + t.slice(i); }, // stray YAML character
  (t, r) => t.replace(/: ([^\n{[]+)/g, (m, v) => (r() < 0.15 ? `: ${r() < 0.5 ? '[]' : r() < 0.5 ? '{}' : r() < 0.5 ? '~' : 12345}` : m)), // wrong types
  (t, r) => t.replace(/^(\s*)- /gm, (m, s) => (r() < 0.2 ? `${s}` : m)), // list items turned into maps
  (t, r) => t.replace(/(port|cidr|operator|protocol): .*/g, (m, k) => (r() < 0.3 ? `${k}: ${['-1', 'abc', '"80"', '10.0.0.0/99', 'Equals', 'tcp', '999999'][Math.floor(r() * 7)]}` : m)),
];

test('truncated and mutated copies of the examples never crash', async () => {
  const r = rng(7);
  let runs = 0;
  for (let i = 0; i < 140; i++) {
    const source = sources[i % sources.length];
    const mutate = MUTATIONS[i % MUTATIONS.length];
    const file = path.join(tmp, `m${i}.yaml`);
    fs.writeFileSync(file, mutate(source, r));
    for (const cmd of [['matrix', file, '-o', 'json'], ['inspect', file]]) {
      const out = await runQuietly(cmd);
      runs++;
      assert.ok(out.code === 0 || out.code === 2, `exit ${out.code} for ${cmd.join(' ')}\n${out.stderr}`);
      assert.not.match(out.stderr, /internal error|\n\s+at /, `${cmd.join(' ')}:\n${out.stderr}\n--- input:\n${fs.readFileSync(file, 'utf8')}`);
      if (out.code === 0 && cmd[0] === 'matrix') JSON.parse(out.stdout);
    }
  }
  assert.is(runs, 280);
});

test('an alias bomb is refused with exit 2', async () => {
  const out = await runQuietly(['inspect', fixture('bad/alias-bomb.yaml')]);
  assert.is(out.code, 2);
  assert.match(out.stderr, /alias bomb/);
});

test('a 50 MB manifest loads without trouble', async () => {
  const file = path.join(tmp, 'big.yaml');
  const padding = 'x'.repeat(4000);
  const parts = ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: big\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: big}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n'];
  let size = parts[0].length;
  for (let i = 0; size < 50 * 1024 * 1024; i++) {
    const doc = `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: big\n  labels: {app: app-${i % 50}}\n  annotations:\n    note: ${padding}\nspec:\n  containers:\n    - name: c\n      image: x\nstatus: {phase: Running, podIP: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}}\n`;
    parts.push(doc);
    size += doc.length;
  }
  fs.writeFileSync(file, parts.join(''));
  const out = await runQuietly(['matrix', file, '-o', 'json', '--no-external']);
  assert.is(out.code, 0, out.stderr);
  const doc = JSON.parse(out.stdout);
  assert.is(doc.connections.length, 0);
  assert.ok(doc.endpoints.length > 10_000);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
