import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AddressIndex, AddressSpace } from '../src/analyze/addresses.js';
import { explainPair } from '../src/analyze/explain.js';
import { connections, connectionsBySource, eachConnection } from '../src/analyze/matrix.js';
import { formatConn, unionRanges, intersectRanges, subtractRanges, ConnTable, connOfPorts } from '../src/analyze/ports.js';
import { LabelIndex } from '../src/analyze/label-index.js';
import type { LabelSelector, Labels } from '../src/model/types.js';
import { selectorMatches } from '../src/analyze/selector.js';
import { distinctRules } from '../src/analyze/policy-rules.js';
import { cidrRange, parseCidr, rangeToCidrs } from '../src/model/cidr.js';
import { engineOf, matrixLines, modelOf, ns, pod, policy } from './helpers.js';

// ---- port sets ----
test('port ranges merge when they overlap or touch', () => {
  assert.equal(unionRanges([1, 5, 10, 20], [6, 9, 30, 30]), [1, 20, 30, 30]);
});

test('port range intersection and difference', () => {
  assert.equal(intersectRanges([1, 100], [50, 60, 90, 200]), [50, 60, 90, 100]);
  assert.equal(subtractRanges([1, 65535], [53, 53]), [1, 52, 54, 65535]);
});

test('connection sets read as people write them', () => {
  const c = connOfPorts([{ protocol: 'TCP', port: 8080, endPort: 8090, path: [] }, { protocol: 'TCP', port: 80, path: [] }, { protocol: 'UDP', port: 53, path: [] }], null);
  assert.is(formatConn(c), 'TCP 80,8080-8090; UDP 53');
});

test('interned connection sets union and intersect by id', () => {
  const t = new ConnTable();
  const tcp80 = t.intern(connOfPorts([{ protocol: 'TCP', port: 80, path: [] }], null));
  assert.is(t.union(tcp80, ConnTable.ALL), ConnTable.ALL);
  assert.is(t.intersect(tcp80, ConnTable.ALL), tcp80);
  assert.is(t.intersect(tcp80, ConnTable.EMPTY), ConnTable.EMPTY);
});

// ---- selectors and CIDRs ----
test('NotIn and DoesNotExist hold for a missing key', () => {
  assert.ok(selectorMatches({ matchLabels: {}, matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['a'] }, { key: 'y', operator: 'DoesNotExist', values: [] }] }, {}));
});

test('matchLabels with an empty value needs the key to exist', () => {
  assert.not.ok(selectorMatches({ matchLabels: { tier: '' }, matchExpressions: [] }, {}));
  assert.ok(selectorMatches({ matchLabels: { tier: '' }, matchExpressions: [] }, { tier: '' }));
});

test('a label index finds what a linear scan of every selector kind finds, in the order given', () => {
  const items: { name: string; labels: Labels }[] = [
    { name: 'a', labels: { team: 't1', env: 'prod' } },
    { name: 'b', labels: { team: 't2', env: 'dev' } },
    { name: 'c', labels: { team: 't1' } },
    { name: 'd', labels: { team: '', env: 'prod' } },
    { name: 'e', labels: {} },
  ];
  const index = new LabelIndex(items, (i) => i.labels);
  const req = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values: string[] = []) => ({ key, operator, values });
  const selectors: LabelSelector[] = [
    { matchLabels: {}, matchExpressions: [] },
    { matchLabels: { team: 't1' }, matchExpressions: [] },
    { matchLabels: { team: '' }, matchExpressions: [] },
    { matchLabels: { team: 't1', env: 'prod' }, matchExpressions: [] },
    { matchLabels: { missing: 'x' }, matchExpressions: [] },
    { matchLabels: {}, matchExpressions: [req('team', 'In', ['t2', 't1', 't2'])] },
    { matchLabels: {}, matchExpressions: [req('team', 'In', ['nope'])] },
    { matchLabels: {}, matchExpressions: [req('env', 'NotIn', ['dev'])] },
    { matchLabels: {}, matchExpressions: [req('env', 'Exists')] },
    { matchLabels: {}, matchExpressions: [req('env', 'DoesNotExist')] },
    { matchLabels: { env: 'prod' }, matchExpressions: [req('team', 'In', ['t1', 't2']), req('team', 'NotIn', ['t2'])] },
  ];
  for (const s of selectors) {
    const names = (list: typeof items) => list.map((i) => i.name).join(',');
    assert.is(names(index.matching(s)), names(items.filter((i) => selectorMatches(s, i.labels))), JSON.stringify(s));
  }
});

