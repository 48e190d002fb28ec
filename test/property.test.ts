// Random small clusters and policies: the class-based engine versus a naive per-pair evaluator written here
// straight from semantics.md (E1-E3, M1-M5, N2-N3), over the raw objects rather than netpol's model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine } from '../src/analyze/engine.js';
import { RowGroups } from '../src/analyze/row-memo.js';
import { connections, connectionsBySource, eachConnection, matrixEndpoints } from '../src/analyze/matrix.js';
import { writeMatrixJson } from '../src/report/json.js';
import { Sink } from '../src/report/sink.js';
import { groupMatrix } from '../src/analyze/groups.js';
import { connAllows, formatConn } from '../src/analyze/ports.js';
import { parseSource } from '../src/load/parse.js';
import { buildModel } from '../src/model/build.js';
import type { Protocol } from '../src/model/types.js';

type Labels = Record<string, string>;
type Sel = { matchLabels?: Labels; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
interface RawPod { ns: string; name: string; labels: Labels; ports: { name?: string; containerPort: number; protocol: Protocol }[]; ip: string }

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['app', 'tier', 'env'];
const VALUES = ['a', 'b', ''];
const PORT_NAMES = ['http', 'metrics'];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

function generate(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const labels = (): Labels => Object.fromEntries(KEYS.filter(() => chance(0.5)).map((k) => [k, pick(VALUES)]));
  const selector = (): Sel => {
    const s: Sel = {};
    if (chance(0.5)) s.matchLabels = Object.fromEntries(KEYS.filter(() => chance(0.3)).map((k) => [k, pick(VALUES)]));
    if (chance(0.4)) {
      s.matchExpressions = [0, 1].filter(() => chance(0.6)).map(() => {
        const operator = pick(['In', 'NotIn', 'Exists', 'DoesNotExist']);
        return operator === 'In' || operator === 'NotIn' ? { key: pick(KEYS), operator, values: [pick(VALUES), pick(VALUES)] } : { key: pick(KEYS), operator };
      });
    }
    return s;
  };
  const namespaces = ['n1', 'n2', 'n3'].map((name) => ({ name, labels: labels() }));
  const pods: RawPod[] = [];
  for (let i = 0; i < 2 + Math.floor(r() * 5); i++) {
    const ports = PORT_NAMES.filter(() => chance(0.5)).map((name) => ({ name, containerPort: pick([80, 81, 8080]), protocol: pick(PROTOCOLS) }));
    pods.push({ ns: pick(namespaces).name, name: `p${i}`, labels: labels(), ports, ip: `10.0.0.${i + 1}` });
  }
  const peer = () => {
    const kind = r();
    if (kind < 0.2) return { ipBlock: chance(0.5) ? { cidr: '10.0.0.0/29', except: ['10.0.0.4/30'] } : { cidr: pick(['8.8.0.0/16', '0.0.0.0/0', '10.0.0.0/8']) } };
    const p: Record<string, Sel> = {};
    if (kind < 0.6 || chance(0.5)) p.podSelector = selector();
    if (kind >= 0.6 || chance(0.3)) p.namespaceSelector = selector();
    return p;
  };
  const portEntry = () => {
    const e: Record<string, unknown> = {};
    if (chance(0.6)) e.protocol = pick(PROTOCOLS);
    const k = r();
    if (k < 0.4) e.port = pick([80, 81, 8080]);
    else if (k < 0.6) {
      e.port = pick([80, 8000]);
      e.endPort = (e.port as number) + pick([0, 1, 100]);
    } else if (k < 0.85) e.port = pick(PORT_NAMES);
    return e;
  };
  const rule = (dir: 'from' | 'to') => {
    const out: Record<string, unknown> = {};
    if (chance(0.7)) out[dir] = chance(0.1) ? [] : [0, 1].filter((i) => i === 0 || chance(0.4)).map(peer);
    if (chance(0.6)) out.ports = chance(0.1) ? [] : [0, 1].filter((i) => i === 0 || chance(0.4)).map(portEntry);
    return out;
  };
  const policies = [];
  for (let i = 0; i < 1 + Math.floor(r() * 4); i++) {
    const spec: Record<string, unknown> = { podSelector: chance(0.3) ? {} : selector() };
    if (chance(0.7)) spec.ingress = chance(0.2) ? [] : [0, 1].filter((j) => j === 0 || chance(0.4)).map(() => rule('from'));
    if (chance(0.6)) spec.egress = chance(0.2) ? [] : [0, 1].filter((j) => j === 0 || chance(0.4)).map(() => rule('to'));
    if (chance(0.5)) spec.policyTypes = pick([['Ingress'], ['Egress'], ['Ingress', 'Egress'], []]);
    policies.push({ ns: pick(namespaces).name, name: `np${i}`, spec });
  }
  // Copies of a policy, as a chart installs one in every namespace: copies share their normalised rules, and the
  // engine indexes their ingress rules once for all their destinations.
  for (const p of [...policies]) if (chance(0.4)) policies.push({ ns: pick(namespaces).name, name: `${p.name}-copy`, spec: p.spec });
  return { namespaces, pods, policies };
}

// ---- the naive evaluator, from the specification ----
function matches(sel: Sel | undefined, labels: Labels): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (!(k in labels) || labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values!.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const ipNum = (ip: string) => ip.split('.').reduce((a, x) => a * 256 + Number(x), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(ipNum(ip) / size) === Math.floor(ipNum(base) / size);
}
type End = { pod: RawPod } | { ip: string };

function naiveAllowed(world: ReturnType<typeof generate>, src: End, dst: End, proto: Protocol, port: number, ipMatchesPods: boolean): boolean {
  const nsLabels = (n: string) => ({ ...world.namespaces.find((x) => x.name === n)!.labels, 'kubernetes.io/metadata.name': n });
  const types = (spec: any) => {
    const t: string[] = spec.policyTypes ?? [];
    if (t.length) return t;
    return (spec.egress ?? []).length ? ['Ingress', 'Egress'] : ['Ingress'];
  };
  const peerMatch = (peer: any, policyNs: string, other: End) => {
    if (peer.ipBlock) {
      const ip = 'ip' in other ? other.ip : ipMatchesPods ? other.pod.ip : undefined;
      return !!ip && inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => inCidr(ip, e));
    }
    if (!('pod' in other)) return false;
    if (peer.namespaceSelector) { if (!matches(peer.namespaceSelector, nsLabels(other.pod.ns))) return false; } else if (other.pod.ns !== policyNs) return false;
    return matches(peer.podSelector, other.pod.labels);
  };
  const portMatch = (ports: any[] | undefined) => {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      const protocol = p.protocol ?? 'TCP';
      if (protocol !== proto) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
      return 'pod' in dst && dst.pod.ports.some((cp) => cp.name === p.port && cp.protocol === protocol && cp.containerPort === port);
    });
  };
  const side = (subject: End, dir: 'ingress' | 'egress', other: End) => {
    if (!('pod' in subject)) return true;
    const selecting = world.policies.filter((p) => p.ns === subject.pod.ns && types(p.spec).includes(dir === 'ingress' ? 'Ingress' : 'Egress') && matches(p.spec.podSelector as Sel, subject.pod.labels));
    if (selecting.length === 0) return true;
    return selecting.some((p) => ((p.spec as any)[dir] ?? []).some((rule: any) => {
      const peers = rule[dir === 'ingress' ? 'from' : 'to'];
      const peerOk = !peers || peers.length === 0 || peers.some((x: any) => peerMatch(x, p.ns, other));
      return peerOk && portMatch(rule.ports);
    }));
  };
  return side(src, 'egress', dst) && side(dst, 'ingress', src);
}

