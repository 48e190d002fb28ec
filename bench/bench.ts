// npm run bench [-- --profiles small,medium --runs 3 --forms json-list,yaml-list --commands matrix,group,lint]
// Times whole CLI runs (median wall time, peak RSS, runs per measure) of `matrix -o json`, `matrix -o json --group`
// and `lint -o json` to /dev/null, and the
// parse-only floor, for every profile and input form; checks each profile's pair count; prints a table and writes
// bench/results.json. Never part of npm test.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORM_FILES, PROFILES, formsOf, writeProfile } from './generate.js';
import { LINT_OVER_MATRIX, TARGETS, secondsTarget } from './targets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const out = path.join(here, 'out');
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const profiles = arg('--profiles', Object.keys(PROFILES).join(',')).split(',');
const forms = arg('--forms', Object.keys(FORM_FILES).join(',')).split(',');
for (const f of forms) if (!FORM_FILES[f]) throw new Error(`unknown form ${f} (${Object.keys(FORM_FILES).join(', ')})`);
const runs = Number(arg('--runs', '3'));
/** What each benchmarked command runs: the pair listing, the grouped (class-level) matrix, and lint. */
const COMMANDS: Record<string, string[]> = {
  matrix: ['matrix', '-o', 'json', '-q'],
  group: ['matrix', '-o', 'json', '-q', '--group'],
  lint: ['lint', '-o', 'json', '-q', '--fail-on', 'none'],
};
const commands = arg('--commands', Object.keys(COMMANDS).join(',')).split(',');
for (const c of commands) if (!COMMANDS[c]) throw new Error(`unknown command ${c} (${Object.keys(COMMANDS).join(', ')})`);
const timeoutMs = Number(arg('--timeout', '600')) * 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs get this environment less NODE_EXTRA_CA_CERTS. With it set, Node 20 builds its whole root certificate store
 * as it starts, before any script runs: 17 ms with one extra certificate, 32 ms with a distribution's bundle, on
 * the floor and the commands alike. Benchmarked commands make no TLS connection; a constant that large on both
 * sides of analysis/floor made the ratios read low (large's JSON List 1.58x with it, 2.02x without).
 */
const childEnv: NodeJS.ProcessEnv = { ...process.env };
const droppedCaCerts = childEnv.NODE_EXTRA_CA_CERTS !== undefined;
delete childEnv.NODE_EXTRA_CA_CERTS;

interface Measure { seconds: number; rssMb: number; ok: boolean }

const secondsOf = (run: () => unknown) => {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e9;
};

/**
 * What GNU time adds to a run's wall time (its own start, and a fork more), taken off every measure. Its own
 * figure, %e, is in hundredths and truncated: a 0.149 s parse floor read 0.14 s, and analysis/floor is read on
 * floors of 0.1-0.15 s.
 */
const timeOverhead = (() => {
  const wrapped: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < 11; i++) {
    wrapped.push(secondsOf(() => spawnSync('/usr/bin/time', ['-f', '%M', '/bin/true'], { stdio: 'ignore' })));
    direct.push(secondsOf(() => spawnSync('/bin/true', [], { stdio: 'ignore' })));
  }
  return Math.max(0, median(wrapped) - median(direct));
})();

/** Wall time of a whole run, from this process's clock (to the millisecond), and peak RSS from GNU time. */
function measure(args: string[]): Measure {
  let r!: ReturnType<typeof spawnSync>;
  const wall = secondsOf(() => {
    r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: root, env: childEnv, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, maxBuffer: 1 << 26 });
  });
  const kb = Number(String(r.stderr ?? '').trim().split('\n').pop());
  return { seconds: Number((wall - timeOverhead).toFixed(3)), rssMb: Number.isFinite(kb) ? kb / 1024 : NaN, ok: r.status === 0 || r.status === 1 };
}

/**
 * Analysis (everything but reading and parsing) over the parse floor, of the pair listing (of the grouped matrix
 * when only that was measured). Stored on the row.
 */
function analysisOverFloor(row: Record<string, unknown>): number {
  const m = (row.matrix ?? row.group) as Measure | undefined;
  const floor = row.parseFloorSeconds as number;
  const ratio = m ? (m.seconds - floor) / floor : NaN;
  row.analysisOverFloor = Number.isFinite(ratio) ? Number(ratio.toFixed(2)) : null;
  return ratio;
}

