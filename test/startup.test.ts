import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from '../src/cli/lazy-child-process.js';
import { examples, fixture, netpol } from './helpers.js';

/** The Node built-in modules a CLI run loaded, as the preload script prints them on exit. */
function builtinsLoadedBy(args: string[], env: Record<string, string> = {}): string[] {
  const r = netpol(args, { env, nodeArgs: ['-r', fixture('preload/builtins-at-exit.cjs')] });
  const line = r.stderr.split('\n').find((l) => l.startsWith('builtins: '));
  assert.ok(line, r.stderr);
  return line.slice('builtins: '.length).split(' ');
}

test('a run without colour loads neither chalk (with node:tty) nor node:child_process', () => {
  const loaded = builtinsLoadedBy(['matrix', examples('three-tier'), '-o', 'json']);
  assert.not.ok(loaded.includes('tty'), 'node:tty loaded');
  assert.not.ok(loaded.includes('child_process'), 'node:child_process loaded');
});

test('a run with colour loads chalk when it is asked for', () => {
  assert.ok(builtinsLoadedBy(['matrix', examples('three-tier')], { FORCE_COLOR: '1' }).includes('tty'));
});

test('the bundle\'s stand-in for node:child_process loads the real module when a process is started', async () => {
  const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.is(code, 3);
});

test.run();
