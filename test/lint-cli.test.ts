import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { examples, netpol, ns, policy, root } from './helpers.js';
import { fingerprintOf } from '../src/report/findings.js';

const require = createRequire(import.meta.url);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-'));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
const deploy = (namespace: string, name: string) => `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { metadata: { labels: { app: name } } } } })}\n`;
const egressNoDns = ns('a') + deploy('a', 'web') + policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const json = (args: string[], options = {}) => JSON.parse(netpol(args, options).stdout);

test('three-tier has nothing above info', () => {
  const r = netpol(['lint', examples('three-tier'), '-o', 'json']);
  assert.is(r.code, 0);
  assert.equal(JSON.parse(r.stdout).findings.filter((f: any) => f.severity !== 'info'), []);
});

test('examples/pitfalls produces exactly the findings its README lists', () => {
  const readme = fs.readFileSync(examples('pitfalls/README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| (\w+) \| ([^|]+?) \| (\d+) \|$/gm)].flatMap((m) => Array(Number(m[5])).fill(`${m[1]} ${m[2]} ${m[3]} ${m[4]}`)).sort();
  const doc = json(['lint', examples('pitfalls'), '-o', 'json']);
  const actual = doc.findings.map((f: any) => `${path.basename(f.file)} ${f.rule} ${f.severity} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`).sort();
  assert.equal(actual, listed);
  assert.match(readme, new RegExp(`${doc.summary.error} errors, ${doc.summary.warning} warnings, ${doc.summary.info} info, and ${doc.summary.suppressed} suppressed`));
});

test('exit 1 on errors by default, 0 with --fail-on none', () => {
  const file = write('dns.yaml', egressNoDns);
  assert.is(netpol(['lint', file]).code, 1);
  assert.is(netpol(['lint', file, '--fail-on', 'none']).code, 0);
});

test('--fail-on warning and --max-warnings fail on warnings', () => {
  const file = write('warn.yaml', ns('a') + deploy('a', 'web') + policy('a', 'p', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'x' } } }] }] }));
  assert.is(netpol(['lint', file]).code, 0);
  assert.is(netpol(['lint', file, '--fail-on', 'warning']).code, 1);
  assert.is(netpol(['lint', file, '--max-warnings', '0']).code, 1);
  assert.is(netpol(['lint', file, '--max-warnings', '100']).code, 0);
});

test('a bad --fail-on value is a usage error', () => {
  assert.is(netpol(['lint', examples('three-tier'), '--fail-on', 'fatal']).code, 2);
});

test('invalid policies become validation findings with file:line:column', () => {
  const r = netpol(['lint', path.join(root, 'test/fixtures/bad/invalid-policy.yaml')]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /invalid-policy\.yaml:14:17\s+error\s+spec\.ingress\[0\]\.ports\[0\]\.port: 70000 is not a valid port \(1-65535\)\s+invalid-port/);
  assert.not.match(r.stderr, /invalid-port/); // reported once, as a finding
});

test('a YAML syntax error still exits 2', () => {
  assert.is(netpol(['lint', path.join(root, 'test/fixtures/bad/syntax.yaml')]).code, 2);
});

test('JSON output follows the documented contract', () => {
  const doc = json(['lint', write('dns2.yaml', egressNoDns), '-o', 'json']);
  const f = doc.findings.find((x: any) => x.rule === 'egress-blocks-dns');
  assert.equal(Object.keys(f).sort(), ['column', 'file', 'fingerprint', 'line', 'message', 'object', 'path', 'related', 'rule', 'severity'].sort());
  assert.equal(f.object, { kind: 'Deployment', namespace: 'a', name: 'web' });
  assert.is(f.related[0].message, 'isolates a/web[Deployment] for egress');
  assert.equal(Object.keys(doc.summary).sort(), ['baselined', 'dnsAssumed', 'error', 'info', 'partialNamespaces', 'suppressed', 'warning']);
});