test('CIDRs with host bits mean the masked network', () => {
  const c = parseCidr('10.0.0.1/24')!;
  assert.equal([c.hostBitsSet, rangeToCidrs(4, ...cidrRange(c))], [true, ['10.0.0.0/24']]);
});

test('an address range becomes the fewest CIDRs', () => {
  assert.equal(rangeToCidrs(4, 0n, 0xffffffffn), ['0.0.0.0/0']);
  assert.equal(rangeToCidrs(4, 10n, 17n), ['0.0.0.10/31', '0.0.0.12/30', '0.0.0.16/31']);
});

test('an address index gives the owners of the addresses a block covers, once each, in the order given', () => {
  const wide = { cidr: '10.0.0.0/8', except: ['10.2.0.0/16'] };
  const narrow = { cidr: '10.1.0.0/16', except: [] };
  const v6 = { cidr: 'fd00::/8', except: [] };
  const index = new AddressIndex(new AddressSpace([wide, narrow, v6]), [
    ['10.1.0.5', 'a/web'], ['10.2.0.7', 'a/db'], ['10.3.0.1', 'b/api'], ['10.1.0.6', 'a/web'], ['fd00::1', 'c/v6'], ['not-an-ip', 'd/bad'], ['192.168.0.1', 'e/out'],
  ]);
  assert.is(index.size, 6);
  assert.equal(index.covered(wide), ['a/web', 'b/api']);
  assert.equal(index.covered(narrow), ['a/web']);
  assert.equal(index.covered(v6), ['c/v6']);
});

// ---- endpoints ----
const two = ns('a') + pod('a', 'x', { app: 'x' }) + pod('a', 'y', { app: 'y' });

test('external endpoints are disjoint and cover all of IPv4 and IPv6', () => {
  const { engine } = engineOf(two + policy('a', 'p', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '2001:db8::/32' } }] }] }));
  const v4 = engine.externals.filter((x) => !x.cidrs[0].includes(':')).flatMap((x) => x.cidrs.map((c) => cidrRange(parseCidr(c)!)));
  v4.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  let next = 0n;
  for (const [lo, hi] of v4) {
    assert.is(lo, next);
    next = hi + 1n;
  }
  assert.is(next, 1n << 32n);
  assert.equal(engine.externals.map((x) => x.id), ['0.0.0.0-9.255.255.255,10.1.0.0-10.1.255.255,11.0.0.0-255.255.255.255', '10.0.0.0/8 except 10.1.0.0/16', '::/0 except 2001:db8::/32', '2001:db8::/32']);
});

test('an except that splits a block names the rest readably', () => {
  const lines = matrixLines(two + policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }] }));
  assert.ok(lines.includes('a/x[Pod] => 0.0.0.0/0 except 169.254.169.254/32 : all'), lines.join('\n'));
  assert.not.ok(lines.some((l) => l.startsWith('a/x[Pod] => 169.254.169.254/32')));
});

test('IPv6 blocks are evaluated like IPv4 ones', () => {
  const lines = matrixLines(two + policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 443 }] }] }));
  assert.ok(lines.includes('a/x[Pod] => 2001:db8::/32 : TCP 443'), lines.join('\n'));
  assert.not.ok(lines.some((l) => l.startsWith('a/x[Pod] => ::/0')));
});

test('SCTP is its own protocol', () => {
  const lines = matrixLines(two + policy('a', 'p', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ ports: [{ protocol: 'SCTP', port: 80 }] }] }));
  assert.ok(lines.includes('a/x[Pod] => a/y[Pod] : SCTP 80'), lines.join('\n'));
});

test('a workload to itself is replica-to-replica traffic and is evaluated', () => {
  const deploy = `---\n${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { replicas: 3, template: { metadata: { labels: { app: 'web' } } } } })}\n`;
  assert.ok(matrixLines(ns('a') + deploy).includes('a/web[Deployment] => a/web[Deployment] : all'));
  assert.not.ok(matrixLines(ns('a') + deploy + policy('a', 'deny', { podSelector: {} })).some((l) => l.startsWith('a/web[Deployment] => a/web')));
});

test('host-network pods are not isolated by policies that select their labels', () => {
  const yaml = ns('a') + pod('a', 'agent', { app: 'agent' }, { hostNetwork: true }) + pod('a', 'x', { app: 'x' }) + policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const lines = matrixLines(yaml);
  assert.not.ok(lines.some((l) => l.startsWith('a/x[Pod] =>')), 'x is isolated both ways');
  assert.ok(lines.some((l) => l.startsWith('a/agent[Pod] => 0.0.0.0/0')), 'the host-network pod is not restricted');
});

