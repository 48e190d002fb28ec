import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeText } from '../src/load/decode.js';
import { loadPaths, manifestFiles } from '../src/load/files.js';
import { parseSource } from '../src/load/parse.js';
import { PositionResolver } from '../src/load/positions.js';
import { SourceTexts } from '../src/load/sources.js';
import { YamlLocator } from '../src/load/yaml-locator.js';
import { splitYamlDocuments } from '../src/load/documents.js';
import { fixture } from './helpers.js';

test('multi-document YAML yields one object per document', () => {
  const { objects } = parseSource('x.yaml', 'kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n---\nkind: Namespace\napiVersion: v1\nmetadata: {name: b}\n', false);
  assert.equal(objects.map((o) => o.body.metadata), [{ name: 'a' }, { name: 'b' }]);
});

test('each document remembers the line it starts on', () => {
  const { objects } = parseSource('x.yaml', '# header\nkind: A\n---\n\nkind: B\n', false);
  assert.equal(objects.map((o) => [o.kind, o.origin.docIndex, o.origin.docLine]), [['A', 0, 1], ['B', 1, 3]]);
});

test('empty and comment-only documents are skipped without a problem', async () => {
  const r = await loadPaths([fixture('forms/comments-only.yaml')]);
  assert.equal(r.objects.length, 0);
  assert.equal(r.problems, []);
});

test('typed lists give their items the kind of the list', async () => {
  const r = await loadPaths([fixture('forms/podlist.json')]);
  assert.equal(r.objects.map((o) => [o.kind, o.apiVersion, o.origin.pathPrefix]), [['Pod', 'v1', ['items', 0]], ['Pod', 'v1', ['items', 1]]]);
});

test('kind: List items keep their own kinds', () => {
  const { objects } = parseSource('l.yaml', 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n', false);
  assert.equal(objects.map((o) => o.kind), ['Namespace', 'Pod']);
});

test('JSON files are parsed as JSON', () => {
  const { objects } = parseSource('x.json', '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}', true);
  assert.is(objects[0].kind, 'Namespace');
});

test('invalid JSON is an error with a line and column', () => {
  const { problems } = parseSource('x.json', '{\n  "kind": "Namespace",\n  oops\n}', true);
  assert.is(problems[0].severity, 'error');
  assert.is(problems[0].line, 3);
});

test('a YAML syntax error names the line of the document in the file', () => {
  const { problems } = parseSource('x.yaml', 'kind: A\n---\nkind: B\nfoo: [1,\n  bar: baz: x\n', false);
  assert.is(problems.length, 1);
  assert.ok(problems[0].line! >= 4, `line ${problems[0].line}`);
  assert.match(problems[0].message, /YAML syntax error/);
});

test('one bad document does not hide the others in the same file', () => {
  const { objects, problems } = parseSource('x.yaml', 'kind: A\n---\nfoo: [\n---\nkind: C\n', false);
  assert.equal(objects.map((o) => o.kind), ['A', 'C']);
  assert.is(problems.length, 1);
});

test('documents that are not Kubernetes objects are skipped with a warning', async () => {
  const r = await loadPaths([fixture('bad/not-kubernetes.json')]);
  assert.is(r.objects.length, 0);
  assert.is(r.problems[0].severity, 'warning');
  assert.match(r.problems[0].message, /no `kind`/);
});

test('anchors and aliases inside a document work', async () => {
  const r = await loadPaths([fixture('forms/anchors.yaml')]);
  assert.equal((r.objects[0].body as any).spec.template.metadata.labels, { app: 'web', tier: 'front' });
});

test('an alias bomb is refused with a clear error instead of exhausting memory', async () => {
  const r = await loadPaths([fixture('bad/alias-bomb.yaml')]);
  assert.is(r.objects.length, 0);
  assert.match(r.problems[0].message, /alias bomb/);
});

test('custom tags that would construct code are rejected', () => {
  const { problems } = parseSource('x.yaml', 'kind: A\nx: !!js/function "function () {}"\n', false);
  assert.is(problems[0].severity, 'error');
});

test('Helm "# Source:" comments are kept per document', () => {
  const docs = splitYamlDocuments('---\n# Source: chart/templates/a.yaml\nkind: A\n---\n# Source: chart/templates/b.yaml\nkind: B\n');
  assert.equal(docs.filter((d) => d.text.trim()).map((d) => d.helmSource), ['chart/templates/a.yaml', 'chart/templates/b.yaml']);
});

test('folders are read recursively, skipping hidden folders, node_modules and other extensions', () => {
  const files = manifestFiles(fixture('folder')).map((f) => f.slice(fixture('folder').length + 1));
  assert.equal(files, ['sub/nested.yml', 'top.yaml']);
});

test('a file named explicitly is read whatever its extension', async () => {
  const r = await loadPaths([fixture('folder/notes.txt')]);
  assert.is(r.problems.length, 1); // read, then skipped: it has no kind
});

test('- reads standard input', async () => {
  const r = await loadPaths(['-'], { readStdin: async () => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: piped}\n' });
  assert.is(r.objects[0].origin.file, '<stdin>');
  assert.is(r.stdinText?.includes('piped'), true);
});

test('a missing path is an input error', async () => {
  try {
    await loadPaths([fixture('does-not-exist.yaml')]);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /no such file or folder/);
  }
});

test('positions resolve a JSON path to line and column', async () => {
  const r = await loadPaths([fixture('bad/invalid-policy.yaml')]);
  const pos = new PositionResolver().resolve(r.objects[0].origin, ['spec', 'ingress', 0, 'ports', 0, 'port']);
  assert.equal([pos.line, pos.column], [14, 17]);
});

test('positions inside List items include the item path', async () => {
  const r = await loadPaths([fixture('forms/podlist.json')]);
  const pos = new PositionResolver().resolve(r.objects[1].origin, ['metadata', 'name']);
  assert.is(pos.line, 6);
});

test('the loader tells JSON from flow-style YAML that also starts with a brace', () => {
  assert.is(parseSource('a.json', '{"kind": "Namespace", "metadata": {"name": "a"}}', true).json, true);
  assert.is(parseSource('a.yaml', '{kind: Namespace, metadata: {name: a}}', false).json, false);
});

test('positions come from the texts kept at loading, without reading the files again', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-kept-'));
  const file = path.join(dir, 'list.json');
  fs.writeFileSync(file, '{"kind": "List", "items": [\n  {"kind": "Namespace", "metadata": {"name": "a"}},\n  {"kind": "Namespace",\n   "metadata": {"name": "b"}}]}\n');
  const r = await loadPaths([file], { keepTexts: true });
  fs.rmSync(dir, { recursive: true });
  const pos = new PositionResolver(new SourceTexts({ kept: r.texts, json: r.jsonSources })).resolve(r.objects[1].origin, ['metadata', 'name']);
  assert.equal([pos.line, pos.column], [4, 25]);
});