function toYaml(world: ReturnType<typeof generate>): string {
  const docs: unknown[] = [
    ...world.namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } })),
    ...world.pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: p.labels }, spec: { containers: [{ name: 'c', ports: p.ports }] }, status: { podIP: p.ip } })),
    ...world.policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.ns }, spec: p.spec })),
  ];
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

const EXTERNAL_PROBES = ['8.8.8.8', '8.8.200.1', '1.2.3.4', '10.0.0.5', '10.0.0.1'];
const PORT_PROBES = [80, 81, 82, 8000, 8080, 8100, 65535];

for (const ipMatchesPods of [false, true]) {
  test(`engine agrees with a naive evaluator on 300 random clusters (ipBlock matches pods: ${ipMatchesPods})`, () => {
    let probes = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const world = generate(seed + (ipMatchesPods ? 10_000 : 0));
      const { objects } = parseSource('random.yaml', toYaml(world), false);
      const model = buildModel(objects, { defaultNamespace: 'default' });
      if (model.policies.some((p) => p.invalid)) continue; // the generator may build invalid selectors; those are other tests' business
      const engine = new Engine(model, { ipBlockMatchesPods: ipMatchesPods });
      const endpoints = matrixEndpoints(engine);
      // The one-pair evaluation (used by lint) must agree with the row evaluation (used by the matrix), whichever
      // side the rows walk.
      const walks = [engine, ...(['egress', 'ingress'] as const).map((rowWalk) => new Engine(model, { ipBlockMatchesPods: ipMatchesPods, rowWalk }))];
      for (let s = 0; s < engine.nodes.length; s++) {
        // Connection set ids are per engine; compare the sets.
        const rows = walks.map((w) => ({ w, row: w.row(s) }));
        for (let d = 0; d < engine.nodes.length; d++) {
          if (s === d) continue;
          const want = formatConn(engine.conns.get(engine.pair(s, d)));
          for (const { w, row } of rows) if (formatConn(w.conns.get(row.get(d) ?? 0)) !== want) assert.unreachable(`seed ${seed}: pair(${s}, ${d}) differs from a row (walk ${w.options.rowWalk ?? 'auto'})`);
        }
      }
      // Rows are shared by classes whose inputs compare equal; were every hash the same, only equal rows would be.
      const byInputs = new RowGroups(engine.nodes.length, () => 0, (a, b) => engine['sameRowInputs'](a, b));
      const firstOfGroup = new Map<number, number>();
      for (let s = 0; s < engine.nodes.length; s++) {
        const first = firstOfGroup.get(byInputs.groupOf[s]) ?? s;
        firstOfGroup.set(byInputs.groupOf[s], first);
        for (let d = 0; d < engine.nodes.length; d++) {
          if (formatConn(engine.conns.get(engine.pair(s, d))) !== formatConn(engine.conns.get(engine.pair(first, d)))) assert.unreachable(`seed ${seed}: classes ${first} and ${s} share a row, but not towards ${d}`);
        }
      }
      const got = new Map<string, ReturnType<typeof engine.conns.get>>();
      for (const c of connections(engine, endpoints)) got.set(`${c.src.id}>${c.dst.id}`, c.conn);
      const idOf = (e: End) => ('pod' in e ? `${e.pod.ns}/${e.pod.name}[Pod]` : endpoints.find((x) => x.type === 'external' && engine.nodes[x.nodes[0]].atoms.includes(engine.space.atomOf({ family: 4, value: BigInt(ipNum(e.ip)) })))!.id);
      const ends: End[] = [...world.pods.map((pod) => ({ pod })), ...EXTERNAL_PROBES.map((ip) => ({ ip }))];
      for (const s of ends) for (const d of ends) {
        if (!('pod' in s) && !('pod' in d)) continue;
        if ('pod' in s && 'pod' in d && s.pod === d.pod) continue;
        for (const proto of PROTOCOLS) for (const port of PORT_PROBES) {
          probes++;
          const want = naiveAllowed(world, s, d, proto, port, ipMatchesPods);
          const conn = got.get(`${idOf(s)}>${idOf(d)}`);
          const have = !!conn && connAllows(conn, proto, port);
          if (want !== have) {
            assert.unreachable(`seed ${seed}: ${idOf(s)} -> ${idOf(d)} ${proto}/${port}: naive ${want}, engine ${have}\n${toYaml(world)}`);
          }
        }
      }
    }
    assert.ok(probes > 10_000, `only ${probes} probes`);
  });
}

