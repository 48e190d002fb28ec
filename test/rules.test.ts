// Every rule fires on its failing fixture and stays quiet on its passing one (lint-rules.md traps included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lint, defaultLintOptions, type LintOptions } from '../src/rules/lint.js';
import { RULES } from '../src/rules/registry.js';
import { modelOf, ns, policy } from './helpers.js';

const deploy = (namespace: string, name: string, labels: Record<string, string>, ports: unknown[] = [], extra: Record<string, unknown> = {}) =>
  `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports }], ...extra } } } })}\n`;
const service = (namespace: string, name: string, selector: Record<string, string>, port: number, targetPort: number | string) =>
  `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port, targetPort }] } })}\n`;

const base = ns('a', { team: 'a' }) + ns('kube-system')
  + deploy('a', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }])
  + deploy('a', 'api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }])
  + deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }]);
const web = { matchLabels: { app: 'web' } };
const denyAll = policy('a', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const allowDns = policy('a', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] });

const ids = (yaml: string, options: Partial<LintOptions> = {}, rule?: string) =>
  lint(modelOf(yaml), { ...defaultLintOptions(), ...options }).findings.filter((f) => !rule || f.rule === rule);

type Case = [rule: string, failing: string, passing: string, options?: Partial<LintOptions>];
const cases: Case[] = [
  ['invalid-resource-shape', policy('a', 'p', { podSelectors: {} }), policy('a', 'p', { podSelector: {} })],
  ['invalid-peer', policy('a', 'p', { podSelector: {}, ingress: [{ from: [{}] }] }), policy('a', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
  ['invalid-port', policy('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }), policy('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] })],
  ['invalid-ipblock', policy('a', 'p', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }] }), policy('a', 'p', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.5.0/24'] } }] }] })],
  ['invalid-selector-or-policy-types', policy('a', 'p', { podSelector: {}, policyTypes: ['ingress'] }), policy('a', 'p', { podSelector: {}, policyTypes: ['Ingress'] })],
  ['duplicate-policy-name', policy('a', 'p', { podSelector: {} }) + policy('a', 'p', { podSelector: web }), policy('a', 'p', { podSelector: {} }) + policy('a', 'q', { podSelector: web })],
  ['missing-namespace', policy('a', 'p', { podSelector: {} }).replace(',"namespace":"a"', ''), policy('a', 'p', { podSelector: {} })],
  ['rules-ignored-by-policy-types', policy('a', 'p', { podSelector: web, policyTypes: ['Ingress'], egress: [{}] }), policy('a', 'p', { podSelector: web, policyTypes: ['Ingress', 'Egress'], egress: [{}] })],
  ['implicit-policy-types', policy('a', 'p', { podSelector: {}, egress: [] }), policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'] })],
  ['dangling-policy', policy('a', 'p', { podSelector: { matchLabels: { app: 'wbe' } } }), policy('a', 'p', { podSelector: web })],
  ['dangling-peer-selector', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'nope' } } }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'elsewhere' } }, podSelector: { matchLabels: { app: 'x' } } }] }] })],
  ['namespace-selector-label', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: { matchLabels: { name: 'kube-system' } } }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] }] })],
  ['peer-or-vs-and', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { podSelector: { matchLabels: { app: 'api' } } }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'api' } } }] }] })],
  ['named-port-unresolved', policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 'https' }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 'http' }] }] })],
  ['port-targets-service-port', service('a', 'web', { app: 'web' }, 80, 8080) + policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 80 }] }] }), service('a', 'web', { app: 'web' }, 80, 8080) + policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 8080 }] }] })],
  ['hostnetwork-pod-selected', deploy('a', 'agent', { app: 'agent' }, [], { hostNetwork: true }) + policy('a', 'p', { podSelector: { matchLabels: { app: 'agent' } } }), deploy('a', 'agent', { app: 'agent' }, [], { hostNetwork: true }) + policy('a', 'p', { podSelector: web })],
  ['service-backend-unreachable', service('a', 'api', { app: 'api' }, 80, 'http') + policy('a', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 9090 }] }] }), service('a', 'api', { app: 'api' }, 80, 'http') + policy('a', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 8080 }] }] })],
  ['non-isolated-pod', policy('a', 'p', { podSelector: web, policyTypes: ['Ingress', 'Egress'] }), denyAll],
  ['namespace-missing-default-deny', policy('a', 'p', { podSelector: web, policyTypes: ['Ingress'] }), denyAll],
  ['ingress-only-isolation', policy('a', 'p', { podSelector: {}, policyTypes: ['Ingress'] }), denyAll],
  ['allow-all-peers', policy('a', 'p', { podSelector: web, ingress: [{}] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: {} }] }] })],
  ['allow-from-all-namespaces', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: {} }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] })],
  ['ipblock-world', policy('a', 'p', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }), policy('a', 'p', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] }] })],
  ['egress-to-cloud-metadata', policy('a', 'p', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }), policy('a', 'p', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '168.63.129.16/32'] } }] }] })],
  ['broad-or-sensitive-ports', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 5432 }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }] })],
  ['blanket-policy-selects-system-pods', policy('kube-system', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }), policy('kube-system', 'deny', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] })],
  ['egress-blocks-dns', denyAll, denyAll + allowDns],
  ['dns-rule-misconfigured', policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53 }] }] }), allowDns],
  ['target-fully-isolated', denyAll, denyAll + allowDns + policy('a', 'in', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
  ['redundant-policy-or-rule', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }) + policy('a', 'q', { podSelector: web, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }) + policy('a', 'q', { podSelector: web, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 9090 }] }] })],
  ['vacuous-or-shadowed-deny', denyAll + policy('a', 'open', { podSelector: {}, ingress: [{}] }), denyAll],
  ['redundant-selector-or-peer', policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: {} }, { podSelector: {} }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ from: [{ podSelector: {} }] }] })],
  ['cni-no-enforcement', denyAll, denyAll, { cni: 'calico' }],
  ['cni-unsupported-field', policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] }), policy('a', 'p', { podSelector: web, ingress: [{ ports: [{ port: 8000, endPort: 8100 }] }] }), { cni: 'calico' }],
  ['ipblock-targets-cluster-addresses', `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'a', labels: { app: 'db' } }, spec: { containers: [] }, status: { podIP: '10.1.0.5' } })}\n` + policy('a', 'p', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }] }), `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'a', labels: { app: 'db' } }, spec: { containers: [] }, status: { podIP: '10.1.0.5' } })}\n` + policy('a', 'p', { podSelector: web, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] }] })],
];

test('every rule has a firing and a passing case here', () => {
  assert.equal(cases.map((c) => c[0]).sort(), RULES.map((r) => r.id).sort());
});

for (const [rule, failing, passing, options] of cases) {
  const failingOptions = rule === 'cni-no-enforcement' ? { cni: 'flannel' } : rule === 'cni-unsupported-field' ? { cni: 'weave' } : options;
  test(`${rule} fires on its failing example`, () => {
    assert.ok(ids(base + failing, failingOptions, rule).length > 0, `no ${rule} finding`);
  });
  test(`${rule} stays quiet on its passing example`, () => {
    const found = ids(base + passing, options, rule);
    assert.equal(found.map((f) => f.message), []);
  });
}

// ---- false-positive traps and details ----
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
