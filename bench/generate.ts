// Deterministic benchmark inputs (performance.md §d). Each profile is built so that its count of allowed endpoint
// pairs follows in closed form from the construction, which the benchmark checks against `matrix -o json`.
//   node --import tsx bench/generate.ts [profile...]   -> bench/out/<profile>/{list.json,list.yaml,json/,yaml/,dump.json}
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

type Obj = Record<string, unknown>;

export interface Profile {
  name: string;
  describe: string;
  objects: () => Obj[];
  /** Allowed endpoint pairs (connections in `matrix -o json`), from the construction. */
  expectedPairs: number;
  /** Pods the workloads stand for (replicas), for the report. */
  pods: number;
  /** False for a profile of bare pods, whose running cluster is its manifests: no `json-dump` form. */
  dump?: false;
}

/** mulberry32: a small seeded PRNG, so that runs are byte-identical. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MD = 'kubernetes.io/metadata.name';
const namespace = (name: string, labels: Record<string, string> = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deployment = (ns: string, name: string, labels: Record<string, string>, replicas: number, extraLabels: Record<string, string> = {}): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/part-of': ns } },
  spec: {
    replicas, selector: { matchLabels: labels },
    template: {
      metadata: { labels: { ...labels, ...extraLabels } },
      spec: { containers: [{ name: 'main', image: `registry.example.com/${name}:1.0`, ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
    },
  },
});
const policy = (ns: string, name: string, spec: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const coredns = (): Obj[] => [namespace('kube-system'), deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 2)];
const dnsEgress = (ns: string): Obj => policy(ns, 'allow-dns', {
  podSelector: {}, policyTypes: ['Egress'],
  egress: [{ to: [{ namespaceSelector: { matchLabels: { [MD]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
});

/**
 * small: a repository or pull request. 10 team namespaces x 4 deployments x 5 replicas, plus Prometheus.
 * Per team: default-deny, same-namespace traffic on the named port http, and Prometheus in on 8080.
 * Pairs: 10 x 4 x 4 within teams + 40 Prometheus -> team + Prometheus to itself + 2 each way with the
 * two external sets (0.0.0.0/0, ::/0) = 205.
 */
const small: Profile = {
  name: 'small', describe: '10 namespaces x 4 deployments x 5 replicas + Prometheus; 30 policies', pods: 201, expectedPairs: 205,
  objects: () => {
    const out: Obj[] = [namespace('monitoring'), deployment('monitoring', 'prometheus', { app: 'prometheus' }, 1)];
    for (let t = 0; t < 10; t++) {
      const ns = `team-${t}`;
      out.push(namespace(ns, { team: `t${t}` }));
      for (let d = 0; d < 4; d++) out.push(deployment(ns, `svc-${d}`, { app: `svc-${d}` }, 5));
      out.push(policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
      out.push(policy(ns, 'same-namespace', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'http' }] }], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'http' }] }] }));
      out.push(policy(ns, 'allow-monitoring', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [MD]: 'monitoring' } } }], ports: [{ port: 8080 }] }] }));
    }
    return out;
  },
};

/**
 * medium: the shape of a measured production cluster (performance.md row 4): 600 namespaces, 5,400 pods,
 * 13,800 policies, a quarter of them selecting nothing, most with one rule, one port, one CIDR.
 * Namespace n (team t(n mod 50)) runs a0, a1, a2 (3 replicas each). Per namespace: default-deny, DNS egress,
 * egress to every namespace on 8080, 6 policies selecting nothing, and 14 policies k = 0..13 admitting app
 * a((k+1) mod 3) of team t((n+k) mod 50) into app a(k mod 3) on 8080, plus an ipBlock peer.
 * Pairs are counted from that construction in `mediumPairs`.
 */
