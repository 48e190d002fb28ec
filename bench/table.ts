// node --import tsx bench/table.ts: bench/results.json as the Markdown table of the README's Performance section.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LINT_OVER_MATRIX, TARGETS, secondsTarget } from './targets.js';

interface Measure { seconds: number; rssMb: number; ok: boolean }
interface Row {
  profile: string;
  form: string;
  pairs: number | null;
  groupedPairs?: number;
  expectedPairs: number;
  parseFloorSeconds: number;
  targetSeconds: number | null;
  analysisOverFloor?: number | null;
  lintOverMatrix?: number | null;
  matrix?: Measure;
  group?: Measure;
  lint?: Measure;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const doc = JSON.parse(fs.readFileSync(path.join(here, 'results.json'), 'utf8')) as { results: Row[] };
const s = (m?: Measure & { runs?: number }) => (m ? `${m.seconds.toFixed(3)} s / ${m.rssMb} MB${m.runs === 1 ? ' (1 run)' : ''}` : 'not measured');
const mark = (ok: boolean) => (ok ? '✓' : '✗');
/** The targets that apply to a row, each marked met or not. */
const targets = (r: Row) => {
  const t = TARGETS[r.profile] ?? {};
  const seconds = secondsTarget(r.profile, r.form);
  const rss = Math.max(...[r.matrix, r.group, r.lint].map((m) => m?.rssMb ?? 0));
  const out: string[] = [];
  if (seconds && r.matrix) out.push(`≤ ${seconds} s ${mark(r.matrix.seconds <= seconds)}`);
  if (t.rssMb) out.push(`≤ ${t.rssMb} MB ${mark(rss <= t.rssMb)}`);
  if (t.analysisOverFloor && typeof r.analysisOverFloor === 'number') out.push(`≤ ${t.analysisOverFloor}x ${mark(r.analysisOverFloor <= t.analysisOverFloor)}`);
  if (typeof r.lintOverMatrix === 'number') out.push(`lint ≤ ${LINT_OVER_MATRIX}x ${mark(r.lintOverMatrix <= LINT_OVER_MATRIX)}`);
  return out.join(', ');
};
const n = (x: number) => x.toLocaleString('en-US');
const pairs = (r: Row) => {
  const checks = [r.pairs, r.groupedPairs].filter((x): x is number => typeof x === 'number');
  const ok = checks.length > 0 && checks.every((x) => x === r.expectedPairs);
  return `${n(r.expectedPairs)} ${ok ? '✓' : '✗'}`;
};
const ratio = (x?: number | null) => (typeof x === 'number' ? `${x.toFixed(2)}x` : '');
console.log('| profile | input | parse floor | `matrix` (pairs) | `matrix --group` | `lint` | analysis / floor | lint / matrix | target | pairs |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of doc.results) {
  console.log(`| ${r.profile} | ${r.form} | ${r.parseFloorSeconds.toFixed(3)} s | ${s(r.matrix)} | ${s(r.group)} | ${s(r.lint)} | ${ratio(r.analysisOverFloor)} | ${ratio(r.lintOverMatrix)} | ${targets(r)} | ${pairs(r)} |`);
}
