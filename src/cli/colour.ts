import { Chalk, type ChalkInstance } from 'chalk';

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

export function makeChalk(level: 0 | 1 | 2 | 3): ChalkInstance {
  return new Chalk({ level });
}
