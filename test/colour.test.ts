import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PLAIN, paletteFor } from '../src/cli/colour.js';

const ESC = '\u001b[';

test('output without colour gets the plain palette, which leaves text as it is', async () => {
  const palette = await paletteFor(0);
  assert.is(palette, PLAIN);
  assert.is(palette.red('denied'), 'denied');
  assert.is(palette.bold('web'), 'web');
});

test('a colour level gets a palette that writes ANSI colours', async () => {
  const palette = await paletteFor(1);
  assert.ok(palette.red('denied').startsWith(ESC));
  assert.ok(palette.red('denied').includes('denied'));
});

test.run();
