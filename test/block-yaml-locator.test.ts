import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { BlockYamlLocator } from '../src/load/block-yaml-locator.js';
import { splitYamlDocuments } from '../src/load/documents.js';
import { YamlLocator } from '../src/load/yaml-locator.js';
import type { JsonPath } from '../src/load/types.js';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** The text that a path's range covers, or undefined when the reader leaves it to the parser. */
const at = (text: string, p: JsonPath): string | undefined => {
  const r = new BlockYamlLocator(text).range(p);
  return r && text.slice(r[0], r[1]);
};

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every node's path, plus a missing key and a missing index under each, up to `cap` paths (alias bombs expand). */
function allPaths(value: unknown, cap = 5000): JsonPath[] {
  const paths: JsonPath[] = [];
  const visit = (v: unknown, p: (string | number)[]) => {
    if (paths.length >= cap) return;
    paths.push(p, [...p, 'not-there'], [...p, 99]);
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...p, k]);
  };
  visit(value, []);
  return paths;
}

test('wherever the indentation reader answers, it gives the range the YAML parser gives (fixtures and examples)', () => {
  let answered = 0;
  for (const file of [...yamlFiles(path.join(root, 'test/fixtures')), ...yamlFiles(path.join(root, 'examples'))]) {
    for (const doc of splitYamlDocuments(fs.readFileSync(file, 'utf8'))) {
      let value: unknown;
      let parsed: YamlLocator;
      try {
        value = yaml.load(doc.text);
        parsed = new YamlLocator(doc.text);
      } catch {
        continue; // broken on purpose: the parser has no answer to compare with
      }
      const fast = new BlockYamlLocator(doc.text);
      for (const p of allPaths(value)) {
        const got = fast.range(p);
        if (!got) continue;
        answered++;
        assert.equal(got, parsed.range(p), `${path.relative(root, file)} document ${doc.index} path ${JSON.stringify(p)}`);
      }
    }
  }
  // Kubernetes manifests are block YAML: nearly every path is answered without the parser.
  assert.ok(answered > 3000, `answered ${answered}`);
});

test('a path through a mapping and a sequence ends at the scalar', () => {
  const text = 'spec:\n  ingress:\n  - ports:\n    - port: 80\n      protocol: TCP\n';
  assert.is(at(text, ['spec', 'ingress', 0, 'ports', 0, 'protocol']), 'TCP');
  assert.is(at(text, ['spec', 'ingress', 0, 'ports', 0]), 'port: 80\n      protocol: TCP');
});

test('a missing key or index gives the deepest node that exists', () => {
  const text = 'metadata:\n  name: web\n';
  assert.is(at(text, ['metadata', 'labels', 'app']), 'name: web');
});

test('an item written as a flow mapping resolves to the value inside it', () => {
  const text = 'ports:\n- {port: 80, protocol: TCP}\n';
  assert.is(at(text, ['ports', 0, 'port']), '80');
  assert.is(at(text, ['ports', 0]), '{port: 80, protocol: TCP}');
  assert.is(at(text, ['ports', 0, 'endPort']), '{port: 80, protocol: TCP}');
});

test('a flow sequence on one line resolves item by item', () => {
  assert.is(at('policyTypes: [Ingress, "Egress"]\n', ['policyTypes', 1]), '"Egress"');
});

test('the last of duplicate keys wins, as when the document is loaded', () => {
  assert.is(at('a: 1\nb: 2\na: 3\n', ['a']), '3');
});

test('comments and blank lines do not end a block', () => {
  const text = 'spec:\n  # the pods\n\n  podSelector: {}\n';
  assert.is(at(text, ['spec', 'podSelector']), '{}');
});

test('lines of spaces and comments at any indentation neither end a block nor join it, for every path asked of one reader', () => {
  const text = 'spec:\n  a: 1\n      \n# at the margin\n    # deeper\n  b:\n    - x\n\n    - y\nc: 3\n';
  const reader = new BlockYamlLocator(text);
  const parsed = new YamlLocator(text, yaml.DEFAULT_SCHEMA);
  for (const p of [['spec', 'b', 1], ['c'], ['spec', 'a'], ['spec'], ['spec', 'b']] as JsonPath[]) {
    assert.equal(reader.range(p), parsed.range(p), p.join('.'));
  }
  assert.is(at(text, ['spec', 'b', 1]), 'y');
});

test('constructs the reader does not follow are left to the parser', () => {
  const unsure: [string, JsonPath][] = [
    ['a: &x {b: 1}\nc: *x\n', ['c', 'b']], // alias
    ['a: |\n  text\n', ['a']], // block scalar
    ['"quoted key": 1\n', ['quoted key']],
    ['<<: {a: 1}\n', ['a']], // merge key
    ['a: plain\n  continued\n', ['a']], // a scalar over two lines
    ['a:\nb: 1\n', ['a']], // an empty value
    ['a:\n\tb: 1\n', ['a', 'b']], // tabs
    ['a: {b: 1,\n  c: 2}\n', ['a', 'c']], // a flow mapping over lines
    ['- - x\n', [0, 0]], // a sequence inside an item, on the same line
  ];
  for (const [text, p] of unsure) assert.is(new BlockYamlLocator(text).range(p), undefined, JSON.stringify(text));
});

test('the parser-based locator gives the value inside a block sequence item, not the item wrapper', () => {
  const text = 'ports:\n- {port: 80}\n';
  const r = new YamlLocator(text).range(['ports', 0, 'port']);
  assert.ok(r);
  assert.is(text.slice(r[0], r[1]), '80');
});

test.run();
