// The micro-cases of semantics.md §9, one test each: the engine must agree with upstream Kubernetes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine } from '../src/analyze/engine.js';
import { matrixEndpoints } from '../src/analyze/matrix.js';
import { connAllows } from '../src/analyze/ports.js';
import { parseIp } from '../src/model/cidr.js';
import type { Protocol } from '../src/model/types.js';
import { modelOf, ns, pod, policy } from './helpers.js';

const cluster = [
  ns('a', { team: 'a' }),
  ns('b', { 'kubernetes.io/metadata.name': 'spoofed' }),
  ns('c', { team: 'c', env: 'prod' }),
  pod('a', 'web', { app: 'web' }, { ip: '10.1.0.1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
  pod('a', 'db', { app: 'db', tier: '' }, { ip: '10.1.0.2', ports: [{ name: 'http', containerPort: 9090 }] }),
  pod('b', 'client', { app: 'client' }, { ip: '10.1.1.1' }),
  pod('c', 'web', { app: 'web' }, { ip: '10.1.2.1', ports: [{ name: 'http', containerPort: 80, protocol: 'UDP' }] }),
].join('');

type Spec = [namespace: string, spec: unknown];

/** Is `src -> dst` on proto/port allowed with these policies? Endpoints are `ns/pod` or IP addresses. */
function allowed(policies: Spec[], src: string, dst: string, proto: Protocol, port: number, ipBlockMatchesPods = false): boolean {
  const yaml = cluster + policies.map(([n, s], i) => policy(n, `p${i}`, s)).join('');
  const engine = new Engine(modelOf(yaml), { ipBlockMatchesPods });
  const endpoints = matrixEndpoints(engine);
  const node = (id: string) => {
    const ip = parseIp(id);
    if (ip) return engine.externals.find((x) => engine.nodes[x.node].atoms.includes(engine.space.atomOf(ip)))!.node;
    return endpoints.find((e) => e.id === `${id}[Pod]`)!.nodes[0];
  };
  return connAllows(engine.conns.get(engine.pair(node(src), node(dst))), proto, port);
}

const webOnly = { matchLabels: { app: 'web' } };
const cases: [id: string, policies: Spec[], src: string, dst: string, proto: Protocol, port: number, expected: boolean, ipBlockMatchesPods?: boolean][] = [
  ['mN1 egress: [{}] without policyTypes also isolates ingress', [['a', { podSelector: webOnly, egress: [{}] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN2 egress: [] without policyTypes does not isolate egress', [['a', { podSelector: webOnly, egress: [] }]], 'a/web', 'b/client', 'TCP', 80, true],
  ['mN3 egress: [] without policyTypes isolates ingress with no rules', [['a', { podSelector: webOnly, egress: [] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN4 ingress rules are ignored when policyTypes is [Egress]', [['a', { podSelector: webOnly, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'nothing' } } }] }], egress: [{}], policyTypes: ['Egress'] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN5 from: [] admits every source', [['a', { podSelector: webOnly, ingress: [{ from: [], ports: [{ port: 8080 }] }] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN6 from: [] still restricts ports', [['a', { podSelector: webOnly, ingress: [{ from: [], ports: [{ port: 8080 }] }] }]], 'b/client', 'a/web', 'TCP', 9999, false],
  ['mN7 a port without protocol is TCP only', [['a', { podSelector: webOnly, ingress: [{ ports: [{ port: 8080 }] }] }]], 'b/client', 'a/web', 'UDP', 8080, false],
  ['mN8 a protocol without port admits every port of it', [['a', { podSelector: webOnly, ingress: [{ ports: [{ protocol: 'UDP' }] }] }]], 'b/client', 'a/web', 'UDP', 53, true],
  ['mN9 a protocol-only entry does not admit other protocols', [['a', { podSelector: webOnly, ingress: [{ ports: [{ protocol: 'UDP' }] }] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN10 endPort is inclusive', [['a', { podSelector: webOnly, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN11 endPort bounds the range', [['a', { podSelector: webOnly, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] }]], 'b/client', 'a/web', 'TCP', 8081, false],
  ['mN12 a named port resolves on the destination pod', [['a', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN13 the same name may mean another number on another pod', [['a', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }]], 'b/client', 'a/db', 'TCP', 9090, true],
  ['mN14 a named port admits only its own number', [['a', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }]], 'b/client', 'a/web', 'TCP', 9090, false],
  ['mN15 a named port needs the rule protocol to match the container port', [['c', { podSelector: webOnly, ingress: [{ ports: [{ port: 'http' }] }] }]], 'b/client', 'c/web', 'UDP', 80, false],
  ['mN16 a named UDP port with protocol UDP matches', [['c', { podSelector: webOnly, ingress: [{ ports: [{ port: 'http', protocol: 'UDP' }] }] }]], 'b/client', 'c/web', 'UDP', 80, true],
  ['mN17 egress named ports resolve on the destination', [['b', { podSelector: { matchLabels: { app: 'client' } }, egress: [{ ports: [{ port: 'http' }] }], policyTypes: ['Egress'] }]], 'b/client', 'a/db', 'TCP', 9090, true],
  ['mN18 a named port never matches an external destination', [['b', { podSelector: { matchLabels: { app: 'client' } }, egress: [{ ports: [{ port: 'http' }] }], policyTypes: ['Egress'] }]], 'b/client', '8.8.8.8', 'TCP', 8080, false],
  ['mN19 a podSelector-only peer is namespace-local', [['a', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN20 namespaceSelector: {} is every pod of every namespace', [['a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN21 selectors never match external addresses', [['a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }]], '8.8.8.8', 'a/web', 'TCP', 8080, false],
  ['mN22 both selectors in one peer are ANDed', [['a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'c' } }, podSelector: webOnly }] }] }]], 'a/web', 'a/db', 'TCP', 9090, false],
  ['mN23 two peers are ORed', [['a', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'c' } } }, { podSelector: webOnly }] }] }]], 'a/web', 'a/db', 'TCP', 9090, true],
  ['mN24 NotIn matches a namespace without the key', [['a', { podSelector: webOnly, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] } }] }] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN25 matchLabels with an empty value needs the key', [['a', { podSelector: { matchLabels: { tier: '' } }, ingress: [] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN26 matchLabels with an empty value selects the pod that has it', [['a', { podSelector: { matchLabels: { tier: '' } }, ingress: [] }]], 'b/client', 'a/db', 'TCP', 9090, false],
  ['mN27 DoesNotExist selects pods without the key', [['a', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, ingress: [] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN28 kubernetes.io/metadata.name is always the namespace name', [['a', { podSelector: webOnly, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] }] }]], 'b/client', 'a/web', 'TCP', 8080, true],
  ['mN29 except carves addresses out of the cidr', [['b', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '8.8.0.0/16', except: ['8.8.8.0/24'] } }] }], policyTypes: ['Egress'] }]], 'b/client', '8.8.8.8', 'TCP', 443, false],
  ['mN30 the rest of the cidr is admitted', [['b', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '8.8.0.0/16', except: ['8.8.8.0/24'] } }] }], policyTypes: ['Egress'] }]], 'b/client', '8.8.4.4', 'TCP', 443, true],
  ['mN31 0.0.0.0/0 does not cover IPv6', [['b', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }], policyTypes: ['Egress'] }]], 'b/client', '2001:db8::1', 'TCP', 443, false],
  ['mN32 an external source meets only the destination ingress', [['a', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }]], '8.8.8.8', 'a/web', 'TCP', 8080, true],
  ['mN33 both directions must allow', [['b', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] }], ['a', { podSelector: webOnly, ingress: [] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN34 with --ipblock-matches-pods an ipBlock matches a pod IP', [['b', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }], policyTypes: ['Egress'] }]], 'b/client', 'a/web', 'TCP', 8080, true, true],
  ['mN35 by default an ipBlock never matches a pod', [['b', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }], policyTypes: ['Egress'] }]], 'b/client', 'a/web', 'TCP', 8080, false],
  ['mN36 policies are additive: a deny-all does not cancel an allow', [['a', { podSelector: webOnly, ingress: [{ from: [{ namespaceSelector: {} }] }] }], ['a', { podSelector: {}, ingress: [] }]], 'b/client', 'a/web', 'TCP', 8080, true],
];

for (const [name, policies, src, dst, proto, port, expected, matchPods] of cases) {
  test(name, () => {
    assert.is(allowed(policies, src, dst, proto, port, matchPods), expected);
  });
}

test('mN37 a bare pod to itself is always allowed and not listed', async () => {
  const { matrixLines } = await import('./helpers.js');
  const lines = matrixLines(cluster + policy('a', 'deny', { podSelector: {}, ingress: [], egress: [] }));
  assert.not.ok(lines.some((l) => l.startsWith('a/web[Pod] => a/web[Pod]')));
});

test.run();