/** `lint` over `matrix`, both medians of the row; NaN (null in the row) unless both were measured. */
function lintOverMatrix(row: Record<string, unknown>): number {
  const lint = row.lint as Measure | undefined;
  const matrix = row.matrix as Measure | undefined;
  const ratio = lint && matrix ? lint.seconds / matrix.seconds : NaN;
  row.lintOverMatrix = Number.isFinite(ratio) ? Number(ratio.toFixed(2)) : null;
  return ratio;
}


function inputOf(profile: string, form: string): string {
  return path.join(out, profile, FORM_FILES[form]);
}

function runToFile(args: string[]): string {
  const file = path.join(os.tmpdir(), `netpol-bench-${process.pid}.json`);
  const fd = fs.openSync(file, 'w');
  spawnSync(process.execPath, [path.join(root, 'bin/netpol'), ...args], { cwd: root, env: childEnv, stdio: ['ignore', fd, 'ignore'], timeout: timeoutMs });
  fs.closeSync(fd);
  return file;
}

/**
 * Connections in the pair listing, counted as it streams through a pipe (dense's is 3 GB): every connection is a
 * line that starts `{"src":`, which the listing's escaped strings cannot hold.
 */
async function countPairs(input: string): Promise<number> {
  const LINE_START = Buffer.from('{"src":');
  const child = spawn(process.execPath, [path.join(root, 'bin/netpol'), 'matrix', input, '-o', 'json', '-q'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'ignore'] });
  let n = 0;
  // The end of the chunk before, in case a line start is split between two chunks.
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let last = -1;
    for (let i = text.indexOf(LINE_START); i >= 0; i = text.indexOf(LINE_START, i + 1)) {
      n++;
      last = i;
    }
    carry = text.subarray(Math.max(last + 1, text.length - LINE_START.length + 1));
  }
  return n;
}

/** Pairs the grouped matrix stands for: members times members, less what the listing never shows. */
function countGroupedPairs(input: string): number {
  const file = runToFile(['matrix', input, '-o', 'json', '-q', '--group']);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { endpoints: { type: string; group: string }[]; groupConnections: { src: string; dst: string }[] };
  fs.rmSync(file);
  const size = new Map<string, { all: number; pods: number; external: number }>();
  for (const e of doc.endpoints) {
    const s = size.get(e.group) ?? { all: 0, pods: 0, external: 0 };
    s.all++;
    if (e.type === 'pod') s.pods++;
    if (e.type === 'external') s.external++;
    size.set(e.group, s);
  }
  let n = 0;
  for (const c of doc.groupConnections) {
    const a = size.get(c.src)!;
    const b = size.get(c.dst)!;
    n += a.all * b.all - (c.src === c.dst ? a.pods : 0) - a.external * b.external;
  }
  return n;
}

/**
 * The floor runs netpol's loader bundled and started the way bin/netpol runs the CLI (one CommonJS bundle with a
 * code cache from a warm-up on the examples), so that both sides pay the same kind of module loading and the
 * difference is the analysis.
 */