test('SARIF output passes the official SARIF 2.1.0 schema', () => {
  const Ajv = require('ajv-draft-04');
  const addFormats = require('ajv-formats');
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, logger: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const log = json(['lint', examples('pitfalls'), '-o', 'sarif']);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const run = log.runs[0];
  assert.is(run.tool.driver.rules.length, 35);
  assert.ok(run.tool.driver.rules.every((r: any) => r.help.text && r.shortDescription.text && r.fullDescription.text));
  const dns = run.results.find((r: any) => r.ruleId === 'egress-blocks-dns');
  assert.equal(dns.locations[0].physicalLocation.artifactLocation, { uri: 'examples/pitfalls/egress-without-dns.yaml', uriBaseId: '%SRCROOT%' });
  assert.ok(dns.locations[0].physicalLocation.region.startLine > 1);
  assert.match(dns.partialFingerprints.primaryLocationLineHash, /^[0-9a-f]{16}:1$/);
});

test('fingerprints stay the same from release to release, so that saved baselines keep matching', () => {
  // sha256 of rule, file, object and path, cut to 16 hex digits: changing how it is computed breaks every baseline.
  const object = { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' };
  assert.is(fingerprintOf('ingress-only-isolation', 'ns/a.yaml', object, 'spec.ingress[0]'), '95b35307012c11c3');
});

test('SARIF fingerprints do not change when lines move', () => {
  const a = write('fp/a.yaml', egressNoDns);
  const before = json(['lint', a, '-o', 'sarif'], { cwd: tmp }).runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
  fs.writeFileSync(a, `# a comment that moves every line\n\n${egressNoDns}`);
  const after = json(['lint', a, '-o', 'sarif'], { cwd: tmp }).runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
  assert.equal(after, before);
});

test('suppressed findings are counted and left out of SARIF', () => {
  const doc = json(['lint', examples('pitfalls'), '-o', 'json']);
  assert.is(doc.summary.suppressed, 4);
  const sarif = json(['lint', examples('pitfalls'), '-o', 'sarif']);
  assert.not.ok(sarif.runs[0].results.some((r: any) => r.suppressions));
  const withSuppressed = json(['lint', examples('pitfalls'), '-o', 'sarif', '--sarif-include-suppressed']);
  assert.is(withSuppressed.runs[0].results.filter((r: any) => r.suppressions).length, 4);
});

test('a netpol.io/ignore annotation suppresses the rules it names on that object only, with its reason', () => {
  const annotated = `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'quiet', namespace: 'a', annotations: { 'netpol.io/ignore': 'non-isolated-pod', 'netpol.io/ignore-reason': 'batch job' } }, spec: { template: { metadata: { labels: { app: 'quiet' } } } } })}\n`;
  const doc = json(['lint', write('annotated.yaml', ns('a') + deploy('a', 'loud') + annotated), '-o', 'json']);
  const about = (name: string) => doc.findings.filter((f: any) => f.rule === 'non-isolated-pod' && f.object.name === name);
  assert.ok(about('loud').length > 0);
  assert.equal(about('quiet'), []);
  const sarif = json(['lint', write('annotated2.yaml', ns('a') + deploy('a', 'loud') + annotated), '-o', 'sarif', '--sarif-include-suppressed']);
  const suppressed = sarif.runs[0].results.filter((r: any) => r.suppressions);
  assert.ok(suppressed.length > 0 && suppressed.every((r: any) => r.ruleId === 'non-isolated-pod' && r.suppressions[0].justification === 'batch job'), JSON.stringify(suppressed[0]?.suppressions));
});

test('a comment directive suppresses the finding on the next line', () => {
  const text = egressNoDns.replace('---\n{"apiVersion":"apps/v1"', '---\n# netpol: disable-next-line egress-blocks-dns -- this job needs no DNS\n{"apiVersion":"apps/v1"');
  const doc = json(['lint', write('directive.yaml', text), '-o', 'json']);
  assert.not.ok(doc.findings.some((f: any) => f.rule === 'egress-blocks-dns'));
  assert.ok(doc.summary.suppressed >= 1);
});

test('a disable-file directive suppresses the rule in the whole file', () => {
  const doc = json(['lint', write('file-directive.yaml', `# netpol: disable-file non-isolated-pod\n${egressNoDns}`), '-o', 'json']);
  assert.not.ok(doc.findings.some((f: any) => f.rule === 'non-isolated-pod'));
});

test('a baseline hides known findings and reports new ones', () => {
  const file = write('base.yaml', egressNoDns);
  const baseline = path.join(tmp, 'baseline.json');
  assert.is(netpol(['lint', file, '--baseline', baseline, '--update-baseline']).code, 0);
  const again = netpol(['lint', file, '--baseline', baseline, '-o', 'json']);
  assert.is(again.code, 0);
  assert.equal(JSON.parse(again.stdout).findings, []);
  fs.appendFileSync(file, policy('a', 'dup', { podSelector: {}, ingress: [{ from: [{}] }] }));
  const later = JSON.parse(netpol(['lint', file, '--baseline', baseline, '-o', 'json']).stdout);
  assert.ok(later.findings.length > 0 && later.findings.every((f: any) => f.object?.name === 'dup' || f.rule === 'invalid-peer'));
  assert.ok(later.summary.baselined > 0);
});

test('--output-file writes the report instead of stdout', () => {
  const out = path.join(tmp, 'report.sarif');
  const r = netpol(['lint', examples('pitfalls'), '-o', 'sarif', '--output-file', out]);
  assert.is(r.stdout, '');
  assert.is(JSON.parse(fs.readFileSync(out, 'utf8')).version, '2.1.0');
});

test('--output-file in a folder that does not exist is a usage error with the file named, not a stack trace', () => {
  const out = path.join(tmp, 'no-such-folder', 'report.json');
  const r = netpol(['lint', examples('pitfalls'), '-o', 'json', '--output-file', out]);
  assert.is(r.code, 2);
  assert.match(r.stderr, `--output-file: cannot write ${out} (ENOENT)`);
  assert.not.match(r.stderr, /\n\s+at /);
});

test('--output-file that fails while the report is written (a full disk) is a usage error, not a stack trace', () => {
  if (!fs.existsSync('/dev/full')) return; // Linux only: every write to it fails with ENOSPC
  const r = netpol(['lint', examples('pitfalls'), '-o', 'sarif', '--output-file', '/dev/full']);
  assert.is(r.code, 2);
  assert.match(r.stderr, '--output-file: cannot write /dev/full (ENOSPC)');
  assert.not.match(r.stderr, /\n\s+at /);
});

test('JUnit and GitHub annotation formats', () => {
  const file = write('dns3.yaml', egressNoDns);
  const xml = netpol(['lint', file, '-o', 'junit']).stdout;
  assert.match(xml, /<testsuite name="egress-blocks-dns" tests="1" failures="1">/);
  assert.match(xml, /<testcase classname="egress-blocks-dns" name="Deployment a\/web">/);
  const gh = netpol(['lint', file, '-o', 'github']).stdout;
  assert.match(gh, /^::error file=.*dns3\.yaml,line=\d+,col=\d+,title=egress-blocks-dns::a\/web\[Deployment\] cannot reach the cluster DNS/m);
});

test('.netpol.yaml is found upward and sets severities', () => {
  const dir = path.join(tmp, 'project', 'sub');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(tmp, 'project', '.netpol.yaml'), 'rules:\n  egress-blocks-dns: warning\n');
  fs.writeFileSync(path.join(dir, 'x.yaml'), egressNoDns);
  const r = netpol(['lint', 'x.yaml', '-o', 'json'], { cwd: dir });
  assert.is(r.code, 0);
  assert.is(JSON.parse(r.stdout).findings.find((f: any) => f.rule === 'egress-blocks-dns').severity, 'warning');
});

