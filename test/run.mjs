// Runs the uvu suite (TypeScript through tsx) and ends with a plain "N passed, N failed" line,
// which CI reads; uvu's own summary is kept above it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pattern = process.argv[2] ?? '\\.test\\.ts$';
const env = { ...process.env };
delete env.FORCE_COLOR;
delete env.NO_COLOR;
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), 'test', pattern, '--no-color'], {
  cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28,
});
process.stdout.write(r.stdout ?? '');
const num = (label) => Number((new RegExp(`${label}:\\s+(\\d+)`).exec(r.stdout ?? '') ?? [])[1] ?? 0);
const total = num('Total');
const passed = num('Passed');
const skipped = num('Skipped');
const failed = r.status === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = r.status === 0 && total > 0 ? 0 : 1;