test('host-network pods are matched by ipBlocks on their node address, not by selectors', () => {
  const yaml = ns('a') + pod('a', 'agent', { app: 'agent' }, { hostNetwork: true, ip: '192.168.1.5' }) + pod('a', 'x', { app: 'x' })
    + policy('a', 'p', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'agent' } } }], ports: [{ port: 80 }] }, { from: [{ ipBlock: { cidr: '192.168.1.0/24' } }], ports: [{ port: 9100 }] }] });
  assert.ok(matrixLines(yaml).includes('a/agent[Pod] => a/x[Pod] : TCP 9100'));
});

test('pods of one workload with the same labels are apart when ipBlocks match pod IPs and their addresses differ', () => {
  const replica = (name: string, ip: string) => `---\n${JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', status: { phase: 'Running', podIP: ip },
    metadata: { name, namespace: 'a', labels: { app: 'web', 'pod-template-hash': 'h1' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-h1', controller: true }] },
  })}\n`;
  const yaml = ns('a') + replica('web-h1-1', '10.0.0.1') + replica('web-h1-2', '10.0.1.1') + pod('a', 'x', { app: 'x' })
    + policy('a', 'p', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }] });
  const classesOfWeb = (matchPods: boolean) => {
    const { engine } = engineOf(yaml, matchPods);
    return engine.endpointNodes[engine.model.endpoints.findIndex((e) => e.id === 'a/web[Deployment]')].length;
  };
  assert.equal([classesOfWeb(false), classesOfWeb(true)], [1, 2]);
});

test('the same port name resolves to a different number on each destination', () => {
  const lines = matrixLines(ns('a') + ns('m') + pod('a', 'x', { app: 'x' }, { ports: [{ name: 'metrics', containerPort: 9090 }] }) + pod('a', 'y', { app: 'y' }, { ports: [{ name: 'metrics', containerPort: 9100 }] }) + pod('m', 'prom', {})
    + policy('a', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'metrics' }] }] }));
  assert.ok(lines.includes('m/prom[Pod] => a/x[Pod] : TCP 9090') && lines.includes('m/prom[Pod] => a/y[Pod] : TCP 9100'), lines.join('\n'));
});

test('pairs are listed in endpoint order when endpoints that share a class are not adjacent', () => {
  // The policy in b makes `app` a label selectors read: p1 and p3 share a class, p2 (between them) has its own.
  const yaml = ns('a') + ns('b') + pod('a', 'p1', { app: 'x' }) + pod('a', 'p2', { app: 'y' }) + pod('a', 'p3', { app: 'x' })
    + policy('b', 'p', { podSelector: { matchLabels: { app: 'x' } } });
  const { engine, endpoints } = engineOf(yaml);
  const [p1, p2, p3] = ['a/p1[Pod]', 'a/p2[Pod]', 'a/p3[Pod]'].map((id) => endpoints.find((e) => e.id === id)!);
  assert.ok(p1.index < p2.index && p2.index < p3.index);
  assert.is(p1.nodes[0], p3.nodes[0], 'p1 and p3 share a class');
  const from = (id: string) => [...connections(engine, endpoints, { from: id, external: false })].map((c) => c.dst.id);
  assert.equal(from('a/p1'), ['a/p2[Pod]', 'a/p3[Pod]']);
  assert.equal(from('a/p2'), ['a/p1[Pod]', 'a/p3[Pod]']);
});

test('connections are filtered by namespace, endpoint and port', () => {
  const { engine, endpoints } = engineOf(ns('a') + ns('b') + pod('a', 'x', {}) + pod('b', 'y', {}) + policy('b', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }));
  const ids = (f: Parameters<typeof connections>[2]) => [...connections(engine, endpoints, f)].map((c) => `${c.src.id}>${c.dst.id}`);
  assert.equal(ids({ from: 'a/x', to: 'b/y' }), ['a/x[Pod]>b/y[Pod]']);
  assert.equal(ids({ port: { port: 81, protocol: 'TCP' }, to: 'b/y' }), []);
  assert.ok(ids({ namespaces: new Set(['b']), external: false }).every((id) => id.includes('b/')));
});

