import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modelOf, ns, pod, policy } from './helpers.js';
import { jsonTextsOf } from '../src/model/json-texts.js';
import { SpecCache } from '../src/model/networkpolicy.js';
import { ObjectMap } from '../src/model/object-map.js';
import { editDistance, withinEditDistance } from '../src/model/checker.js';
import { parseIp } from '../src/model/cidr.js';
import type { RawObject } from '../src/load/types.js';

const np = (spec: unknown, namespace = 'a') => modelOf(policy(namespace, 'p', spec)).policies[0];

// ---- defaulting (SetDefaults_NetworkPolicy) ----
test('absent policyTypes with no egress rules defaults to Ingress only', () => {
  assert.equal(np({ podSelector: {} }).policyTypes, { ingress: true, egress: false });
});

test('absent policyTypes with egress rules defaults to Ingress and Egress', () => {
  assert.equal(np({ podSelector: {}, egress: [{}] }).policyTypes, { ingress: true, egress: true });
});

test('egress: [] without policyTypes does not isolate egress', () => {
  assert.equal(np({ podSelector: {}, egress: [] }).policyTypes, { ingress: true, egress: false });
});

test('empty policyTypes is treated as absent', () => {
  const p = np({ podSelector: {}, policyTypes: [], egress: [{}] });
  assert.equal([p.policyTypes, p.policyTypesDefaulted], [{ ingress: true, egress: true }, true]);
});

test('explicit policyTypes win over the sections present', () => {
  assert.equal(np({ podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ['Egress'] }).policyTypes, { ingress: false, egress: true });
});

test('a port without protocol defaults to TCP', () => {
  assert.is(np({ podSelector: {}, ingress: [{ ports: [{ port: 53 }] }] }).ingress[0].ports![0].protocol, 'TCP');
});

test('an absent podSelector selects every pod of the namespace', () => {
  assert.equal(np({ ingress: [] }).podSelector, { matchLabels: {}, matchExpressions: [] });
});

test('absent or empty from and ports mean everything (null)', () => {
  const r = np({ podSelector: {}, ingress: [{ from: [], ports: [] }, {}] }).ingress;
  assert.equal(r.map((x) => [x.peers, x.ports]), [[null, null], [null, null]]);
});

test('objects without metadata.namespace go to the -n namespace', () => {
  const m = modelOf(policy(undefined as unknown as string, 'p', { podSelector: {} }).replace(',"namespace":null', ''), 'team-x');
  assert.is(m.policies[0].namespace, 'team-x');
});

// ---- validation ----
const errorsOf = (spec: unknown) => modelOf(policy('a', 'p', spec)).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);

test('a port outside 1-65535 is invalid, with its JSON path', () => {
  assert.equal(errorsOf({ podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }), ['invalid-port: spec.ingress[0].ports[0].port: 70000 is not a valid port (1-65535)']);
});

test('a quoted number is a port name, and not a valid one', () => {
  assert.match(errorsOf({ podSelector: {}, ingress: [{ ports: [{ port: '8080' }] }] })[0], /remove the quotes/);
});

test('endPort needs a numeric port not above it', () => {
  assert.match(errorsOf({ podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] })[0], /named port/);
  assert.match(errorsOf({ podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] })[0], /requires port/);
  assert.match(errorsOf({ podSelector: {}, ingress: [{ ports: [{ port: 100, endPort: 90 }] }] })[0], /greater than port/);
});

test('lower-case protocols are rejected', () => {
  assert.match(errorsOf({ podSelector: {}, ingress: [{ ports: [{ protocol: 'udp' }] }] })[0], /not a supported protocol/);
});

test('an empty peer and ipBlock combined with a selector are rejected', () => {
  assert.equal(errorsOf({ podSelector: {}, ingress: [{ from: [{}, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }).map((e) => e.split(':')[0]), ['invalid-peer', 'invalid-peer']);
});

test('except must be a strict subset of cidr', () => {
  assert.match(errorsOf({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] })[0], /strict subset/);
  assert.match(errorsOf({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }] }] })[0], /strict subset/);
});

