import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { examples, fixture, netpol, ns, pod, policy, root } from './helpers.js';

const ESC = '\u001b[';

test('--version prints the package version and exits 0', () => {
  const r = netpol(['--version']);
  assert.equal([r.code, r.stdout.trim()], [0, JSON.parse(fs.readFileSync('package.json', 'utf8')).version]);
});

/** The files a run of bin/netpol loads as modules (under the project, node_modules excepted), via a loader hook. */
function modulesLoaded(args: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-modules-'));
  const log = path.join(dir, 'loaded.txt');
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), `import fs from 'node:fs';
export async function load(url, context, next) { fs.appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${path.join(dir, 'hooks.mjs')}`)});\n`);
  const r = spawnSync(process.execPath, ['--import', `file://${path.join(dir, 'register.mjs')}`, path.join(root, 'bin', 'netpol'), ...args], { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const files = fs.readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith(`file://${root}/`) && !u.includes('/node_modules/'));
  fs.rmSync(dir, { recursive: true, force: true });
  return files.map((u) => u.slice(`file://${root}/`.length));
}

test('the executable runs the bundle: the launcher is the only module it loads from the project', () => {
  // The bundle itself is compiled from its code cache through node:vm, so the module loader never sees it.
  assert.equal(modulesLoaded(['matrix', '-o', 'json', examples('three-tier')]), ['bin/netpol', 'dist/cli/launch.js']);
  assert.equal(modulesLoaded(['--version']), ['bin/netpol', 'dist/cli/launch.js']);
});

test('the executable reaches the cluster client, which the bundle leaves out', () => {
  const r = netpol(['matrix', '--cluster', '--kubeconfig', path.join(root, 'no-such-kubeconfig')]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^netpol: cannot read the kubeconfig .*no-such-kubeconfig: ENOENT/);
});

test('--help exits 0 and lists the commands', () => {
  const r = netpol(['--help']);
  assert.is(r.code, 0);
  for (const c of ['inspect', 'matrix', 'explain']) assert.ok(r.stdout.includes(c));
});

test('an unknown flag is a usage error: exit 2', () => {
  const r = netpol(['matrix', '--bogus']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown option '--bogus'/);
});

test('an unknown output format is a usage error: exit 2', () => {
  assert.is(netpol(['matrix', examples('three-tier'), '-o', 'xml']).code, 2);
});

test('a missing path is exit 2 with the path named', () => {
  const r = netpol(['inspect', 'no/such/dir']);
  assert.equal([r.code, r.stderr.trim()], [2, 'netpol: no/such/dir: no such file or folder']);
});

test('a YAML syntax error is exit 2 with file:line:column and no stack trace', () => {
  const r = netpol(['matrix', fixture('bad/syntax.yaml')]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad\/syntax\.yaml:7:3: error: YAML syntax error/);
  assert.not.match(r.stderr, /\n\s+at /);
});

test('invalid policies stop matrix with every problem located', () => {
  const r = netpol(['matrix', fixture('bad/invalid-policy.yaml')]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /invalid-policy\.yaml:14:17: error: spec\.ingress\[0\]\.ports\[0\]\.port: 70000 is not a valid port \(1-65535\)/);
  assert.is(r.stdout, '');
});

test('--skip-invalid analyses the rest and says what was skipped', () => {
  const r = netpol(['matrix', fixture('bad/invalid-policy.yaml'), examples('three-tier'), '--skip-invalid', '-o', 'json']);
  assert.is(r.code, 0);
  assert.match(r.stderr, /1 invalid NetworkPolicy left out of the analysis/);
  assert.ok(JSON.parse(r.stdout).connections.length > 0);
});

test('inspect shows invalid policies and exits 2', () => {
  const r = netpol(['inspect', fixture('bad/invalid-policy.yaml')]);
  assert.is(r.code, 2);
  assert.match(r.stdout, /invalid, not analysed/);
});

test('inspect lists what each policy selects and who isolates whom', () => {
  const r = netpol(['inspect', examples('three-tier'), '-o', 'json']);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.policies.find((p: any) => p.id === 'shop/api').selects, ['shop/api[Deployment]']);
  assert.equal(doc.isolation.find((i: any) => i.endpoint === 'shop/postgres[StatefulSet]'), { endpoint: 'shop/postgres[StatefulSet]', ingress: ['shop/default-deny', 'shop/postgres'], egress: ['shop/allow-dns', 'shop/default-deny'] });
});