test('positions of stdin documents come from the kept text', () => {
  const text = 'kind: A\n---\nkind: B\nspec:\n  x: 1\n';
  const { objects } = parseSource('<stdin>', text, false);
  const pos = new PositionResolver(new SourceTexts({ stdinText: text })).resolve(objects[1].origin, ['spec', 'x']);
  assert.equal([pos.line, pos.column], [5, 6]);
});

test('positions inside a big YAML List come from the item alone, at the same line and column', () => {
  const pods = Array.from({ length: 8000 }, (_, i) => `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: pod-${i}\n    labels: {app: a${i % 7}}\n  spec:\n    containers:\n    - name: c\n      image: registry.example.com/app:1.0\n`).join('');
  const policy = '- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata: {name: p, namespace: x}\n  spec:\n    podSelector: {}\n    ingress:\n    - ports:\n      - port: 70000\n';
  const text = `apiVersion: v1\nkind: List\nitems:\n${pods}${policy}metadata: {}\n`;
  assert.ok(text.length > 1_000_000);
  const { objects } = parseSource('<stdin>', text, false);
  const pos = new PositionResolver(new SourceTexts({ stdinText: text })).resolve(objects[objects.length - 1].origin, ['spec', 'ingress', 0, 'ports', 0, 'port']);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('port: 70000')) + 1;
  assert.equal([pos.line, pos.column], [line, lines[line - 1].indexOf('70000') + 1]);
});

const YAML_FORMS = 'metadata:\n  name: web   # the name\nspec:\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: a}}}, {ipBlock: {cidr: 10.0.0.0/8}}]\n    ports:\n    -   port: 80\n';

test('the YAML locator finds values in block and flow style, after comments and odd indentation', () => {
  const at = (path: (string | number)[]) => {
    const loc = new YamlLocator(YAML_FORMS);
    const c = loc.lineColumn(loc.range(path)![0]);
    return [c.line, c.col];
  };
  assert.equal(at(['metadata', 'name']), [2, 9]);
  assert.equal(at(['spec', 'ingress', 0, 'from', 1, 'ipBlock', 'cidr']), [5, 69]);
  assert.equal(at(['spec', 'ingress', 0, 'ports', 0, 'port']), [7, 15]);
});

test('the YAML locator stops at the deepest part of a path that exists', () => {
  const loc = new YamlLocator(YAML_FORMS);
  assert.equal(loc.range(['spec', 'ingress', 0, 'nothing', 3]), loc.range(['spec', 'ingress', 0]));
  assert.equal(loc.range(['spec', 'ingress', 5]), loc.range(['spec', 'ingress']));
});

test('the YAML locator can point at a key rather than its value', () => {
  const loc = new YamlLocator(YAML_FORMS);
  const c = loc.lineColumn(loc.range(['spec', 'ingress', 0, 'ports'], true)![0]);
  assert.equal([c.line, c.col], [6, 5]);
});

test('positions survive tags that the fast reading does not know', () => {
  const text = 'kind: A\nspec:\n  replicas: !!int 3\n  x: 1\n';
  const { objects } = parseSource('<stdin>', text, false);
  const pos = new PositionResolver(new SourceTexts({ stdinText: text })).resolve(objects[0].origin, ['spec', 'x']);
  assert.equal([pos.line, pos.column], [4, 6]);
});

test.run();

test('a file with characters beyond ASCII is read as UTF-8, with or without a byte order mark', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-utf8-'));
  const manifest = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: café\n  labels:\n    team: \u00e9quipe-\u65e5\u672c\n';
  fs.writeFileSync(path.join(dir, 'plain.yaml'), manifest);
  fs.writeFileSync(path.join(dir, 'bom.json'), `\ufeff${JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'd\u00e9j\u00e0' } })}`);
  const r = await loadPaths([dir]);
  assert.equal(r.problems, []);
  assert.equal(r.objects.map((o) => (o.body.metadata as { name: string }).name), ['déjà', 'café']);
  assert.is((r.objects[1].body.metadata as { labels: Record<string, string> }).labels.team, 'équipe-日本');
});

test('ASCII and UTF-8 bytes decode to the same text as Buffer#toString', () => {
  for (const text of ['kind: Pod\n', '', 'name: caf\u00e9\n', '\ufeff{}', 'x\u{1f600}y']) {
    assert.is(decodeText(Buffer.from(text, 'utf8')), text);
  }
});