test('a cidr with host bits set is accepted with a warning', () => {
  const m = modelOf(policy('a', 'p', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.1/24' } }] }] }));
  assert.is(m.policies[0].invalid, false);
  assert.match(m.diagnostics.find((d) => d.code === 'invalid-ipblock')!.message, /beyond the prefix/);
});

test('addresses parse to their value; octets over 255 do not parse, and leading zeros are noted', () => {
  assert.equal(parseIp('10.1.2.3'), { family: 4, value: 0x0a010203n, leadingZeros: false });
  assert.equal(parseIp('255.255.255.255')?.value, 0xffffffffn);
  assert.is(parseIp('10.1.2.256'), null);
  assert.is(parseIp('10.1.2'), null);
  assert.is(parseIp('010.1.2.3')?.leadingZeros, true);
  assert.is(parseIp('10.0.2.3')?.leadingZeros, false);
  assert.equal(parseIp('2001:db8::1'), { family: 6, value: 0x20010db8000000000000000000000001n, leadingZeros: false });
});

test('an IPv6 cidr is valid', () => {
  assert.equal(errorsOf({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }] }), []);
});

test('selector operators and values are validated', () => {
  assert.match(errorsOf({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } })[0], /at least one value/);
  assert.match(errorsOf({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } })[0], /takes no values/);
  assert.match(errorsOf({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] } })[0], /not a valid operator/);
  assert.match(errorsOf({ podSelector: { matchLabels: { enabled: true } } })[0], /must be a string/);
});

test('unknown policyTypes values are rejected', () => {
  assert.match(errorsOf({ podSelector: {}, policyTypes: ['ingress'] })[0], /not a policy type/);
});

test('unknown or misplaced fields are errors with a suggestion', () => {
  assert.match(errorsOf({ podSelectors: {} })[0], /unknown field "podSelectors" \(did you mean "podSelector"\?\)/);
  assert.match(errorsOf({ podSelector: {}, egress: [{ from: [{ podSelector: {} }] }] })[0], /"from" \(did you mean "to"\?\)/);
});

test('a removed apiVersion is an error', () => {
  const m = modelOf(policy('a', 'p', { podSelector: {} }).replace('networking.k8s.io/v1', 'extensions/v1beta1'));
  assert.ok(m.policies[0].invalid);
});

test('a policy defined twice is reported and the later one wins', () => {
  const m = modelOf(policy('a', 'p', { podSelector: { matchLabels: { v: '1' } } }) + policy('a', 'p', { podSelector: { matchLabels: { v: '2' } } }));
  assert.equal(m.policies.map((p) => p.podSelector.matchLabels), [{ v: '2' }]);
  assert.ok(m.diagnostics.some((d) => d.code === 'duplicate-policy-name'));
});

test('a redefined policy takes the place of the last definition, after the policies between them', () => {
  const m = modelOf(policy('a', 'p', {}) + policy('a', 'q', {}) + policy('b', 'p', {}) + policy('a', 'p', { podSelector: { matchLabels: { v: '2' } } }));
  assert.equal(m.policies.map((p) => `${p.namespace}/${p.name}`), ['a/q', 'b/p', 'a/p']);
});

test('objects are told apart by namespace, kind and name even where joined texts would be equal', () => {
  const map = new ObjectMap<number>();
  map.set('a/b', 'Pod', 'c', 1);
  map.set('a', 'Pod', 'b/c', 2);
  map.set('a', 'Job', 'b/c', 3);
  assert.equal([map.get('a/b', 'Pod', 'c'), map.get('a', 'Pod', 'b/c'), map.get('a', 'Job', 'b/c'), map.get('a', 'Job', 'c')], [1, 2, 3, undefined]);
});

// ---- namespaces ----
test('kubernetes.io/metadata.name is forced to the namespace name', () => {
  const m = modelOf(ns('b', { 'kubernetes.io/metadata.name': 'spoofed', team: 'x' }));
  assert.equal(m.namespaces.get('b')!.labels, { 'kubernetes.io/metadata.name': 'b', team: 'x' });
});

test('namespaces used but not declared are synthesised and reported once', () => {
  const m = modelOf(pod('x', 'p1', {}) + pod('x', 'p2', {}) + policy('y', 'p', { podSelector: {} }));
  assert.equal([...m.namespaces.values()].map((n) => [n.name, n.synthesized, n.labels]), [
    ['x', true, { 'kubernetes.io/metadata.name': 'x' }], ['y', true, { 'kubernetes.io/metadata.name': 'y' }],
  ]);
  assert.is(m.diagnostics.filter((d) => d.code === 'namespace-assumed').length, 1);
});