test('the grouped matrix expands to exactly the pair listing, whole and restricted to a namespace', () => {
  let groupsSeen = 0;
  let pairsSeen = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const world = generate(seed + 20_000);
    const { objects } = parseSource('random.yaml', toYaml(world), false);
    const model = buildModel(objects, { defaultNamespace: 'default' });
    if (model.policies.some((p) => p.invalid)) continue;
    const engine = new Engine(model, { ipBlockMatchesPods: seed % 2 === 0 });
    const all = matrixEndpoints(engine);
    const firstNamespace = world.namespaces[0].name;
    for (const shown of [all, all.filter((e) => e.type === 'external' || e.endpoint!.namespace === firstNamespace)]) {
      const ids = new Set(shown.map((e) => e.id));
      const want = new Map<string, string>();
      for (const c of connections(engine, all)) if (ids.has(c.src.id) && ids.has(c.dst.id)) want.set(`${c.src.id}>${c.dst.id}`, formatConn(c.conn));
      const grouped = groupMatrix(engine, shown);
      const have = new Map<string, string>();
      for (const c of grouped.connections) for (const a of c.src.members) for (const b of c.dst.members) {
        if (a === b && a.type === 'pod') continue;
        if (a.type === 'external' && b.type === 'external') continue;
        const key = `${a.id}>${b.id}`;
        if (have.has(key)) assert.unreachable(`seed ${seed}: ${key} listed twice`);
        have.set(key, formatConn(c.conn));
      }
      assert.equal([...have].sort(), [...want].sort(), `seed ${seed}`);
      assert.equal(grouped.groups.flatMap((g) => g.members).length, shown.length, `seed ${seed}: every endpoint in one group`);
      groupsSeen += grouped.groups.length;
      pairsSeen += want.size;
    }
  }
  assert.ok(groupsSeen < pairsSeen, 'grouping compresses');
});


