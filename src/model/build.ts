import type { Origin, RawObject } from '../load/types.js';
import { normalizeNetworkPolicy, SpecCache } from './networkpolicy.js';
import { asObject, isWorkloadKind, labelsOf, podShape, templateShape } from './workloads.js';
import type { ClusterModel, Diagnostic, Endpoint, Namespace, NetworkPolicy, PodShape, Protocol, Service } from './types.js';
import { METADATA_NAME_LABEL, PROTOCOLS, annotationKey, endpointId, refOf } from './types.js';
import { ObjectMap } from './object-map.js';

/** Policy kinds netpol recognises but does not analyse yet; listed so nothing is silently ignored. */
const NOT_ANALYSED: Record<string, string> = {
  AdminNetworkPolicy: 'policy.networking.k8s.io',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io',
  ClusterNetworkPolicy: 'policy.networking.k8s.io',
  GlobalNetworkPolicy: 'projectcalico.org',
  StagedNetworkPolicy: 'projectcalico.org',
  CiliumNetworkPolicy: 'cilium.io',
  CiliumClusterwideNetworkPolicy: 'cilium.io',
  AuthorizationPolicy: 'security.istio.io',
  MultiNetworkPolicy: 'k8s.cni.cncf.io',
};


const isKubernetesNetworkPolicy = (o: RawObject) =>
  o.kind === 'NetworkPolicy' && (o.apiVersion.startsWith('networking.k8s.io/') || o.apiVersion.startsWith('extensions/') || o.apiVersion === '');

export interface BuildOptions {
  /** Namespace for objects without metadata.namespace, as `kubectl -n`. */
  defaultNamespace: string;
}

interface Contribution {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  origin: Origin;
  templates: PodShape[];
  pods: PodShape[];
  completed: PodShape[];
  replicas: number | null;
  declared: boolean;
}

