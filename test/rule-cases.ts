// Failing and passing fixtures for every lint rule, shared by the rule tests and the output-format tests.
import type { LintOptions } from '../src/rules/lint.js';
import { ns, policy } from './helpers.js';

export const deploy = (namespace: string, name: string, labels: Record<string, string>, ports: unknown[] = [], extra: Record<string, unknown> = {}) =>
  `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports }], ...extra } } } })}\n`;
export const service = (namespace: string, name: string, selector: Record<string, string>, port: number, targetPort: number | string) =>
  `---\n${JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port, targetPort }] } })}\n`;

export const base = ns('a', { team: 'a' }) + ns('kube-system')
  + deploy('a', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }])
  + deploy('a', 'api', { app: 'api' }, [{ name: 'http', containerPort: 8080 }])
  + deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }]);
export const web = { matchLabels: { app: 'web' } };
export const denyAll = policy('a', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
export const allowDns = policy('a', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] });


export type Case = [rule: string, failing: string, passing: string, options?: Partial<LintOptions>];
export const cases: Case[] = [
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

/** The options that make a rule's failing example fail (the CNI rules need a plugin that lacks the feature). */
export const failingOptions = (rule: string, options?: Partial<LintOptions>): Partial<LintOptions> | undefined =>
  rule === 'cni-no-enforcement' ? { cni: 'flannel' } : rule === 'cni-unsupported-field' ? { cni: 'weave' } : options;