test('helm template output names the template in messages', () => {
  const r = netpol(['matrix', '-'], { input: fs.readFileSync(fixture('forms/helm.yaml'), 'utf8') });
  assert.is(r.code, 2);
  assert.match(r.stderr, /^shop\/templates\/netpol\.yaml \(rendered <stdin>:12:17\): error/m);
});

test('matrix -o json follows the documented contract', () => {
  const doc = JSON.parse(netpol(['matrix', examples('three-tier'), '-o', 'json']).stdout);
  assert.is(doc.schemaVersion, 1);
  assert.equal(doc.endpoints.find((e: any) => e.id === 'shop/api[Deployment]'), { id: 'shop/api[Deployment]', type: 'workload', namespace: 'shop', name: 'api', kind: 'Deployment', labels: { app: 'api', tier: 'backend' } });
  assert.equal(doc.connections.find((c: any) => c.src === 'shop/frontend[Deployment]' && c.dst === 'shop/api[Deployment]'), {
    src: 'shop/frontend[Deployment]', dst: 'shop/api[Deployment]', protocols: { TCP: [[8080, 8080]], UDP: [], SCTP: [] }, summary: 'TCP 8080',
  });
  assert.ok(doc.endpoints.some((e: any) => e.type === 'external' && e.cidrs.includes('0.0.0.0/0')));
});

test('matrix -o csv, md and dot', () => {
  const csv = netpol(['matrix', examples('three-tier'), '-o', 'csv', '--no-external']).stdout;
  assert.ok(csv.startsWith('source,destination,protocol,ports\n'));
  assert.ok(csv.includes('shop/api[Deployment],kube-system/coredns[Deployment],UDP,53\n'));
  assert.ok(netpol(['matrix', examples('three-tier'), '-o', 'md']).stdout.includes('| shop/frontend[Deployment] | shop/api[Deployment] | TCP 8080 |'));
  const dot = netpol(['matrix', examples('three-tier'), '-o', 'dot']).stdout;
  assert.ok(dot.startsWith('digraph netpol {') && dot.includes('"shop/frontend[Deployment]" -> "shop/api[Deployment]" [label="TCP 8080"];'));
});

test('matrix -o csv writes a row per protocol, with port ranges joined by semicolons', () => {
  const input = ns('a') + pod('a', 'x', { app: 'x' }) + pod('a', 'y', { app: 'y' })
    + policy('a', 'y-in', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ ports: [{ port: 80 }, { port: 8080, endPort: 8090 }, { protocol: 'UDP', port: 53 }] }] });
  const rows = netpol(['matrix', '-', '-o', 'csv', '--no-external', '--from', 'a/x'], { input }).stdout.trim().split('\n');
  assert.equal(rows, [
    'source,destination,protocol,ports',
    'a/x[Pod],a/y[Pod],TCP,80;8080-8090',
    'a/x[Pod],a/y[Pod],UDP,53',
  ]);
});

test('matrix text lists connections when the grid would not fit', () => {
  const r = netpol(['matrix', examples('three-tier'), '--from', 'shop/frontend', '--no-external']);
  assert.ok(r.stdout.includes('shop/frontend[Deployment] => shop/api[Deployment] : TCP 8080'), r.stdout);
});

test('-n limits the matrix to connections touching the namespace', () => {
  const doc = JSON.parse(netpol(['matrix', examples('pitfalls'), '-n', 'p-or', '-o', 'json', '--no-external']).stdout);
  assert.ok(doc.connections.length > 0);
  assert.ok(doc.connections.every((c: any) => c.src.startsWith('p-or/') || c.dst.startsWith('p-or/')));
});

test('matrix --group puts endpoints every policy treats alike in one group', () => {
  const r = netpol(['matrix', fixture('group'), '--group', '--no-color']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^g2 \(3\): shop\/web-a\[Deployment\], shop\/web-b\[Deployment\], shop\/web-c\[Deployment\]$/m);
  assert.match(r.stdout, /^g2 => g1 : TCP 5432$/m);
});

