// When netpol narrows V8's inlining budgets (src/cli/compiler-tuning.ts): big inputs on the V8 line it was measured on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIN_OBJECTS, compilerFlagsFor } from '../src/cli/compiler-tuning.js';

const NODE_20_V8 = '11.3.244.8-node.33';

test('inputs below the threshold keep V8 defaults', () => {
  assert.equal(compilerFlagsFor(MIN_OBJECTS - 1, NODE_20_V8), []);
  assert.equal(compilerFlagsFor(0, NODE_20_V8), []);
});

test('big inputs on the measured V8 line get smaller inlining budgets', () => {
  const flags = compilerFlagsFor(MIN_OBJECTS, NODE_20_V8);
  assert.ok(flags.length > 0);
  for (const flag of flags) assert.match(flag, /^--max-inlined-bytecode-size(-cumulative)?=\d+$/);
});

test('other V8 versions keep their defaults, however big the input', () => {
  assert.equal(compilerFlagsFor(1_000_000, '12.4.254.21-node.33'), []);
  assert.equal(compilerFlagsFor(1_000_000, '11.8.172.17-node.19'), []);
});

test.run();