test('unknown configuration keys are errors with their location', () => {
  const cfg = write('bad.netpol.yaml', 'rules:\n  egress-blocks-dns: warning\nrulez: {}\n');
  const r = netpol(['lint', examples('three-tier'), '--config', cfg]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad\.netpol\.yaml:3:1: unknown key "rulez"/);
  const r2 = netpol(['lint', examples('three-tier'), '--config', write('bad2.yaml', 'rules:\n  no-such-rule: off\n')]);
  assert.match(r2.stderr, /bad2\.yaml:2:3: unknown rule "no-such-rule"/);
});

test('configuration: ignorePaths, dns and cni', () => {
  const dir = path.join(tmp, 'cfg');
  fs.mkdirSync(path.join(dir, 'vendor'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'app.yaml'), egressNoDns);
  fs.writeFileSync(path.join(dir, 'vendor', 'x.yaml'), policy('a', 'vendored', { podSelector: {}, ingress: [{ from: [{}] }] }));
  fs.writeFileSync(path.join(dir, '.netpol.yaml'), 'ignorePaths: ["vendor/**"]\ncni: flannel\ndns:\n  namespace: dns\n');
  const doc = JSON.parse(netpol(['lint', '.', '-o', 'json'], { cwd: dir }).stdout);
  assert.not.ok(doc.findings.some((f: any) => f.object?.name === 'vendored'));
  assert.ok(doc.findings.some((f: any) => f.rule === 'cni-no-enforcement' && f.severity === 'error'));
});

