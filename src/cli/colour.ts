import type { Palette } from '../report/text.js';

/**
 * Decides colour once, with the precedence `--no-color` > NO_COLOR > FORCE_COLOR > "is stdout a TTY".
 * chalk alone ignores NO_COLOR, so it is always given an explicit level.
 */
export function colourLevel(flagNoColor: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (flagNoColor) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  return isTTY ? 1 : 0;
}

const same = (text: string) => text;
/** Text as it is, for output without colour. */
export const PLAIN: Palette = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

/**
 * The palette of a colour level. chalk is loaded only when there is colour to make: with it come node:tty, net
 * and os, about 3 ms of the start of every run, most of which write to files and pipes.
 */
export async function paletteFor(level: 0 | 1 | 2 | 3): Promise<Palette> {
  if (level === 0) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}
