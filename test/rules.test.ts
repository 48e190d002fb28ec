// Every rule fires on its failing fixture and stays quiet on its passing one (lint-rules.md traps included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lint, defaultLintOptions, type LintOptions } from '../src/rules/lint.js';
import { RULES } from '../src/rules/registry.js';
import { modelOf, ns, policy } from './helpers.js';
import { allowDns, base, cases, denyAll, deploy, failingOptions, web } from './rule-cases.js';

const ids = (yaml: string, options: Partial<LintOptions> = {}, rule?: string) =>
  lint(modelOf(yaml), { ...defaultLintOptions(), ...options }).findings.filter((f) => !rule || f.rule === rule);

test('every rule has a firing and a passing case here', () => {
  assert.equal(cases.map((c) => c[0]).sort(), RULES.map((r) => r.id).sort());
});

for (const [rule, failing, passing, options] of cases) {
  test(`${rule} fires on its failing example`, () => {
    assert.ok(ids(base + failing, failingOptions(rule, options), rule).length > 0, `no ${rule} finding`);
  });
  test(`${rule} stays quiet on its passing example`, () => {
    const found = ids(base + passing, options, rule);
    assert.equal(found.map((f) => f.message), []);
  });
}

// ---- false-positive traps and details ----
test('redundant-selector-or-peer reports a repeated peer at every copy of the policy, each at its own place', () => {
  const spec = { podSelector: web, ingress: [{ from: [{ podSelector: {} }, { podSelector: {} }] }] };
  const found = ids(base + ns('b') + deploy('b', 'web', { app: 'web' }) + policy('a', 'p', spec) + policy('b', 'p', spec), {}, 'redundant-selector-or-peer');
  assert.equal(found.map((f) => [f.object?.namespace, (f.path ?? []).join('.'), f.message]), [
    ['a', 'spec.ingress.0.from.1', 'peer 1 repeats peer 0'],
    ['b', 'spec.ingress.0.from.1', 'peer 1 repeats peer 0'],
  ]);
});

test('namespace-selector-label reports every copy of a policy, and not the selectors of a direction policyTypes leaves out', () => {
  const spec = { podSelector: web, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'b' } } }] }], egress: [{ to: [{ namespaceSelector: { matchLabels: { name: 'b' } } }] }] };
  const found = ids(base + ns('b') + policy('a', 'p', spec) + policy('b', 'p', spec), {}, 'namespace-selector-label');
  assert.equal(found.map((f) => [f.object?.namespace, (f.path ?? []).join('.')]), [['a', 'spec.ingress.0.from.0.namespaceSelector'], ['b', 'spec.ingress.0.from.0.namespaceSelector']]);
});

test('dangling-policy suggests no near miss for labels whose lengths alone are too far apart', () => {
  const found = ids(base + policy('a', 'p', { podSelector: { matchLabels: { app: 'webserver' } } }), {}, 'dangling-policy');
  assert.equal(found.map((f) => f.message), ['podSelector app=webserver matches no pod in namespace a; the policy has no effect']);
});

test('dangling-policy suggests the near-miss label', () => {
  assert.match(ids(base + policy('a', 'p', { podSelector: { matchLabels: { app: 'wbe' } } }), {}, 'dangling-policy')[0].message, /did you mean app: web/);
});

test('a chart without workloads does not drown in coverage findings', () => {
  const chart = policy('shop', 'p', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'y' } } }] }] });
  const r = lint(modelOf(chart), defaultLintOptions());
  assert.equal(r.findings.filter((f) => ['dangling-policy', 'dangling-peer-selector', 'non-isolated-pod', 'namespace-missing-default-deny', 'egress-blocks-dns'].includes(f.rule)), []);
  assert.equal(r.partialNamespaces, ['shop']);
});

test('egress-blocks-dns assumes CoreDNS when the input has none, and says so', () => {
  const r = lint(modelOf(ns('a') + deploy('a', 'web', { app: 'web' }) + denyAll), defaultLintOptions());
  assert.ok(r.dnsAssumed);
  assert.ok(r.findings.some((f) => f.rule === 'egress-blocks-dns'));
  assert.not.ok(lint(modelOf(ns('a') + deploy('a', 'web', { app: 'web' }) + denyAll + allowDns), defaultLintOptions()).findings.some((f) => f.rule === 'egress-blocks-dns'));
});

test('egress-blocks-dns needs both UDP and TCP', () => {
  const udpOnly = policy('a', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }] });
  assert.match(ids(base + denyAll + udpOnly, {}, 'egress-blocks-dns')[0].message, /on TCP 53:/);
});

test('egress-blocks-dns honours a configured DNS address and port', () => {
  const nodeLocal = policy('a', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ port: 5353, protocol: 'UDP' }, { port: 5353, protocol: 'TCP' }] }] });
  const dns = { namespace: 'kube-system', podLabels: {}, ports: [5353], addresses: ['169.254.20.10'] };
  assert.equal(ids(base + denyAll + nodeLocal, { dns }, 'egress-blocks-dns'), []);
  assert.ok(ids(base + denyAll, { dns }, 'egress-blocks-dns').length > 0);
});

test('non-isolated-pod reports ingress and egress separately', () => {
  const egressOnly = policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
  const found = ids(base + egressOnly, {}, 'non-isolated-pod');
  assert.ok(found.length > 0 && found.every((f) => f.discriminator === 'ingress'));
});

test('an empty selector is never dangling', () => {
  assert.equal(ids(ns('empty') + deploy('a', 'web', { app: 'web' }) + policy('a', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }, { podSelector: {} }] }] }), {}, 'dangling-peer-selector'), []);
});

test('allow-all-peers is info when ports are listed', () => {
  assert.is(ids(base + policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 443 }] }] }), {}, 'allow-all-peers')[0].severity, 'info');
});

test('a configured severity replaces the default, and off disables the rule', () => {
  assert.is(ids(base + denyAll, { severities: { 'egress-blocks-dns': 'warning' } }, 'egress-blocks-dns')[0].severity, 'warning');
  assert.equal(ids(base + denyAll, { severities: { 'egress-blocks-dns': 'off' } }, 'egress-blocks-dns'), []);
});

test.run();
