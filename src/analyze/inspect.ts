import type { Origin } from '../load/types.js';
import type { ContainerPort, Labels } from '../model/types.js';
import type { Engine } from './engine.js';
import { formatSelector } from './selector.js';

export interface Location {
  file: string;
  line: number;
}

/** What `netpol inspect` shows: the model as loaded, which endpoints each policy selects, who isolates whom. */
export interface InspectReport {
  namespaces: { name: string; labels: Labels; assumed: boolean }[];
  endpoints: {
    id: string; kind: string; namespace: string; name: string; replicas: number | null; pods: number;
    hostNetwork: boolean; labels: Labels; ports: ContainerPort[]; location?: Location;
  }[];
  policies: {
    id: string; namespace: string; name: string; location?: Location; invalid: boolean;
    podSelector: string; policyTypes: string[]; policyTypesDefaulted: boolean;
    ingressRules: number; egressRules: number; selects: string[];
  }[];
  isolation: { endpoint: string; ingress: string[]; egress: string[] }[];
}

export function inspectModel(engine: Engine, locate: (o: Origin) => Location | undefined): InspectReport {
  const model = engine.model;
  const endpointsOfNode: string[][] = engine.nodes.map(() => []);
  engine.endpointNodes.forEach((nodes, i) => nodes.forEach((n) => endpointsOfNode[n].push(model.endpoints[i].id)));
  const compiled = new Map(engine.policies.map((cp) => [cp.policy, cp]));
  const policies = model.policies.map((p) => {
    const cp = compiled.get(p);
    const selects = new Set<string>();
    for (const n of cp?.selected ?? []) for (const id of endpointsOfNode[n]) selects.add(id);
    return {
      id: `${p.namespace}/${p.name}`, namespace: p.namespace, name: p.name, location: locate(p.origin), invalid: p.invalid,
      podSelector: formatSelector(p.podSelector),
      policyTypes: [p.policyTypes.ingress ? 'Ingress' : '', p.policyTypes.egress ? 'Egress' : ''].filter(Boolean),
      policyTypesDefaulted: p.policyTypesDefaulted,
      ingressRules: p.ingress.length, egressRules: p.egress.length,
      selects: [...selects].sort(),
    };
  });
  const policyId = (i: number) => `${engine.policies[i].policy.namespace}/${engine.policies[i].policy.name}`;
  const isolation = model.endpoints.map((e, i) => {
    const of = (d: 'ingress' | 'egress') => [...new Set(engine.endpointNodes[i].flatMap((n) => engine.selecting[d][n].map(policyId)))].sort();
    return { endpoint: e.id, ingress: of('ingress'), egress: of('egress') };
  });
  return {
    namespaces: [...model.namespaces.values()].map((ns) => ({ name: ns.name, labels: ns.labels, assumed: ns.synthesized })),
    endpoints: model.endpoints.map((e) => {
      const first = e.members[0];
      const ports = new Map<string, ContainerPort>();
      for (const m of e.members) for (const p of m.ports) ports.set(`${p.name ?? ''}:${p.port}/${p.protocol}`, p);
      return {
        id: e.id, kind: e.kind, namespace: e.namespace, name: e.name, replicas: e.replicas, pods: e.members.filter((m) => m.podName).length,
        hostNetwork: e.members.some((m) => m.hostNetwork), labels: first?.labels ?? {}, ports: [...ports.values()], location: locate(e.origin),
      };
    }),
    policies,
    isolation,
  };
}