test('matrix --group -o json expands to exactly the pairs of matrix -o json', () => {
  const grouped = JSON.parse(netpol(['matrix', fixture('group'), '--group', '-o', 'json']).stdout);
  const pairs = JSON.parse(netpol(['matrix', fixture('group'), '-o', 'json']).stdout);
  assert.is(grouped.grouped, true);
  assert.ok(grouped.endpoints.every((e: { group?: string }) => typeof e.group === 'string'));
  const members = new Map(grouped.groups.map((g: { id: string; members: string[] }) => [g.id, g.members]));
  const types = new Map(grouped.endpoints.map((e: { id: string; type: string }) => [e.id, e.type]));
  const expanded: string[] = [];
  for (const c of grouped.groupConnections) for (const a of members.get(c.src) as string[]) for (const b of members.get(c.dst) as string[]) {
    if ((a === b && types.get(a) === 'pod') || (types.get(a) === 'external' && types.get(b) === 'external')) continue;
    expanded.push(`${a} => ${b} : ${c.summary}`);
  }
  assert.equal(expanded.sort(), pairs.connections.map((c: { src: string; dst: string; summary: string }) => `${c.src} => ${c.dst} : ${c.summary}`).sort());
});

test('matrix --group: a workload whose pods differ gets what all its pods may do', () => {
  const grouped = JSON.parse(netpol(['matrix', fixture('group'), '--group', '-o', 'json']).stdout);
  const groupOf = (id: string) => grouped.endpoints.find((e: { id: string }) => e.id === id).group;
  const worker = groupOf('shop/worker[Deployment]');
  assert.ok(!grouped.groupConnections.some((c: { src: string; dst: string }) => c.src === worker && c.dst === groupOf('shop/db[StatefulSet]')));
});

test('matrix --group with --from or -o csv is a usage error', () => {
  assert.is(netpol(['matrix', fixture('group'), '--group', '--from', 'shop/db']).code, 2);
  const r = netpol(['matrix', fixture('group'), '--group', '-o', 'csv']);
  assert.equal([r.code, r.stderr.trim()], [2, 'netpol: -o csv: not a format of this command (choose table, json, md, dot)']);
});

test('matrix --group -o md and -o dot describe groups', () => {
  assert.match(netpol(['matrix', fixture('group'), '--group', '-o', 'md']).stdout, /\| g2 \| 3 \| shop\/web-a\[Deployment\], /);
  assert.match(netpol(['matrix', fixture('group'), '--group', '-o', 'dot']).stdout, /"g2" -> "g1" \[label="TCP 5432"\]/);
});

test('explain answers for a denied pair with the policies on both sides', () => {
  const r = netpol(['explain', 'shop/frontend', 'shop/postgres', examples('three-tier')]);
  assert.is(r.code, 0);
  assert.match(r.stdout, /DENIED/);
  assert.match(r.stdout, /isolated by: shop\/default-deny \(.*policies\.yaml:2\)/);
});

test('explain -o json gives the verdict and the rules', () => {
  const doc = JSON.parse(netpol(['explain', 'shop/frontend', 'shop/api', examples('three-tier'), '--port', '8080', '-o', 'json']).stdout);
  assert.equal([doc.verdict, doc.query], ['allowed', { port: 8080, protocol: 'TCP' }]);
  assert.ok(doc.ingress.rules.some((r: any) => r.policy === 'shop/api' && r.matchedPeer === 0));
});

test('explain accepts an IP address for an external endpoint', () => {
  const r = netpol(['explain', 'payments/api', '169.254.169.254', examples('egress-cidr'), '--port', '443']);
  assert.match(r.stdout, /DENIED/);
});

test('explain names an unknown endpoint as a usage error', () => {
  const r = netpol(['explain', 'shop/nope', 'shop/api', examples('three-tier')]);
  assert.equal([r.code, /unknown endpoint "shop\/nope"/.test(r.stderr)], [2, true]);
});

test('no colour when piped, colour with FORCE_COLOR, none with NO_COLOR or --no-color', () => {
  const args = ['inspect', examples('three-tier')];
  assert.not.ok(netpol(args).stdout.includes(ESC));
  assert.ok(netpol(args, { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
  assert.not.ok(netpol(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout.includes(ESC));
  assert.not.ok(netpol([...args, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
});

test('-q keeps notes off stderr', () => {
  assert.match(netpol(['matrix', examples('live-dump')]).stderr, /note:/);
  assert.is(netpol(['matrix', examples('live-dump'), '-q']).stderr, '');
});

test('the default path is the current folder', () => {
  const r = netpol(['inspect', '-o', 'json'], { cwd: examples('three-tier') });
  assert.is(JSON.parse(r.stdout).policies.length, 5);
});

test('kubectl get -o yaml output on stdin is the same as the file', () => {
  const file = netpol(['matrix', examples('live-dump'), '-o', 'json']).stdout;
  const piped = netpol(['matrix', '-', '-o', 'json'], { input: fs.readFileSync(examples('live-dump/cluster.yaml'), 'utf8') }).stdout;
  assert.is(piped, file);
});

test.run();
