import { selectorMatches } from '../analyze/selector.js';
import { parseIp } from '../model/cidr.js';
import type { ClusterModel, Endpoint } from '../model/types.js';
import { METADATA_NAME_LABEL, endpointId } from '../model/types.js';
import type { DnsTarget, LintContext } from './types.js';

export const DEFAULT_DNS: DnsTarget = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53], addresses: [] };

const isDnsPod = (dns: DnsTarget, namespace: string, labels: Record<string, string>) =>
  namespace === dns.namespace && selectorMatches({ matchLabels: dns.podLabels, matchExpressions: [] }, labels);

/**
 * The model with the cluster DNS pods added when the input has none (a chart linted alone), so that DNS rules can
 * still be decided through the engine. Returns whether it assumed them, so the CLI can say so once.
 */
export function withAssumedDns(model: ClusterModel, dns: DnsTarget): { model: ClusterModel; assumed: boolean } {
  if (dns.addresses.length || model.endpoints.some((e) => e.members.some((m) => isDnsPod(dns, e.namespace, m.labels)))) return { model, assumed: false };
  const origin = { file: '(assumed)', docIndex: 0, docLine: 0, pathPrefix: [], live: true };
  const endpoint: Endpoint = {
    id: endpointId(dns.namespace, 'cluster-dns', 'Assumed'), kind: 'Assumed', namespace: dns.namespace, name: 'cluster-dns', replicas: null, origin,
    members: [{ labels: { ...dns.podLabels }, ports: dns.ports.flatMap((port) => [{ port, protocol: 'UDP' as const }, { port, protocol: 'TCP' as const }]), hostNetwork: false, ips: [] }],
  };
  const namespaces = new Map(model.namespaces);
  if (!namespaces.has(dns.namespace)) namespaces.set(dns.namespace, { name: dns.namespace, labels: { [METADATA_NAME_LABEL]: dns.namespace }, synthesized: true });
  return { model: { ...model, namespaces, endpoints: [...model.endpoints, endpoint] }, assumed: true };
}

/** Engine classes that stand for the cluster DNS: its pods, or external sets holding its configured addresses. */
export function dnsNodes(ctx: LintContext): number[] {
  const e = ctx.engine;
  const nodes = e.nodes.filter((n) => n.kind === 'pod' && isDnsPod(ctx.dns, n.namespace!, n.labels)).map((n) => n.id);
  for (const a of ctx.dns.addresses) {
    const ip = parseIp(a);
    if (!ip) continue;
    const atom = e.space.atomOf(ip);
    const ext = e.externals.find((x) => e.nodes[x.node].atoms.includes(atom));
    if (ext) nodes.push(ext.node);
  }
  return nodes;
}
