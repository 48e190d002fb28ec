import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RowGroups, RowMemo } from '../src/analyze/row-memo.js';

// Classes 0..5 with what their rows depend on; 'b' and 'c' are told apart only by `same`.
const inputs = ['a', 'b', 'a', 'c', 'b', 'd'];

test('classes with the same inputs form one group, whatever the hash lumps together', () => {
  const collidingHash = () => 7;
  const groups = new RowGroups(inputs.length, collidingHash, (x, y) => inputs[x] === inputs[y]);
  assert.equal([...groups.groupOf], [0, 1, 0, 2, 1, 3]);
  assert.equal([...groups.sizes], [2, 2, 1, 1]);
});

test('a row is made once for its group and made afresh once every class of the group has had it', () => {
  const groups = new RowGroups(inputs.length, (n) => inputs[n].charCodeAt(0), (x, y) => inputs[x] === inputs[y]);
  const made: number[] = [];
  const memo = new RowMemo(() => groups, (n) => (made.push(n), { madeFor: n }));
  const first = memo.get(0);
  assert.is(memo.get(2), first);
  assert.is(memo.get(2).madeFor, 2, 'asked again after its group was served: made again');
  memo.get(3);
  memo.get(3);
  assert.equal(made, [0, 2, 3, 3], 'a class alone in its group is never kept');
});

test.run();