const MEDIUM_NS = 600;
const MEDIUM_TEAMS = 50;
function mediumPairs(): number {
  // sources of (n, i): for k with k mod 3 == i, every namespace m with team (n+k) mod 50, app (k+1) mod 3
  let pairs = 0;
  const perTeam = MEDIUM_NS / MEDIUM_TEAMS;
  for (let n = 0; n < MEDIUM_NS; n++) {
    for (let i = 0; i < 3; i++) {
      const sources = new Set<string>();
      for (let k = 0; k < 14; k++) if (k % 3 === i) for (let m = (n + k) % MEDIUM_TEAMS, c = 0; c < perTeam; m += MEDIUM_TEAMS, c++) sources.add(`${m}/${(k + 1) % 3}`);
      pairs += sources.size;
    }
  }
  const workloads = MEDIUM_NS * 3;
  // + every workload -> coredns (DNS egress), + the external set 10.64.0.0/10 -> every workload (the ipBlock peer),
  // + coredns -> itself, coredns <-> the 3 external sets (10.64.0.0/10, the rest of IPv4, IPv6).
  return pairs + workloads + workloads + 1 + 3 + 3;
}
const medium: Profile = {
  name: 'medium', describe: `${MEDIUM_NS} namespaces x 3 deployments x 3 replicas; 13,800 policies (a quarter select nothing)`, pods: MEDIUM_NS * 9 + 2, expectedPairs: mediumPairs(),
  objects: () => {
    const r = prng(42);
    const out: Obj[] = [...coredns()];
    for (let n = 0; n < MEDIUM_NS; n++) {
      const ns = `ns-${n}`;
      out.push(namespace(ns, { team: `t${n % MEDIUM_TEAMS}`, env: r() < 0.5 ? 'prod' : 'dev' }));
      for (let a = 0; a < 3; a++) out.push(deployment(ns, `a${a}`, { app: `a${a}` }, 3, { 'pod-template-hash': Math.floor(r() * 1e9).toString(36), version: `v${Math.floor(r() * 20)}` }));
      out.push(policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
      out.push(dnsEgress(ns));
      out.push(policy(ns, 'egress-8080', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }] }));
      for (let e = 0; e < 6; e++) out.push(policy(ns, `stale-${e}`, { podSelector: { matchLabels: { app: `retired-${e}` } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a0' } } }], ports: [{ port: 8080 }] }] }));
      for (let k = 0; k < 14; k++) {
        out.push(policy(ns, `allow-${k}`, {
          podSelector: { matchLabels: { app: `a${k % 3}` } },
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${(n + k) % MEDIUM_TEAMS}` } }, podSelector: { matchLabels: { app: `a${(k + 1) % 3}` } } }, { ipBlock: { cidr: '10.64.0.0/10' } }], ports: [{ port: 8080 }] }],
        }));
      }
    }
    return out;
  },
};

/**
 * large: the Antrea cluster-scoped shape (performance.md row 10 iii): 1,000 namespaces in 100 companies x 10 apps
 * x 10 replicas; per namespace 10 policies admitting the same app from the 10 namespaces of the same company.
 * Pairs: 10,000 workloads x 10 sources + 10,000 x 2 (egress to the two external sets is open) = 120,000.
 */
const large: Profile = {
  name: 'large', describe: '1,000 namespaces x 10 deployments x 10 replicas; 10,000 policies', pods: 100_000, expectedPairs: 120_000,
  objects: () => {
    const out: Obj[] = [];
    for (let n = 0; n < 1000; n++) {
      const ns = `ns-${n}`;
      out.push(namespace(ns, { company: `c${n % 100}` }));
      for (let a = 0; a < 10; a++) {
        out.push(deployment(ns, `app-${a}`, { app: `app-${a}` }, 10));
        out.push(policy(ns, `app-${a}`, { podSelector: { matchLabels: { app: `app-${a}` } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { company: `c${n % 100}` } }, podSelector: { matchLabels: { app: `app-${a}` } } }] }] }));
      }
    }
    return out;
  },
};

/**
 * huge: the Kubernetes envelope: 10,000 namespaces (200 teams) x 5 apps x 3 replicas = 150,000 pods; 10 policies
 * per namespace: default-deny, DNS egress, a chain a0 -> a1 -> ... -> a4 on the named port http, egress within
 * the namespace, team ingress into a0 from a4 of the team's 50 namespaces, the matching egress, and a4's egress
 * to the internet on 443 except 10.0.0.0/8. Pods also carry labels no selector reads.
 * Pairs: chain 4 x 10,000 + team 50 x 10,000 + DNS 50,000 + coredns to itself 1 + coredns <-> 3 external sets
 * x 2 + a4 -> internet 10,000 = 600,007.
 */
const huge: Profile = {
  name: 'huge', describe: '10,000 namespaces x 5 deployments x 3 replicas; 100,000 policies', pods: 150_002, expectedPairs: 600_007,
  objects: () => {
    const out: Obj[] = [...coredns()];
    for (let n = 0; n < 10_000; n++) {
      const ns = `tenant-${n}`;
      const team = `t${n % 200}`;
      out.push(namespace(ns, { team, env: n % 3 ? 'prod' : 'dev' }));
      for (let a = 0; a < 5; a++) out.push(deployment(ns, `a${a}`, { app: `a${a}` }, 3, { 'instance-id': `${n}-${a}`, version: 'v1' }));
      out.push(policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
      out.push(dnsEgress(ns));
      for (let a = 1; a < 5; a++) out.push(policy(ns, `chain-${a}`, { podSelector: { matchLabels: { app: `a${a}` } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: `a${a - 1}` } } }], ports: [{ port: 'http' }] }] }));
      out.push(policy(ns, 'egress-same-namespace', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] }));
      out.push(policy(ns, 'team-ingress', { podSelector: { matchLabels: { app: 'a0' } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: [team] }] }, podSelector: { matchLabels: { app: 'a4' } } }], ports: [{ port: 8080 }] }] }));
      out.push(policy(ns, 'team-egress', { podSelector: { matchLabels: { app: 'a4' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: [team] }] }, podSelector: { matchLabels: { app: 'a0' } } }], ports: [{ port: 8080 }] }] }));
      out.push(policy(ns, 'internet', { podSelector: { matchLabels: { app: 'a4' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] }));
    }
    return out;
  },
};

/**
 * dense (adversarial): 5,000 pods in 500 namespaces, each its own class (a label every policy reads), every pair
 * allowed. Pairs: 5,000 x 5,000 (a pod to itself is not listed: - 5,000) + 5,000 x 2 each way with the two
 * external sets = 25,015,000... minus the 5,000 self pairs: 24,995,000 + 20,000 = 25,015,000.
 */
const dense: Profile = {
  name: 'dense', describe: '5,000 pods, each its own class, every pair allowed', pods: 5000, expectedPairs: 5000 * 4999 + 20_000, dump: false,
  objects: () => {
    const out: Obj[] = [];
    for (let n = 0; n < 500; n++) {
      const ns = `d-${n}`;
      out.push(namespace(ns));
      for (let p = 0; p < 10; p++) out.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${p}`, namespace: ns, labels: { id: `${n}-${p}` } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
      out.push(policy(ns, 'open', { podSelector: { matchExpressions: [{ key: 'id', operator: 'NotIn', values: [`${n}-0`, `${n}-1`, `${n}-2`, `${n}-3`, `${n}-4`, `${n}-5`, `${n}-6`, `${n}-7`, `${n}-8`, `${n}-9`] }] }, ingress: [{}] }));
    }
    return out;
  },
};

export const PROFILES: Record<string, Profile> = { small, medium, large, huge, dense };

/** FNV-1a of a text, as lowercase base-36 of `length` characters: names that look generated and never change. */
function hashName(text: string, length: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36).padStart(length, '0').slice(-length);
}

/**
 * The same cluster as it runs, the way `netpol --cluster` lists it (and `kubectl get ns,rs,pods,netpol -A -o json`
 * dumps it): each Deployment becomes the ReplicaSet it owns and that ReplicaSet's pods, named and labelled by
 * pod-template-hash, with owner references and pod IPs. Grouped back under their Deployments, the pods are the
 * manifests' endpoints, so the pair counts are the same; the input has one object per pod (performance.md §d sizes
 * its profiles so).
 */
export function clusterDump(objects: Obj[]): Obj[] {
  const out: Obj[] = [];
  let address = 0;
  for (const o of objects) {
    if (o.kind !== 'Deployment') {
      out.push(o);
      continue;
    }
    const meta = o.metadata as { name: string; namespace: string };
    const spec = o.spec as { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: Obj } };
    const hash = hashName(`${meta.namespace}/${meta.name}`, 10);
    const rs = `${meta.name}-${hash}`;
    const labels = { ...spec.template.metadata.labels, 'pod-template-hash': hash };
    const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${meta.namespace}-${name}`, controller: true, blockOwnerDeletion: true }];
    out.push({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace: meta.namespace, labels, ownerReferences: owner('Deployment', meta.name) },
      spec: { replicas: spec.replicas, selector: { matchLabels: { ...spec.selector.matchLabels, 'pod-template-hash': hash } }, template: { metadata: { labels }, spec: spec.template.spec } },
      status: { replicas: spec.replicas, readyReplicas: spec.replicas },
    });
    for (let r = 0; r < spec.replicas; r++, address++) {
      const ip = `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
      out.push({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `${rs}-${hashName(`${rs}/${r}`, 5)}`, namespace: meta.namespace, labels, ownerReferences: owner('ReplicaSet', rs) },
        spec: { nodeName: `node-${address % 500}`, containers: spec.template.spec.containers },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      });
    }
  }
  return out;
}

/** Where each input form of a profile is written, under its folder in bench/out. */
export const FORM_FILES: Record<string, string> = { 'json-list': 'list.json', 'yaml-list': 'list.yaml', 'json-folder': 'json', 'yaml-folder': 'yaml', 'json-dump': 'dump.json' };

/** The input forms written for a profile. */
export function formsOf(p: Profile): string[] {
  return Object.keys(FORM_FILES).filter((form) => form !== 'json-dump' || p.dump !== false);
}

/** Writes a JSON List streamed in pieces: a huge List must not become one giant string. */
function writeJsonList(file: string, objects: Obj[]): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '{"apiVersion":"v1","kind":"List","items":[\n');
  objects.forEach((o, i) => fs.writeSync(fd, `${i ? ',\n' : ''}${JSON.stringify(o)}`));
  fs.writeSync(fd, '\n]}\n');
  fs.closeSync(fd);
}

