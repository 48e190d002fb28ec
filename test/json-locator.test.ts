import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsonLocator } from '../src/load/json-locator.js';

/** The text a path points at, to read expectations as JSON rather than offsets. */
function at(text: string, path: (string | number)[]): string | undefined {
  const range = new JsonLocator(text).range([], path);
  return range && text.slice(range[0], range[1]);
}

test('a path through objects and arrays points at the value, whole', () => {
  const text = '{"spec": {"ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "a"}}}]}]}}';
  assert.is(at(text, ['spec', 'ingress', 0, 'from', 0, 'podSelector']), '{"matchLabels": {"app": "a"}}');
});

test('members are skipped whole, brackets and quotes inside strings included', () => {
  const text = '{"a": "x}]\\"{[", "b": {"c": "]"}, "d": [1, "[", {"e": "}"}], "f": 2}';
  assert.is(at(text, ['f']), '2');
  assert.is(at(text, ['d', 2, 'e']), '"}"');
});

test('a string ending in an escaped backslash ends at its quote', () => {
  const text = '{"a": "dir\\\\", "b": true}';
  assert.is(at(text, ['b']), 'true');
});

test('the last of duplicate keys wins, as in JSON.parse', () => {
  assert.is(at('{"a": 1, "b": 2, "a": 3}', ['a']), '3');
});

test('a key written with escapes is found by its decoded name', () => {
  assert.is(at('{"x\\u002Fy": 1, "x/y": 2, "z": 3}', ['x/y']), '2');
  assert.is(at('{"x\\u002Fy": 1, "z": 3}', ['x/y']), '1');
  assert.is(at('{"a\\nb": 1, "a\\\\nb": 2}', ['a\\nb']), '2');
});

test('elements far into a big array are found as well as near ones', () => {
  const items = Array.from({ length: 40 }, (_, i) => `{"i": ${i}, "tags": ["t${i}"]}`);
  const text = `{"items": [\n${items.join(',\n')}\n]}`;
  const locator = new JsonLocator(text);
  for (const i of [0, 3, 15, 16, 17, 39]) {
    const r = locator.range(['items', i], ['tags', 0])!;
    assert.is(text.slice(r[0], r[1]), `"t${i}"`);
    assert.is(locator.lineColumn(r[0]).line, i + 2);
  }
  assert.equal(locator.range(['items', 40], []), locator.range(['items'], []), 'past the end: the array itself');
});

test('a path that leaves the document stops at the deepest node that exists', () => {
  const text = '{"spec": {"podSelector": {}}}';
  assert.is(at(text, ['spec', 'ingress', 0]), '{"podSelector": {}}');
  assert.is(at(text, ['spec', 'podSelector', 3]), '{}');
});

test('a text cut short has no range for the open container', () => {
  assert.is(new JsonLocator('{"a": {"b": 1').range([], ['a']), undefined);
});

test.run();
