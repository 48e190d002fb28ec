/**
 * Stands in for `node:child_process` in the CLI bundle (an esbuild alias in the bundle script). Commander requires
 * it when it loads, for subcommands that are separate executables, which netpol has none of; loading Node's
 * child_process (with net, dgram and the stream modules under it) cost every run about a millisecond.
 * The real module is loaded on the first call.
 */
import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';

let real: typeof ChildProcess | undefined;
const load = () => (real ??= createRequire(import.meta.url)('node:child_process') as typeof ChildProcess);

export const spawn: typeof ChildProcess.spawn = ((...args: Parameters<typeof ChildProcess.spawn>) => load().spawn(...args)) as typeof ChildProcess.spawn;