test('helm output names the template in findings', () => {
  const doc = json(['lint', '-', '-o', 'json'], { input: fs.readFileSync(path.join(root, 'test/fixtures/forms/helm.yaml'), 'utf8') });
  assert.is(doc.findings.find((f: any) => f.rule === 'invalid-port').template, 'shop/templates/netpol.yaml');
});

test('netpol rules lists every rule and explains one', () => {
  assert.is(netpol(['rules']).stdout.trim().split('\n').length, 35);
  assert.match(netpol(['rules', 'peer-or-vs-and']).stdout, /Failing:[\s\S]*Passing:/);
  assert.is(netpol(['rules', 'nope']).code, 2);
});

test('docs/rules.md is generated from the rules and current', () => {
  assert.is(fs.readFileSync(path.join(root, 'docs/rules.md'), 'utf8'), netpol(['rules', '-o', 'md']).stdout);
});

test('every rule has help with a failing and a passing example', async () => {
  const { RULES } = await import('../src/rules/registry.js');
  for (const r of RULES) {
    assert.ok(/Failing/.test(r.help) && /Passing/.test(r.help), `${r.id} help lacks an example`);
    assert.ok(r.summary.length > 10 && r.summary.length <= 1024, r.id);
  }
});

test('every rule works through every output format', async () => {
  const { run } = await import('../src/cli/main.js');
  const { Writable } = await import('node:stream');
  const { cases, base, failingOptions } = await import('./rule-cases.js');
  for (const [rule, failing, , options] of cases) {
    const file = write(`formats/${rule}.yaml`, base + failing);
    const cni = failingOptions(rule, options)?.cni;
    for (const format of ['text', 'json', 'sarif', 'junit', 'github']) {
      let out = '';
      const sink = new Writable({ write(chunk, _e, done) { out += chunk.toString(); done(); } });
      const code = await run(['lint', file, '-o', format, '--fail-on', 'none', '--no-color', ...(cni ? ['--cni', cni] : [])], { stdout: sink, stderr: new Writable({ write(_c, _e, done) { done(); } }) });
      assert.is(code, 0, `${rule} -o ${format}`);
      assert.ok(out.includes(rule), `${rule} missing from -o ${format}`);
    }
  }
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