/**
 * Writes the input forms of a profile: the manifests as one JSON List, one YAML List, and folders of files (JSON,
 * YAML); and the running cluster as a JSON List (`clusterDump`).
 */
export function writeProfile(p: Profile, root: string): { files: Record<string, string>; bytes: Record<string, number> } {
  const dir = path.join(root, p.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'json'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'yaml'), { recursive: true });
  const objects = p.objects();
  const files = Object.fromEntries(formsOf(p).map((form) => [form, path.join(dir, FORM_FILES[form])]));
  writeJsonList(files['json-list'], objects);
  if (files['json-dump']) writeJsonList(files['json-dump'], clusterDump(objects));
  const yamlOut = fs.openSync(files['yaml-list'], 'w');
  fs.writeSync(yamlOut, 'apiVersion: v1\nkind: List\nitems:\n');
  for (const o of objects) fs.writeSync(yamlOut, yaml.dump([o], { lineWidth: -1, noRefs: true }));
  fs.closeSync(yamlOut);
  // One file per namespace, multi-document, as a repository of manifests would be.
  const byNamespace = new Map<string, Obj[]>();
  for (const o of objects) {
    const meta = o.metadata as { name: string; namespace?: string };
    const key = o.kind === 'Namespace' ? meta.name : meta.namespace ?? 'cluster';
    byNamespace.set(key, [...(byNamespace.get(key) ?? []), o]);
  }
  for (const [ns, list] of byNamespace) {
    fs.writeFileSync(path.join(dir, 'json', `${ns}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list }));
    fs.writeFileSync(path.join(dir, 'yaml', `${ns}.yaml`), list.map((o) => yaml.dump(o, { lineWidth: -1, noRefs: true })).join('---\n'));
  }
  const size = (f: string) => (fs.statSync(f).isDirectory() ? fs.readdirSync(f).reduce((a, x) => a + fs.statSync(path.join(f, x)).size, 0) : fs.statSync(f).size);
  return { files, bytes: Object.fromEntries(Object.entries(files).map(([k, f]) => [k, size(f)])) };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('generate.ts')) {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(PROFILES);
  const root = path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
  for (const name of wanted) {
    const p = PROFILES[name];
    if (!p) throw new Error(`unknown profile ${name} (${Object.keys(PROFILES).join(', ')})`);
    const { bytes } = writeProfile(p, root);
    console.log(`${name}: ${p.describe}; expected pairs ${p.expectedPairs.toLocaleString('en-US')}; ${Object.entries(bytes).map(([k, b]) => `${k} ${(b / 1e6).toFixed(1)} MB`).join(', ')}`);
  }
}
