import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBigSource } from '../src/load/big-file.js';
import { loadPaths } from '../src/load/files.js';
import { parseSource } from '../src/load/parse.js';
import type { RawObject } from '../src/load/types.js';

const pod = (i: number, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'x', labels: { app: `a${i % 3}` } }, spec: { containers: [{ name: 'c', image: 'i' }] }, ...extra });
const same = (objects: RawObject[]) => objects.map((o) => ({ kind: o.kind, apiVersion: o.apiVersion, body: o.body, docIndex: o.origin.docIndex, docLine: o.origin.docLine, pathPrefix: o.origin.pathPrefix, helmSource: o.origin.helmSource }));

test('a big JSON List is read item by item into the same objects as a whole read', () => {
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [pod(0), pod(1, { status: { podIP: '10.0.0.1' } }), pod(2)] };
  for (const text of [JSON.stringify(list), JSON.stringify(list, null, 2)]) {
    const big = parseBigSource('big.json', Buffer.from(text));
    assert.equal(same(big.objects), same(parseSource('big.json', text, true).objects));
    assert.equal(big.problems, []);
  }
});

test('JSON strings with brackets, commas, escaped quotes and a nested items key do not cut items', () => {
  const tricky = pod(7, { metadata: { name: 'p7', namespace: 'x', annotations: { note: 'a "quoted" ],{ tricky, value\\\\', items: '[1,2]' } }, items: [{ a: 1 }] });
  const text = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items: [tricky, pod(8)] }, null, 1);
  const big = parseBigSource('big.json', Buffer.from(text));
  assert.equal(same(big.objects), same(parseSource('big.json', text, true).objects));
});

test('items of a big JSON List remember their own line', () => {
  const text = JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [pod(0), pod(1)] }, null, 2);
  const big = parseBigSource('big.json', Buffer.from(text));
  const lines = text.split('\n');
  const firstItemLine = lines.findIndex((l) => l === '    {') + 1;
  assert.is(big.objects[0].origin.itemLine, firstItemLine);
  assert.ok(big.objects[1].origin.itemLine! > firstItemLine);
});

test('YAML documents of a big file split as in a whole read, Helm sources and end markers included', () => {
  const text = '# Source: chart/templates/a.yaml\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n...\n--- # comment\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: x}\n';
  const big = parseBigSource('big.yaml', Buffer.from(text));
  assert.equal(same(big.objects), same(parseSource('big.yaml', text, false).objects));
});

test('a YAML List document too big for one piece is read item by item, at the item lines', () => {
  const items = [0, 1, 2].map((i) => `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p${i}\n    namespace: x\n  spec:\n    containers:\n    - name: c\n      image: i\n`).join('');
  const text = `apiVersion: v1\nkind: List\nitems:\n${items}metadata:\n  resourceVersion: ""\n`;
  const big = parseBigSource('big.yaml', Buffer.from(text), 100);
  assert.equal(same(big.objects), same(parseSource('big.yaml', text, false).objects));
  assert.equal(big.objects.map((o) => o.origin.itemLine), [4, 13, 22]);
});

test('a big file that is not a List says so instead of failing silently', () => {
  const big = parseBigSource('big.json', Buffer.from(JSON.stringify({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' } })));
  assert.equal(big.objects, []);
  assert.match(big.problems[0].message, /too big to read whole, and it is not a JSON List with `items`/);
});

test('a syntax error in one item of a big YAML List is reported at its line; the other items load', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: a\n- kind: Pod\n  metadata: {name: b}\n';
  const big = parseBigSource('big.yaml', Buffer.from(text), 10);
  assert.equal(big.objects.map((o) => (o.body.metadata as { name: string }).name), ['b']);
  assert.is(big.problems[0].severity, 'error');
  assert.ok(big.problems[0].line! >= 4 && big.problems[0].line! <= 6);
});

test('loadPaths reads files from the big-file size on as bytes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-big-'));
  const file = path.join(dir, 'dump.json');
  fs.writeFileSync(file, JSON.stringify({ kind: 'List', apiVersion: 'v1', items: Array.from({ length: 50 }, (_, i) => pod(i)) }));
  const whole = await loadPaths([file]);
  const big = await loadPaths([file], { bigFileBytes: 1024 });
  assert.equal(big.objects.length, 50);
  assert.equal(big.objects.map((o) => o.body), whole.objects.map((o) => o.body));
  assert.ok(big.objects.every((o) => o.origin.itemLine === 1));
});

test('big input on standard input is cut into items too', async () => {
  const bytes = Buffer.from(JSON.stringify({ kind: 'List', apiVersion: 'v1', items: Array.from({ length: 50 }, (_, i) => pod(i)) }));
  const r = await loadPaths(['-'], { readStdin: async () => bytes, bigFileBytes: 1024 });
  assert.equal([r.objects.length, r.objects[0].origin.file, r.objects[0].origin.pathPrefix], [50, '<stdin>', ['items', 0]]);
  const small = await loadPaths(['-'], { readStdin: async () => bytes });
  assert.equal(small.objects.map((o) => o.body), r.objects.map((o) => o.body));
});

test.run();