test('connections come one batch per source, destinations ascending, as the pair listing has them', () => {
  const { engine, endpoints } = engineOf(ns('a') + ns('b') + pod('a', 'x', { app: 'x' }) + pod('a', 'y', { app: 'y' }) + pod('b', 'z', {})
    + policy('a', 'p', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 80 }] }] }));
  // A batch's arrays are reused for the next source, so each is read as it comes.
  const batches: { src: string; dsts: string[] }[] = [];
  for (const b of connectionsBySource(engine, endpoints, { external: false })) batches.push({ src: b.src.id, dsts: b.dsts.map((d) => b.endpoints[d].id) });
  assert.equal(batches.map((b) => b.src), [...new Set(batches.map((b) => b.src))], 'one batch per source');
  for (const b of batches) assert.equal(b.dsts, [...b.dsts].sort((p, q) => endpoints.findIndex((e) => e.id === p) - endpoints.findIndex((e) => e.id === q)));
  const paired = [...connections(engine, endpoints, { external: false })].map((c) => `${c.src.id}>${c.dst.id}`);
  assert.equal(batches.flatMap((b) => b.dsts.map((d) => `${b.src}>${d}`)), paired);
  assert.ok(paired.includes('a/x[Pod]>a/y[Pod]') && !paired.includes('b/z[Pod]>a/y[Pod]'));
});

/** Each source's listing with open runs, as `src: dst dst ... | run: dst ...` (what the run covers after the bar). */
function runListing(yaml: string): string[] {
  const { engine, endpoints } = engineOf(yaml);
  const out: string[] = [];
  for (const b of connectionsBySource(engine, endpoints, {}, { sharedRuns: true })) {
    const own = b.dsts.map((d) => endpoints[d].id);
    const run = b.run ? [...eachConnection(b)].map((c) => endpoints[c.dst].id).filter((id) => !own.includes(id)) : [];
    out.push(`${b.src.id}: ${own.join(' ')} | run: ${run.join(' ')}`);
  }
  return out;
}

test('without policies every source reaches the others in one run, a bare pod skipping itself', () => {
  assert.equal(runListing(ns('a') + pod('a', 'x', { app: 'x' }) + pod('a', 'y', { app: 'y' })), [
    'a/x[Pod]:  | run: a/y[Pod] 0.0.0.0/0 ::/0',
    'a/y[Pod]:  | run: a/x[Pod] 0.0.0.0/0 ::/0',
    '0.0.0.0/0:  | run: a/x[Pod] a/y[Pod]',
    '::/0:  | run: a/x[Pod] a/y[Pod]',
  ]);
});

test('pods that policies isolate but open to every peer are reached in the run too', () => {
  // Every pod is selected for ingress, by rules open to every peer: nothing is ingress-open, and still the sources
  // share their rows, with y's narrower ports as its place in the run.
  const yaml = ns('a') + pod('a', 'x', { app: 'x' }) + pod('a', 'y', { app: 'y' })
    + policy('a', 'all', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{}] })
    + policy('a', 'web', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ ports: [{ port: 80 }] }] });
  assert.equal(runListing(yaml), [
    'a/x[Pod]:  | run: a/y[Pod] 0.0.0.0/0 ::/0',
    'a/y[Pod]:  | run: a/x[Pod] 0.0.0.0/0 ::/0',
    '0.0.0.0/0:  | run: a/x[Pod] a/y[Pod]',
    '::/0:  | run: a/x[Pod] a/y[Pod]',
  ]);
  assert.equal(matrixLines(yaml).filter((l) => l.startsWith('a/x')), ['a/x[Pod] => a/y[Pod] : TCP 80', 'a/x[Pod] => 0.0.0.0/0 : all', 'a/x[Pod] => ::/0 : all']);
});

test('destinations a row names on their own leave the run and keep their place in the order', () => {
  // x may send TCP 80 anywhere, and anything to its own pods and z: those two are named on their own, x itself
  // (a bare pod) is not listed at all, and the run of TCP 80 goes around both.
  const yaml = ns('a') + pod('a', 'w', { app: 'w' }) + pod('a', 'x', { app: 'x' }) + pod('a', 'y', { app: 'y' }) + pod('a', 'z', { app: 'z' })
    + policy('a', 'out', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }, { to: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['x', 'z'] }] } }] }] });
  assert.equal(runListing(yaml)[1], 'a/x[Pod]: a/z[Pod] | run: a/w[Pod] a/y[Pod] 0.0.0.0/0 ::/0');
  const { engine, endpoints } = engineOf(yaml);
  let fromX: string[] = [];
  // A batch is reused for the next source: read as it comes.
  for (const b of connectionsBySource(engine, endpoints, {}, { sharedRuns: true })) {
    if (b.src.id === 'a/x[Pod]') fromX = [...eachConnection(b)].map((c) => `${endpoints[c.dst].id} ${formatConn(c.conn)}`);
  }
  assert.equal(fromX, ['a/w[Pod] TCP 80', 'a/y[Pod] TCP 80', 'a/z[Pod] all', '0.0.0.0/0 TCP 80', '::/0 TCP 80']);
});