// ---- workloads ----
const deployment = (name: string, extra: Record<string, unknown> = {}) => `---\n${JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'a', labels: { owner: 'deployment-label' } },
  spec: { replicas: 2, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }], initContainers: [{ name: 'i', ports: [{ name: 'init', containerPort: 9000 }] }] } }, ...extra },
})}\n`;

test('workload endpoints take the pod template labels, not the workload labels', () => {
  const e = modelOf(deployment('web')).endpoints[0];
  assert.equal([e.id, e.members[0].labels, e.replicas], ['a/web[Deployment]', { app: 'web' }, 2]);
});

test('container ports come from containers and init containers, protocol defaulting to TCP', () => {
  assert.equal(modelOf(deployment('web')).endpoints[0].members[0].ports, [
    { name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'init', port: 9000, protocol: 'TCP' },
  ]);
});

test('replicas: 0 means no pods, and it is reported', () => {
  const m = modelOf(deployment('web', { replicas: 0 }));
  assert.is(m.endpoints.length, 0);
  assert.match(m.diagnostics.find((d) => d.code === 'scaled-to-zero')!.message, /a\/web\[Deployment\]/);
});

test('CronJob pods come from the job template', () => {
  const m = modelOf(`---\n${JSON.stringify({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'a' }, spec: { jobTemplate: { metadata: { labels: { wrong: 'x' } }, spec: { template: { metadata: { labels: { job: 'nightly' } }, spec: { containers: [] } } } } } })}\n`);
  assert.equal(m.endpoints[0].members[0].labels, { job: 'nightly' });
});

const livePod = (name: string, owner: [string, string] | null, labels: Record<string, string>, phase = 'Running', extra: Record<string, unknown> = {}) => `---\n${JSON.stringify({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'a', labels, ...(owner ? { ownerReferences: [{ kind: owner[0], name: owner[1], controller: true }] } : {}) },
  spec: { containers: [], ...extra }, status: { phase, podIP: '10.0.0.9' },
})}\n`;

test('pods of a ReplicaSet are grouped under their Deployment through pod-template-hash', () => {
  const m = modelOf(livePod('web-5f7c9-abcde', ['ReplicaSet', 'web-5f7c9'], { app: 'web', 'pod-template-hash': '5f7c9' }) + livePod('web-5f7c9-fghij', ['ReplicaSet', 'web-5f7c9'], { app: 'web', 'pod-template-hash': '5f7c9' }));
  assert.equal(m.endpoints.map((e) => [e.id, e.members.length]), [['a/web[Deployment]', 2]]);
});

test('consecutive pods of one ReplicaSet each resolve their owner by their own pod-template-hash', () => {
  const m = modelOf(livePod('web-5f7c9-abcde', ['ReplicaSet', 'web-5f7c9'], { 'pod-template-hash': '5f7c9' }) + livePod('web-5f7c9-fghij', ['ReplicaSet', 'web-5f7c9'], { 'pod-template-hash': 'other' }));
  assert.equal(m.endpoints.map((e) => [e.id, e.members.map((x) => x.podName)]), [['a/web-5f7c9[ReplicaSet]', ['web-5f7c9-fghij']], ['a/web[Deployment]', ['web-5f7c9-abcde']]]);
});

test('pods of one controller that agree on labels and ports share those objects, and one that differs keeps its own', () => {
  const owner: [string, string] = ['ReplicaSet', 'web-5f7c9'];
  const ports = (port: number) => ({ containers: [{ name: 'c', ports: [{ name: 'http', containerPort: port }] }] });
  const labels = { app: 'web', 'pod-template-hash': '5f7c9' };
  const m = modelOf(livePod('web-5f7c9-a', owner, labels, 'Running', ports(80)) + livePod('web-5f7c9-b', owner, labels, 'Running', ports(80))
    + livePod('web-5f7c9-c', owner, { ...labels, canary: 'yes' }, 'Running', ports(8080)));
  const [a, b, c] = m.endpoints[0].members;
  assert.ok(a.labels === b.labels && a.ports === b.ports, 'equal pods share');
  assert.ok(c.labels !== b.labels && c.ports !== b.ports, 'a different pod does not');
  assert.equal([c.labels, c.ports], [{ ...labels, canary: 'yes' }, [{ name: 'http', port: 8080, protocol: 'TCP' }]]);
});

