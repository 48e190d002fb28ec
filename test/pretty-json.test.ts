import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { writePrettyJson } from '../src/report/pretty-json.js';
import { Sink } from '../src/report/sink.js';

/** What writePrettyJson writes for `doc`, and in how many chunks, through a sink that flushes every 64 bytes. */
async function streamed<T>(doc: object, items: readonly T[], element: (item: T) => unknown, batch: number): Promise<{ text: string; chunks: number }> {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(Buffer.from(chunk)); done(); } });
  await writePrettyJson(new Sink(stream, 64), doc, items, element, batch);
  return { text: Buffer.concat(chunks).toString('utf8'), chunks: chunks.length };
}

const pretty = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;
const findings = Array.from({ length: 7 }, (_, i) => ({ rule: `r${i}`, message: i % 2 ? 'quote " and\nnewline, café 😀' : 'plain', related: i % 3 ? [] : [{ line: i }] }));
const asJson = (f: (typeof findings)[number]) => ({ ...f, extra: [1, [2, { deep: true }]] });

test('a streamed array one level down reads exactly as JSON.stringify writes the whole document', async () => {
  const doc = { schemaVersion: 1, findings, summary: { error: 0, names: ['a'] } };
  const { text } = await streamed(doc, findings, asJson, 3);
  assert.is(text, pretty({ ...doc, findings: findings.map(asJson) }));
});

test('a streamed array deep inside the document (SARIF results) is indented as JSON.stringify indents it', async () => {
  const log = { version: '2.1.0', runs: [{ tool: { driver: { rules: [{ id: 'x' }] } }, results: findings, after: {} }] };
  const { text } = await streamed(log, findings, asJson, 2);
  assert.is(text, pretty({ ...log, runs: [{ ...log.runs[0], results: findings.map(asJson) }] }));
});

test('a streamed array that is the whole document, or one element of another array, is written the same way', async () => {
  assert.is((await streamed(findings, findings, asJson, 4)).text, pretty(findings.map(asJson)));
  const doc = { lists: [[], findings, [3]] };
  assert.is((await streamed(doc, findings, asJson, 4)).text, pretty({ lists: [[], findings.map(asJson), [3]] }));
});

test('an empty streamed array is written as []', async () => {
  const doc = { findings: [] as typeof findings, summary: {} };
  assert.is((await streamed(doc, doc.findings, asJson, 4)).text, pretty(doc));
});

test('elements that stringify to nothing become null, as in any JSON array', async () => {
  const items = [1, 2, 3];
  assert.is((await streamed({ items }, items, (n) => (n === 2 ? undefined : n), 2)).text, pretty({ items: [1, null, 3] }));
});

test('a document holding the placeholder text elsewhere is still written exactly', async () => {
  const doc = { note: '\u0000netpol-streamed-array\u0000', findings };
  assert.is((await streamed(doc, findings, asJson, 2)).text, pretty({ ...doc, findings: findings.map(asJson) }));
});

test('a big array goes out in several chunks rather than as one string', async () => {
  const many = Array.from({ length: 200 }, (_, i) => ({ i }));
  const { text, chunks } = await streamed({ many }, many, (x) => x, 16);
  assert.is(text, pretty({ many }));
  assert.ok(chunks > 5, `${chunks} chunks`);
});

test.run();
