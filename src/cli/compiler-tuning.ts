/**
 * Smaller inlining budgets for V8's optimising compiler on big inputs.
 *
 * On a big input most of netpol runs once per object or rule, and so mostly before TurboFan has optimised it; the
 * compiler works on the second core, which it shares with the garbage collector's helpers. With V8's budgets (a
 * callee of up to 460 bytes of bytecode, 920 in all per function on V8 11.3) it spent about 0.36 s compiling 91
 * functions during a large benchmark run, and the optimised code came late. With the budgets below, set once the
 * input is read, it spends about 0.3 s and whole runs are faster: medium and large JSON `matrix` 25-40 ms, `lint`
 * 50-70 ms, the huge profile unchanged, while the callees of the pair listing's per-pair loop are small enough to
 * stay inlined (without any inlining, dense's 25-million-pair listing took 3.1 s instead of 2.4 s; with these
 * budgets, 2.5 s).
 *
 * Set after the bundle is loaded: its code cache was written, and is checked, under V8's own flags. Small inputs
 * keep the defaults, since loading `node:v8` and compiling Node's own modules afresh under changed flags costs a few
 * milliseconds that they would not win back. Only on the V8 line it was measured on (Node 20's); compiler
 * heuristics change between V8 versions.
 */
import { importModule } from '../load/import-module.js';

const FLAGS = ['--max-inlined-bytecode-size=100', '--max-inlined-bytecode-size-cumulative=150'];
const MEASURED_V8 = '11.3.';
/** About where the budgets start paying for themselves (a 6,000-object input breaks even). */
export const MIN_OBJECTS = 5000;

/** The V8 flags for an input of `objects` objects on V8 `v8Version`: none, or the smaller budgets. */
export function compilerFlagsFor(objects: number, v8Version: string): readonly string[] {
  return objects >= MIN_OBJECTS && v8Version.startsWith(MEASURED_V8) ? FLAGS : [];
}

let tuned = false;

/** Sets the flags `compilerFlagsFor` gives for this process's V8, once per process. */
export async function tuneCompilerFor(objects: number): Promise<void> {
  const flags = compilerFlagsFor(objects, process.versions.v8);
  if (tuned || flags.length === 0) return;
  const v8 = await importModule<typeof import('node:v8')>('node:v8');
  for (const flag of flags) v8.setFlagsFromString(flag);
  tuned = true;
}