test('workloads declaring equal ports share one port list, and one with other ports keeps its own', () => {
  const deployment = (name: string, port: number) => `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'a' }, spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: port }] }] } } } })}\n`;
  const m = modelOf(deployment('api', 80) + deployment('web', 80) + deployment('worker', 9090));
  const [api, web, worker] = m.endpoints.map((e) => e.members[0]);
  assert.ok(api.ports === web.ports, 'equal ports share');
  assert.equal([web.ports, worker.ports], [[{ name: 'http', port: 80, protocol: 'TCP' }], [{ name: 'http', port: 9090, protocol: 'TCP' }]]);
});

test('pods are grouped through a ReplicaSet object owned by a Deployment', () => {
  const rs = `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'a', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: { template: { metadata: { labels: { app: 'web' } } } } })}\n`;
  const m = modelOf(rs + livePod('web-abc-1', ['ReplicaSet', 'web-abc'], { app: 'web' }));
  assert.equal(m.endpoints.map((e) => [e.id, e.members.map((x) => x.podName)]), [['a/web[Deployment]', ['web-abc-1']]]);
});

test('a pod and the workload manifest that made it give one endpoint, with the live pod', () => {
  const m = modelOf(deployment('web') + livePod('web-5f7c9-abcde', ['ReplicaSet', 'web-5f7c9'], { app: 'web', 'pod-template-hash': '5f7c9' }));
  assert.equal(m.endpoints.map((e) => [e.id, e.members[0].podName]), [['a/web[Deployment]', 'web-5f7c9-abcde']]);
});

test('static pods owned by a Node stay pods', () => {
  assert.is(modelOf(livePod('etcd-node1', ['Node', 'node1'], {})).endpoints[0].id, 'a/etcd-node1[Pod]');
});

test('bare pods in phase Succeeded or Failed are dropped', () => {
  const m = modelOf(livePod('done', null, {}, 'Succeeded') + livePod('broken', null, {}, 'Failed'));
  assert.is(m.endpoints.length, 0);
  assert.match(m.diagnostics.find((d) => d.code === 'terminated-pods')!.message, /a\/done\[Pod\], a\/broken\[Pod\]/);
});

test('completed pods of a running workload are left out, and never carry IPs', () => {
  const m = modelOf(livePod('job-1', ['Job', 'job'], { app: 'j', old: 'yes' }, 'Succeeded') + livePod('job-2', ['Job', 'job'], { app: 'j' }));
  assert.equal(m.endpoints[0].members.map((x) => x.podName), ['job-2']);
  const finished = modelOf(livePod('job-1', ['Job', 'job'], { app: 'j' }, 'Succeeded')).endpoints[0];
  assert.equal([finished.id, finished.members[0].ips], ['a/job[Job]', []]);
});

test('hostNetwork and pod IPs are recorded', () => {
  const m = modelOf(livePod('agent', null, {}, 'Running', { hostNetwork: true }));
  assert.equal([m.endpoints[0].members[0].hostNetwork, m.endpoints[0].members[0].ips], [true, ['10.0.0.9']]);
});

test('policy kinds not analysed yet are listed, never silently ignored', () => {
  const m = modelOf('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\n---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: y}\n');
  assert.match(m.diagnostics.find((d) => d.code === 'not-analysed')!.message, /1 CiliumNetworkPolicy \(cilium.io\/v2\), 1 NetworkPolicy \(projectcalico.org\/v3\)/);
  assert.is(m.policies.length, 0);
});

test('copies of one spec are normalised once, and each copy reports its problems at its own place', () => {
  const spec = { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 70000 }] }] };
  const m = modelOf(ns('a') + ns('b') + policy('a', 'copy', spec) + policy('b', 'copy', spec));
  const [pa, pb] = ['a', 'b'].map((n) => m.policies.find((p) => p.namespace === n)!);
  assert.ok(pa.ingress === pb.ingress && pa.podSelector === pb.podSelector, 'normalised once');
  assert.equal([pa.invalid, pb.invalid, pa.namespace, pb.namespace], [true, true, 'a', 'b']);
  const problems = m.diagnostics.filter((d) => d.code === 'invalid-port');
  assert.equal(problems.map((d) => [d.object?.namespace, d.origin?.docIndex, d.message]), [
    ['a', 2, 'spec.ingress[0].ports[0].port: 70000 is not a valid port (1-65535)'],
    ['b', 3, 'spec.ingress[0].ports[0].port: 70000 is not a valid port (1-65535)'],
  ]);
});