/** Builds the cluster model from loaded objects (semantics.md §1). Pure: problems become diagnostics. */
export function buildModel(objects: RawObject[], options: BuildOptions): ClusterModel {
  const diagnostics: Diagnostic[] = [];
  const namespaces = new Map<string, Namespace>();
  // In input order, a redefinition replacing the earlier one at the end (as a Map with delete and set would).
  const policyList: (NetworkPolicy | undefined)[] = [];
  const policyIndex = new ObjectMap<number>();
  const services: Service[] = [];
  const otherKinds = new Map<string, number>();
  const notAnalysed = new Map<string, number>();
  const pods: RawObject[] = [];
  const terminatedPods: RawObject[] = [];
  const workloads: RawObject[] = [];
  const nsOf = (o: RawObject) => {
    const ns = asObject(o.body.metadata).namespace;
    return typeof ns === 'string' && ns ? ns : options.defaultNamespace;
  };
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const annotations = new Map<string, Record<string, string>>();
  const specCache = new SpecCache(objects.filter(isKubernetesNetworkPolicy));

  // Indexed loops over objects, workloads and pods: each runs once, mostly before V8 optimises it, and an
  // unoptimised for-of allocates a result object per step.
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const meta = asObject(o.body.metadata);
    if (meta.annotations && typeof meta.annotations === 'object') {
      const namespace = o.kind === 'Namespace' ? undefined : nsOf(o);
      annotations.set(annotationKey({ kind: o.kind, namespace, name: String(meta.name ?? '') }), labelsOf(meta.annotations));
    }
    if (o.kind === 'Namespace') {
      const name = String(meta.name ?? '');
      if (!name) continue;
      // The API server always sets this label to the name, overriding the manifest (N6).
      namespaces.set(name, { name, labels: { ...labelsOf(meta.labels), [METADATA_NAME_LABEL]: name }, synthesized: false, origin: o.origin });
    } else if (isKubernetesNetworkPolicy(o)) {
      const normalized = normalizeNetworkPolicy(o, options.defaultNamespace, specCache);
      const policy = normalized.policy;
      if (normalized.diagnostics.length) diagnostics.push(...normalized.diagnostics);
      const previous = policyIndex.get(policy.namespace, 'NetworkPolicy', policy.name);
      if (previous === undefined || !policy.name) {
        // Unnamed policies (an error already) replace one another in place.
        if (previous === undefined) policyIndex.set(policy.namespace, 'NetworkPolicy', policy.name, policyList.length);
        policyList[previous ?? policyList.length] = policy;
      } else {
        diagnostics.push({
          severity: 'error', code: 'duplicate-policy-name', object: refOf('NetworkPolicy', policy.namespace, policy.name), origin: o.origin, path: ['metadata', 'name'],
          message: `NetworkPolicy ${policy.namespace}/${policy.name} is defined more than once; this definition replaces the earlier one, as kubectl apply would`,
        });
        policyList[previous] = undefined;
        policyIndex.set(policy.namespace, 'NetworkPolicy', policy.name, policyList.length);
        policyList.push(policy);
      }
    } else if (o.kind === 'Pod') {
      const phase = asObject(o.body.status).phase;
      (phase === 'Succeeded' || phase === 'Failed' ? terminatedPods : pods).push(o);
    } else if (isWorkloadKind(o.kind)) {
      workloads.push(o);
    } else if (o.kind === 'Service') {
      services.push(serviceOf(o, nsOf(o)));
    } else if (NOT_ANALYSED[o.kind] || (o.kind === 'NetworkPolicy' && !isKubernetesNetworkPolicy(o))) {
      count(notAnalysed, `${o.kind} (${o.apiVersion || NOT_ANALYSED[o.kind]})`);
    } else {
      count(otherKinds, o.kind);
    }
  }
  if (otherKinds.size) {
    const list = [...otherKinds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${n} ${k}`).join(', ');
    diagnostics.push({ severity: 'info', code: 'other-kinds', message: `objects that do not decide connectivity, read but not analysed: ${list}` });
  }
  if (notAnalysed.size) {
    diagnostics.push({ severity: 'warning', code: 'not-analysed', message: `not analysed yet: ${[...notAnalysed].map(([k, n]) => `${n} ${k}`).join(', ')}` });
  }

  const endpoints = buildEndpoints(workloads, pods, terminatedPods, nsOf, diagnostics);
  const policies = policyList.filter((p): p is NetworkPolicy => p !== undefined);

  // Namespaces that objects live in but the input does not declare: only the automatic label is known (N6).
  const assumed: string[] = [];
  const ensure = (name: string) => {
    if (namespaces.has(name)) return;
    namespaces.set(name, { name, labels: { [METADATA_NAME_LABEL]: name }, synthesized: true });
    assumed.push(name);
  };
  for (let i = 0; i < endpoints.length; i++) ensure(endpoints[i].namespace);
  for (let i = 0; i < policies.length; i++) ensure(policies[i].namespace);
  for (let i = 0; i < services.length; i++) ensure(services[i].namespace);
  if (assumed.length) {
    // A dump without Namespace objects can name thousands; the first ones make the point.
    const names = assumed.sort();
    const listed = names.length > 20 ? `${names.slice(0, 20).join(', ')} and ${names.length - 20} more` : names.join(', ');
    diagnostics.push({
      severity: 'info', code: 'namespace-assumed',
      message: `${names.length} namespace(s) not declared in the input, assumed with only the ${METADATA_NAME_LABEL} label: ${listed}`,
    });
  }
  const sortedNamespaces = new Map([...namespaces].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    defaultNamespace: options.defaultNamespace,
    namespaces: sortedNamespaces,
    endpoints,
    policies,
    services,
    diagnostics,
    otherKinds,
    annotations,
  };
}

/**
 * Endpoints from workload templates and pods. Pods are grouped under their controller (a ReplicaSet under its
 * Deployment, a Job under its CronJob) so that a live dump and the manifests that made it give the same rows.
 */
function buildEndpoints(workloads: RawObject[], pods: RawObject[], terminatedPods: RawObject[], nsOf: (o: RawObject) => string, diagnostics: Diagnostic[]): Endpoint[] {
  const ownerOf = new ObjectMap<{ kind: string; name: string }>();
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i];
    const ref = controllerRef(w.body);
    if (ref && isWorkloadKind(ref.kind)) ownerOf.set(nsOf(w), w.kind, String(asObject(w.body.metadata).name), ref);
  }
  const resolve = (ns: string, kind: string, name: string, hash?: string) => {
    for (let depth = 0; depth < 5; depth++) {
      const owner = ownerOf.get(ns, kind, name);
      if (owner) {
        ({ kind, name } = owner);
        continue;
      }
      if (kind === 'ReplicaSet' && hash && name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: name.slice(0, -hash.length - 1) };
      break;
    }
    return { kind, name };
  };

  const byObject = new ObjectMap<Contribution>();
  const contributions: Contribution[] = [];
  const contribution = (ns: string, kind: string, name: string, origin: Origin) => {
    let c = byObject.get(ns, kind, name);
    if (!c) {
      c = { id: endpointId(ns, name, kind), kind, namespace: ns, name, origin, templates: NO_SHAPES, pods: NO_SHAPES, completed: NO_SHAPES, replicas: null, declared: false };
      byObject.set(ns, kind, name, c);
      contributions.push(c);
    }
    return c;
  };
  // The previous workload's ports, which the next one takes when it declares the same (templateShape).
  let lastPorts: PodShape['ports'] | undefined;
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i];
    const ns = nsOf(w);
    const name = String(asObject(w.body.metadata).name ?? '');
    if (!name) continue;
    // Most inputs have no workload owned by another (manifests, or a dump without ReplicaSets): no owner to look up.
    const owner = ownerOf.empty ? undefined : resolve(ns, w.kind, name);
    const ownerKind = owner ? owner.kind : w.kind;
    const ownerName = owner ? owner.name : name;
    const t = templateShape(w, lastPorts);
    if (!t) continue;
    lastPorts = t.shape.ports;
    const c = contribution(ns, ownerKind, ownerName, w.origin);
    c.templates = appended(c.templates, t.shape);
    if (ownerKind === w.kind && ownerName === name) {
      c.replicas = t.replicas;
      c.declared = true;
      c.origin = w.origin;
    }
  }
  const droppedPods: string[] = [];
  // A dump lists the pods of one ReplicaSet one after the other: the owner found for one serves the next.
  let last: { ns: string; kind: string; name: string; hash: string | undefined; c: Contribution } | undefined;
  for (const [list, terminated] of [[pods, false], [terminatedPods, true]] as const) {
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      const ns = nsOf(p);
      const meta = asObject(p.body.metadata);
      const podName = String(meta.name ?? '');
      if (!podName) continue;
      const ref = controllerRef(p.body);
      if (terminated && !ref) {
        droppedPods.push(endpointId(ns, podName, 'Pod'));
        continue;
      }
      let c: Contribution;
      if (!ref) c = contribution(ns, 'Pod', podName, p.origin);
      else {
        const labels = asObject(meta.labels);
        const hash = labels['pod-template-hash'] == null ? undefined : String(labels['pod-template-hash']);
        if (last && last.ns === ns && last.kind === ref.kind && last.name === ref.name && last.hash === hash) c = last.c;
        else {
          const owner = resolve(ns, ref.kind, ref.name, hash);
          c = contribution(ns, owner.kind, owner.name, p.origin);
          last = { ns, kind: ref.kind, name: ref.name, hash, c };
        }
      }
      const members = terminated ? c.completed : c.pods;
      const shape = podShape(p, members[members.length - 1]);
      // A completed pod's IP is reused by other pods, so it never carries one (N8).
      if (terminated) c.completed = appended(c.completed, { ...shape, ips: [] });
      else c.pods = appended(c.pods, shape);
    }
  }
  if (droppedPods.length) {
    diagnostics.push({ severity: 'info', code: 'terminated-pods', message: `pods in phase Succeeded or Failed left out (they no longer take part in networking): ${droppedPods.join(', ')}` });
  }

  const endpoints: Endpoint[] = [];
  const scaledToZero: string[] = [];
  const completedOnly: string[] = [];
  for (let i = 0; i < contributions.length; i++) {
    const c = contributions[i];
    const id = c.id;
    if (c.pods.length === 0 && c.replicas === 0) {
      scaledToZero.push(id);
      continue;
    }
    // A controller whose pods have all completed (a finished Job) keeps its row, as a CronJob between runs
    // does: its next pods will carry the same labels. Running pods, when there are any, replace templates.
    const members = c.pods.length ? c.pods : c.templates.length ? c.templates : c.completed;
    if (!c.pods.length && !c.templates.length) completedOnly.push(id);
    endpoints.push({
      id, kind: c.kind, namespace: c.namespace, name: c.name, origin: c.origin, members,
      replicas: c.pods.length && !c.declared ? c.pods.length : c.kind === 'Pod' ? 1 : c.replicas,
    });
  }
  if (completedOnly.length) {
    diagnostics.push({ severity: 'info', code: 'terminated-pods', message: `all pods completed, analysed as they would run again: ${completedOnly.join(', ')}` });
  }
  if (scaledToZero.length) {
    diagnostics.push({ severity: 'info', code: 'scaled-to-zero', message: `no pods, left out of the analysis (replicas: 0): ${scaledToZero.join(', ')}` });
  }
  endpoints.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return endpoints;
}

/** The empty list of a contribution's shapes, shared: `appended` makes a new list for the first item. */
const NO_SHAPES: PodShape[] = [];

/**
 * The list with the item added. A list of one is made as such: a first push gives an array room for 17 elements,
 * and with one member per endpoint (every workload read from manifests) that unused room was a sixth of what the
 * model keeps, copied by every young-generation collection while the model is built.
 */
function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}

/** Owner kinds that do not make pods from a template: a static pod's mirror is "owned" by its Node. */
const NOT_CONTROLLERS = new Set(['Node']);

function controllerRef(body: Record<string, unknown>): { kind: string; name: string } | undefined {
  const refs = asObject(body.metadata).ownerReferences;
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const ref = refs.find((r) => r?.controller === true) ?? refs[0];
  if (typeof ref?.kind !== 'string' || typeof ref?.name !== 'string' || NOT_CONTROLLERS.has(ref.kind)) return undefined;
  return { kind: ref.kind, name: ref.name };
}

function serviceOf(o: RawObject, namespace: string): Service {
  const spec = asObject(o.body.spec);
  const selector = spec.selector && typeof spec.selector === 'object' ? labelsOf(spec.selector) : null;
  const ports = (Array.isArray(spec.ports) ? spec.ports : [])
    .filter((p: any) => typeof p?.port === 'number')
    .map((p: any) => ({
      name: typeof p.name === 'string' ? p.name : undefined,
      port: p.port as number,
      targetPort: (typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : p.port) as number | string,
      protocol: (PROTOCOLS.includes(p.protocol) ? p.protocol : 'TCP') as Protocol,
    }));
  const clusterIPs = [spec.clusterIP, ...(Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [])].filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
  return { namespace, name: String(asObject(o.body.metadata).name ?? ''), selector, ports, clusterIPs: [...new Set(clusterIPs)], origin: o.origin };
}