async function bundledFloor(): Promise<string> {
  const outfile = path.join(out, 'parse-floor.cjs');
  const { build } = await import('esbuild');
  await build({ entryPoints: [path.join(here, 'parse-floor.mjs')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  const { writeCodeCache } = await import('../src/cli/launch.js');
  await writeCodeCache(outfile, async (exports) => {
    const run = exports.run as (paths: string[]) => Promise<number>;
    await run([path.join(root, 'examples')]);
    await run([path.join(root, 'test/fixtures/forms/podlist.json')]);
  });
  return path.join(here, 'floor.mjs');
}

const floorScript = await bundledFloor();
const results: Record<string, unknown>[] = [];
console.log(`netpol benchmark: ${os.cpus().length} x ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, median of ${runs}; GNU time's own ${(timeOverhead * 1000).toFixed(1)} ms taken off each run${droppedCaCerts ? '; runs without NODE_EXTRA_CA_CERTS' : ''}`);
for (const name of profiles) {
  const profile = PROFILES[name];
  if (!profile) throw new Error(`unknown profile ${name}`);
  // Written again when a form is missing (inputs from before that form existed, or an interrupted generation).
  if (!formsOf(profile).every((form) => fs.existsSync(inputOf(name, form)))) writeProfile(profile, out);
  // Counted on the manifests' JSON List (the other manifest forms hold the same objects) and on the cluster dump,
  // whose pods must group back under their Deployments to the same pairs.
  const countsOf = new Map<string, { pairs: number; groupedPairs: number }>();
  for (const form of ['json-list', 'json-dump'].filter((f) => formsOf(profile).includes(f))) {
    countsOf.set(form, { pairs: await countPairs(inputOf(name, form)), groupedPairs: countGroupedPairs(inputOf(name, form)) });
  }
  const check = (n: number) => (Number.isNaN(n) ? 'not counted' : n === profile.expectedPairs ? 'ok' : `MISMATCH: got ${n}`);
  const checks = [...countsOf].map(([f, c]) => `${f} listing: ${check(c.pairs)}, grouped: ${check(c.groupedPairs)}`).join('; ');
  console.log(`\n${name}: ${profile.describe}; ${profile.pods.toLocaleString('en-US')} pods; expected pairs ${profile.expectedPairs.toLocaleString('en-US')} (${checks})`);
  console.log(`  ${'form'.padEnd(12)} ${'parse floor'.padStart(11)} ${commands.map((c) => `${c.padStart(8)} ${'RSS'.padStart(7)}`).join('  ')}  analysis/floor  lint/matrix  target`);
  for (const form of forms.filter((f) => formsOf(profile).includes(f))) {
    const input = inputOf(name, form);
    const argsOf = (command: string) => {
      const [verb, ...rest] = COMMANDS[command];
      return [path.join(root, 'bin/netpol'), verb, input, ...rest];
    };
    // Interleaved (floor, then each command, run after run) rather than all runs of one after the other: on a shared
    // machine whose speed drifts over minutes, the ratios then compare runs made at the same time.
    const floorRuns: number[] = [];
    const runsOf = new Map<string, Measure[]>(commands.map((c) => [c, []]));
    for (let i = 0; i < runs; i++) {
      floorRuns.push(measure([floorScript, input]).seconds);
      for (const command of commands) runsOf.get(command)!.push(measure(argsOf(command)));
    }
    const floor = median(floorRuns);
    const { pairs, groupedPairs } = countsOf.get(form === 'json-dump' ? form : 'json-list')!;
    const row: Record<string, unknown> = { profile: name, form, pairs, groupedPairs, expectedPairs: profile.expectedPairs, parseFloorSeconds: floor };
    const cells: string[] = [];
    for (const command of commands) {
      const ms = runsOf.get(command)!;
      const seconds = median(ms.map((m) => m.seconds));
      const rss = Math.max(...ms.map((m) => m.rssMb));
      row[command] = { seconds, rssMb: Math.round(rss), ok: ms.every((m) => m.ok), runs };
      cells.push(`${seconds.toFixed(3).padStart(7)}s ${rss.toFixed(0).padStart(5)}MB`);
    }
    const t = TARGETS[name];
    const target = secondsTarget(name, form);
    row.targetSeconds = target ?? null;
    const ratio = analysisOverFloor(row);
    const lintRatio = lintOverMatrix(row);
    const shown = (x: number, width: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '').padStart(width);
    const targets = [target && `<= ${target}s`, t?.rssMb && `<= ${t.rssMb} MB`, t?.analysisOverFloor && `<= ${t.analysisOverFloor}x`, `lint <= ${LINT_OVER_MATRIX}x`];
    console.log(`  ${form.padEnd(12)} ${`${floor.toFixed(3)}s`.padStart(11)} ${cells.join('  ')}  ${shown(ratio, 14)}  ${shown(lintRatio, 11)}  ${targets.filter(Boolean).join(', ')}`);
    results.push(row);
  }
}
// Results of profiles not measured in this run are kept, so profiles can be measured one at a time.
const file = path.join(here, 'results.json');
let previous: Record<string, unknown>[] = [];
try {
  // A row measured now keeps the commands of the earlier row it replaces that were not measured now.
  previous = (JSON.parse(fs.readFileSync(file, 'utf8')).results ?? []).filter((r: Record<string, unknown>) => {
    const now = results.find((x) => x.profile === r.profile && x.form === r.form);
    if (now) for (const c of Object.keys(COMMANDS)) if (now[c] === undefined && r[c] !== undefined) now[c] = r[c];
    return !now;
  });
} catch {
  previous = [];
}
const order = Object.keys(PROFILES);
const formOrder = Object.keys(FORM_FILES);
const all = [...previous, ...results].sort((a, b) => order.indexOf(a.profile as string) - order.indexOf(b.profile as string) || formOrder.indexOf(a.form as string) - formOrder.indexOf(b.form as string));
for (const r of all) {
  analysisOverFloor(r);
  lintOverMatrix(r);
}
fs.writeFileSync(file, `${JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, timeOverheadMs: Number((timeOverhead * 1000).toFixed(1)), nodeExtraCaCerts: droppedCaCerts ? 'left out' : 'not set', date: new Date().toISOString(), results: all }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(root, file)}`);