test('classes that the same rules name share one row', () => {
  // A copy of one policy per namespace: the web pods of a and b are apart (each copy selects its own), and the
  // same rules admit both, so both reach the same destinations; the db pod is named by none of them.
  const copy = (n: string) => policy(n, 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 't' } }, podSelector: { matchLabels: { app: 'web' } } }] }] });
  const yaml = ns('a', { team: 't' }) + ns('b', { team: 't' }) + pod('a', 'web', { app: 'web' }) + pod('b', 'web', { app: 'web' }) + pod('b', 'db', { app: 'db' }) + copy('a') + copy('b');
  const { engine, endpoints } = engineOf(yaml);
  const classOf = (id: string) => endpoints.find((e) => e.id === id)!.nodes[0];
  const [webA, webB, db] = ['a/web[Pod]', 'b/web[Pod]', 'b/db[Pod]'].map(classOf);
  assert.is.not(webA, webB);
  assert.is(engine.rowSplit(webA), engine.rowSplit(webB));
  assert.is(engine.row(webA), engine.row(webB));
  assert.is(engine.rowParts(webA), engine.rowParts(webB));
  assert.is.not(engine.row(db), engine.row(webA));
  // One row, read for each source: a bare pod is not listed to itself.
  assert.equal(matrixLines(yaml).filter((l) => l.startsWith('a/web') || l.startsWith('b/web')), [
    'a/web[Pod] => b/db[Pod] : all', 'a/web[Pod] => b/web[Pod] : all', 'a/web[Pod] => 0.0.0.0/0 : all', 'a/web[Pod] => ::/0 : all',
    'b/web[Pod] => a/web[Pod] : all', 'b/web[Pod] => b/db[Pod] : all', 'b/web[Pod] => 0.0.0.0/0 : all', 'b/web[Pod] => ::/0 : all',
  ]);
});

test('endpoints of every type, and classes of every kind, have the same fields in the same order', () => {
  // The pair listing reads them in the same loops; objects of one shape keep V8's optimised code for those loops.
  const yaml = ns('a') + pod('a', 'agent', {}, { hostNetwork: true, ip: '192.168.1.5' }) + pod('a', 'x', { app: 'x' })
    + policy('a', 'p', { podSelector: { matchLabels: { app: 'x' } }, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
  const { engine, endpoints } = engineOf(yaml);
  assert.equal([...new Set(endpoints.map((e) => e.type))].sort(), ['external', 'pod']);
  assert.equal([...new Set(engine.nodes.map((n) => n.kind))].sort(), ['external', 'host', 'pod']);
  assert.equal(new Set(endpoints.map((e) => Object.keys(e).join())).size, 1, 'one shape of endpoint');
  assert.equal(new Set(engine.nodes.map((n) => Object.keys(n).join())).size, 1, 'one shape of class');
});

// ---- explain ----
test('explain names the rule that allowed the traffic', () => {
  const { engine, endpoints } = engineOf(two + policy('a', 'allow', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 80 }] }] }));
  const x = explainPair(engine, endpoints[0].nodes[0], endpoints[1].nodes[0], { protocol: 'TCP', port: 80 });
  assert.ok(x.verdict);
  assert.is(x.ingress.rules[0].matchedPeer, 0);
  assert.is(x.egress.isolatedBy.length, 0);
});

test('explain says which peer did not match and which port was missing', () => {
  const { engine, endpoints } = engineOf(two + policy('a', 'allow', { podSelector: { matchLabels: { app: 'y' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'z' } } }], ports: [{ port: 80 }] }] }));
  const x = explainPair(engine, endpoints[0].nodes[0], endpoints[1].nodes[0], { protocol: 'UDP', port: 53 });
  assert.not.ok(x.verdict);
  assert.equal(x.ingress.rules[0].reasons, ['no peer matches the source: pods app=z in namespace a', 'ports (TCP 80) do not include UDP/53']);
});

test('explain reports a named port the destination does not declare', () => {
  const { engine, endpoints } = engineOf(two + policy('a', 'allow', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }));
  const x = explainPair(engine, endpoints[0].nodes[0], endpoints[1].nodes[0]);
  assert.match(x.ingress.rules[0].reasons.join(), /named port "http" \(TCP\) is not declared by the destination/);
});

test('distinct rules: copies of a policy contribute their shared rules once, in policy order', () => {
  const spec = { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] };
  const other = { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] };
  const m = modelOf(ns('a') + ns('b') + policy('a', 'copy', spec) + policy('b', 'copy', spec) + policy('b', 'other', other));
  assert.equal(distinctRules(m.policies).map((r) => `${r.direction} ${r.ports![0].port}`), ['ingress 80', 'egress 53', 'ingress 443']);
});

test.run();
