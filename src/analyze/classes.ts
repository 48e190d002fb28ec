import { parseIp } from '../model/cidr.js';
import type { ClusterModel, ContainerPort, Labels, NetworkPolicy, PodShape, PolicyRule } from '../model/types.js';
import type { AddressSpace } from './addresses.js';
import { distinctRules } from './policy-rules.js';
import { selectorTerms } from './selector.js';

export type NodeKind = 'pod' | 'host' | 'external';

/**
 * A set of endpoints that no policy can tell apart (performance.md §c.2): pods of one namespace that agree on
 * every label value a selector compares, declare the same referenced named ports, and (when ipBlocks may match
 * them) sit in the same address atoms. Host-network pods and external address sets are classes too, so that
 * every row and column of the matrix is one.
 */
export interface EndpointClass {
  id: number;
  kind: NodeKind;
  namespace?: string;
  /** Labels of a representative member; every member agrees with them on everything a selector reads. */
  labels: Labels;
  /** Container ports of a representative member, for named-port resolution. */
  ports: ContainerPort[];
  /** Address atoms of the class's IPs when ipBlocks can match it; for an external class, the atoms it consists of. */
  atoms: number[];
}

/** What the policies read from pods: label keys with the values compared, and port names. */
export interface Relevance {
  labels: Map<string, Set<string>>;
  /** `labels` as two arrays in its order, for the per-pod key: a Map's iterator allocates per step until optimised. */
  labelKeys: string[];
  labelValues: Set<string>[];
  portNames: Set<string>;
}

/** `rules` are the policies' distinct rules (distinctRules), which the engine has already listed. */
export function relevanceOf(policies: readonly NetworkPolicy[], rules: readonly PolicyRule[] = distinctRules(policies)): Relevance {
  const labels = new Map<string, Set<string>>();
  const portNames = new Set<string>();
  // Copies of a policy share their normalised selectors and rules: each is read once.
  const seen = new Set<object>();
  const addSelector = (sel: Parameters<typeof selectorTerms>[0] | undefined) => {
    if (!sel || seen.has(sel)) return;
    seen.add(sel);
    for (const [k, values] of selectorTerms(sel)) {
      let s = labels.get(k);
      if (!s) labels.set(k, (s = new Set()));
      for (const v of values) s.add(v);
    }
  };
  for (const p of policies) addSelector(p.podSelector);
  for (const r of rules) {
    for (const peer of r.peers ?? []) addSelector(peer.podSelector);
    for (const port of r.ports ?? []) if (typeof port.port === 'string') portNames.add(port.port);
  }
  return { labels, labelKeys: [...labels.keys()], labelValues: [...labels.values()], portNames };
}

const OTHER_VALUE = '\u0001';
/**
 * Separates the parts of a class key. Label keys, compared values and port names in a key come from validated
 * selectors and rules, so none holds it; a namespace name from unvalidated input might, and is then quoted.
 */
const SEP = '\u0000';

/** The class key of one pod: its identity as far as policies can see. */
export function classKey(namespace: string, pod: PodShape, relevance: Relevance, atoms: number[]): string {
  // Built by concatenation: JSON.stringify of nested arrays per pod was most of classifying 10,000 workloads.
  let key = (pod.hostNetwork ? 'host' : 'pod') + SEP + (namespace.includes(SEP) ? JSON.stringify(namespace) : namespace);
  const { labelKeys, labelValues } = relevance;
  for (let i = 0; i < labelKeys.length; i++) {
    const k = labelKeys[i];
    if (!Object.prototype.hasOwnProperty.call(pod.labels, k)) continue;
    const v = pod.labels[k];
    key += SEP + k + SEP + (labelValues[i].has(v) ? v : OTHER_VALUE);
  }
  key += SEP;
  if (relevance.portNames.size > 0) {
    const ports = pod.ports.filter((p) => p.name && relevance.portNames.has(p.name)).map((p) => `${p.name}:${p.port}/${p.protocol}`).sort();
    for (const p of ports) key += SEP + p;
  }
  return atoms.length ? `${key}${SEP}${SEP}${atoms.join(',')}` : key;
}

export interface Classification {
  classes: EndpointClass[];
  /** For each model endpoint (same index), the classes of its members. */
  endpointClasses: number[][];
}

/**
 * Groups the model's pods into classes. `ipBlockMatchesPods` puts pod IPs into the key (host-network pods'
 * IPs always count: they are node addresses, which ipBlocks match in every implementation).
 */
export function classifyEndpoints(model: ClusterModel, relevance: Relevance, space: AddressSpace, ipBlockMatchesPods: boolean): Classification {
  const byKey = new Map<string, number>();
  const classes: EndpointClass[] = [];
  const endpointClasses: number[][] = [];
  // Indexed loops: once per endpoint and pod, mostly unoptimised, where a for-of allocates a result per step.
  for (let i = 0; i < model.endpoints.length; i++) {
    const e = model.endpoints[i];
    const ids: number[] = [];
    let previous: PodShape | undefined;
    let previousId = -1;
    for (let j = 0; j < e.members.length; j++) {
      const m = e.members[j];
      // The model gives the pods of one controller the same label and port objects when they agree (podShape);
      // without addresses in the key, such a pod is in the class of the one before it.
      if (previous && m.labels === previous.labels && m.ports === previous.ports && !m.hostNetwork && !previous.hostNetwork && !ipBlockMatchesPods) {
        previous = m;
        continue;
      }
      const atoms = m.hostNetwork || ipBlockMatchesPods ? atomsOfIps(m.ips, space) : [];
      const key = classKey(e.namespace, m, relevance, atoms);
      let id = byKey.get(key);
      if (id === undefined) {
        id = classes.length;
        byKey.set(key, id);
        classes.push({ id, kind: m.hostNetwork ? 'host' : 'pod', namespace: e.namespace, labels: m.labels, ports: m.ports, atoms });
      }
      if (id !== previousId && !ids.includes(id)) ids.push(id);
      previous = m;
      previousId = id;
    }
    endpointClasses.push(ids.length > 1 ? ids.sort((a, b) => a - b) : ids);
  }
  return { classes, endpointClasses };
}

function atomsOfIps(ips: string[], space: AddressSpace): number[] {
  const atoms = new Set<number>();
  for (const text of ips) {
    const ip = parseIp(text);
    if (ip) atoms.add(space.atomOf(ip));
  }
  return [...atoms].sort((a, b) => a - b);
}