test('spec keys made in one go are each object\'s own JSON text', () => {
  const specs = [{ podSelector: {} }, { podSelector: { matchLabels: { app: 'a,b' } }, ingress: [{}] }, { egress: [{ to: [] }] }];
  assert.equal(jsonTextsOf(specs), specs.map((s) => JSON.stringify(s)));
});

test('a spec holding the text that separates keys still gets its own key', () => {
  // The separator is a string array element, so only an array element can repeat it.
  const tricky = { podSelector: {}, policyTypes: ['Ingress', '\u0000netpol-boundary\u0000', 'Egress'] };
  const specs = [{ podSelector: {} }, tricky, { podSelector: {} }];
  assert.equal(jsonTextsOf(specs), specs.map((s) => JSON.stringify(s)));
  const m = modelOf(policy('a', 'plain', { podSelector: {} }) + policy('a', 'tricky', tricky) + policy('a', 'plain2', { podSelector: {} }));
  assert.equal(m.policies.map((p) => p.invalid), [false, true, false]);
});

test('a copy of a clean spec seen before is still checked for its own name and apiVersion', () => {
  const spec = { podSelector: {}, ingress: [{}] };
  const copy = (meta: Record<string, unknown>, apiVersion = 'networking.k8s.io/v1') => `---\n${JSON.stringify({ apiVersion, kind: 'NetworkPolicy', metadata: { namespace: 'a', ...meta }, spec })}\n`;
  const m = modelOf(copy({ name: 'first' }) + copy({}) + copy({ name: 'old' }, 'networking.k8s.io/v1beta1'));
  assert.equal(m.policies.map((p) => [p.name, p.invalid]), [['first', false], ['', true], ['old', true]]);
  assert.equal(m.diagnostics.filter((d) => d.code === 'invalid-resource-shape').map((d) => d.message), [
    'metadata.name: metadata.name is required',
    'apiVersion: apiVersion "networking.k8s.io/v1beta1" is not served for NetworkPolicy (use networking.k8s.io/v1)',
  ]);
});

test('withinEditDistance agrees with editDistance, including when the lengths alone decide', () => {
  for (const [a, b] of [['web', 'wbe'], ['web', 'webserver'], ['ab', 'abcd'], ['', 'xyz'], ['frontend', 'fronted']]) {
    assert.is(withinEditDistance(a, b, 2), editDistance(a, b) <= 2, `${a} / ${b}`);
  }
});

const manifest = (spec: unknown): RawObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', body: { spec }, origin: { file: 'x.yaml', docIndex: 0, docLine: 1, pathPrefix: [] } });

test('spec keys are each spec\'s JSON text, in order across many batches', () => {
  const specs = Array.from({ length: 1300 }, (_, i) => ({ podSelector: { matchLabels: { app: `a${i % 7}` } } }));
  const cache = new SpecCache(specs.map(manifest));
  assert.equal(specs.map((s) => cache.keyOf(s)), specs.map((s) => JSON.stringify(s)));
});

test('a spec asked for out of order, or not given up front, still gets its JSON text as key', () => {
  const specs = [{ podSelector: {} }, { ingress: [{}] }, { egress: [{}] }];
  const cache = new SpecCache(specs.map(manifest));
  const stranger = { podSelector: { matchLabels: { app: 'x' } } };
  assert.equal([specs[1], stranger, specs[0], specs[1], specs[2], null].map((s) => cache.keyOf(s)), [...[specs[1], stranger, ...specs].map((s) => JSON.stringify(s)), undefined]);
});

test('copies far apart in a large input still share one normalised spec', () => {
  const copy = { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] };
  let text = '';
  for (let i = 0; i < 1100; i++) text += policy('a', `p${i}`, i % 550 === 0 ? copy : { podSelector: { matchLabels: { app: `x${i}` } } });
  const m = modelOf(text);
  const copies = m.policies.filter((p) => p.podSelector.matchLabels.app === 'web');
  assert.is(copies.length, 2);
  assert.ok(copies[0].ingress === copies[1].ingress);
});

test.run();
