import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineIndex } from '../src/load/line-index.js';

const TEXT = 'ab\ncde\n\nfg';

test('a span on one line gives the line and both columns, 1-based', () => {
  assert.equal(new LineIndex(TEXT).span(4, 6, 1), { line: 2, column: 2, endLine: 2, endColumn: 4 });
});

test('a span ending on a later line gives that line and its column', () => {
  assert.equal(new LineIndex(TEXT).span(1, 9, 1), { line: 1, column: 2, endLine: 4, endColumn: 2 });
});

test('a span that ends at the end of the text ends on the last line', () => {
  assert.equal(new LineIndex(TEXT).span(8, TEXT.length, 1), { line: 4, column: 1, endLine: 4, endColumn: 3 });
});

test('a span in a piece of a file counts lines from the piece’s first line', () => {
  assert.equal(new LineIndex(TEXT).span(3, 4, 10), { line: 11, column: 1, endLine: 11, endColumn: 2 });
});

test('a span agrees with lineColumn at both ends, at every offset', () => {
  const lines = new LineIndex(TEXT);
  for (let start = 0; start <= TEXT.length; start++) {
    for (let end = start; end <= TEXT.length; end++) {
      const a = lines.lineColumn(start);
      const b = lines.lineColumn(end);
      assert.equal(lines.span(start, end, 1), { line: a.line, column: a.col, endLine: b.line, endColumn: b.col }, `[${start}, ${end})`);
    }
  }
});

test.run();