/**
 * The same world with half the pods under one controller (an endpoint of several classes, when selectors tell
 * their labels apart) and some on the host network (host classes, open to every source).
 */
function toYamlWithOwners(world: ReturnType<typeof generate>, seed: number): string {
  const docs = toYaml(world).split('\n---\n').map((d) => JSON.parse(d));
  docs.forEach((d, i) => {
    if (d.kind !== 'Pod') return;
    if ((i + seed) % 2 === 0) {
      d.metadata.namespace = 'n1';
      d.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true }];
      d.metadata.labels.app = Math.floor(i / 2) % 2 === 0 ? 'a' : 'b';
    }
    if ((i + seed) % 7 === 0) d.spec.hostNetwork = true;
  });
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

/** What a writer reads from the listing, source by source: the pairs, and the runs they came in. */
function listed(engine: Engine, endpoints: ReturnType<typeof matrixEndpoints>, sharedRuns: boolean): { pairs: string[]; runs: number } {
  const pairs: string[] = [];
  let runs = 0;
  for (const batch of connectionsBySource(engine, endpoints, {}, { sharedRuns })) {
    if (batch.run) runs++;
    for (const { dst, conn } of eachConnection(batch)) pairs.push(`${batch.src.id}>${endpoints[dst].id}: ${formatConn(conn)}`);
  }
  return { pairs, runs };
}

/** `sharedLinesBytes`: what the writer may keep of the shared endpoints' lines (none: line by line; little: made again). */
async function matrixJsonText(engine: Engine, endpoints: ReturnType<typeof matrixEndpoints>, sharedRuns: boolean, sharedLinesBytes?: number): Promise<string> {
  let text = '';
  // A small sink, so that runs longer than a block go across blocks.
  const stream = { write: (chunk: string | Uint8Array) => ((text += Buffer.from(chunk).toString('utf8')), true), once: () => undefined };
  await writeMatrixJson(new Sink(stream, 256), endpoints, connectionsBySource(engine, endpoints, {}, { sharedRuns }), sharedLinesBytes);
  return text;
}

test('shared runs list exactly the connections of the one-by-one listing, in the same order, and write the same JSON', async () => {
  let runs = 0;
  let multiClass = 0;
  let sharedRows = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const world = generate(seed + 30_000);
    // Every third world without policies: then every source reaches every endpoint in one run.
    if (seed % 3 === 0) world.policies = [];
    const { objects } = parseSource('random.yaml', toYamlWithOwners(world, seed), false);
    const model = buildModel(objects, { defaultNamespace: 'default' });
    if (model.policies.some((p) => p.invalid)) continue;
    const engine = new Engine(model, { ipBlockMatchesPods: seed % 2 === 0 });
    const endpoints = matrixEndpoints(engine);
    multiClass += endpoints.filter((e) => e.nodes.length > 1).length;
    // A split row is the row: its own entries, else the shared part, and never from an external to an external.
    // Classes that the same rules name get one row (RowGroups), checked here like any other.
    const splits = new Set<object>();
    for (let src = 0; src < engine.nodes.length; src++) {
      const split = engine.rowSplit(src);
      if (split.destinations.length > 0 && splits.has(split)) sharedRows++;
      splits.add(split);
      const row = engine.row(src);
      const fromExternal = engine.nodes[src].kind === 'external';
      for (let dst = 0; dst < engine.nodes.length; dst++) {
        const own = split.destinations.indexOf(dst);
        const shared = split.shared && !(fromExternal && engine.nodes[dst].kind === 'external') ? split.shared.conns[dst] : 0;
        assert.is(own >= 0 ? split.conns[own] : shared, row.get(dst), `seed ${seed}: rowSplit(${src}) at ${dst}`);
      }
    }
    const oneByOne = listed(engine, endpoints, false);
    const withRuns = listed(engine, endpoints, true);
    assert.equal(withRuns.pairs, oneByOne.pairs, `seed ${seed}`);
    assert.is(oneByOne.runs, 0);
    runs += withRuns.runs;
    const want = await matrixJsonText(engine, endpoints, false);
    for (const budget of [undefined, 0, 700]) assert.is(await matrixJsonText(engine, endpoints, true, budget), want, `seed ${seed}: JSON, shared lines in ${budget} bytes`);
  }
  assert.ok(runs > 300 && multiClass > 100 && sharedRows > 20, `runs ${runs}, endpoints of several classes ${multiClass}, rows shared ${sharedRows}`);
});

test.run();
