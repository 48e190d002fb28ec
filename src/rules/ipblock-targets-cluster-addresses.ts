import { cidrRange, parseCidr, parseIp } from '../model/cidr.js';
import { at, listOf } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'ipblock-targets-cluster-addresses', severity: 'warning', category: 'cni',
  summary: 'An ipBlock covers in-cluster addresses, where plugins disagree or the rule never matches.',
  help: `ipBlocks are meant for addresses outside the cluster. Over **pod IPs** they match on Calico but not on Cilium (and
pod IPs change: use selectors). Over a **Service ClusterIP** (e.g. kube-dns 10.96.0.10) they usually never match,
because policies see the pod address after DNAT. Addresses are taken from the input (pod IPs and ClusterIPs in
live dumps).

Failing:
\`\`\`yaml
egress:
  - to:
      - ipBlock: {cidr: 10.96.0.10/32}      # the kube-dns Service
\`\`\`
Passing:
\`\`\`yaml
egress:
  - to:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
        podSelector: {matchLabels: {k8s-app: kube-dns}}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const pods: [string, string][] = ctx.model.endpoints.flatMap((e) => e.members.filter((m) => !m.hostNetwork).flatMap((m) => m.ips.map((ip): [string, string] => [ip, e.id])));
    const services: [string, string][] = ctx.model.services.flatMap((s) => s.clusterIPs.map((ip): [string, string] => [ip, `${s.namespace}/${s.name}`]));
    if (!pods.length && !services.length) return out;
    for (const cp of ctx.engine.policies) {
      for (const r of [...cp.rules.ingress, ...cp.rules.egress]) {
        for (const peer of r.rule.peers ?? []) {
          if (!peer.ipBlock) continue;
          const inside = (ip: string) => {
            const a = parseIp(ip);
            const c = parseCidr(peer.ipBlock!.cidr)!;
            if (!a || a.family !== c.family) return false;
            const [lo, hi] = cidrRange(c);
            if (a.value < lo || a.value > hi) return false;
            return !peer.ipBlock!.except.some((x) => { const [elo, ehi] = cidrRange(parseCidr(x)!); return a.value >= elo && a.value <= ehi; });
          };
          const hitPods = [...new Set(pods.filter(([ip]) => inside(ip)).map(([, id]) => id))];
          const hitServices = [...new Set(services.filter(([ip]) => inside(ip)).map(([, id]) => id))];
          if (hitServices.length) out.push(finding(rule, at(cp.policy, [...peer.path, 'ipBlock']), `ipBlock ${peer.ipBlock.cidr} covers the ClusterIP of Service ${listOf(hitServices)}; policies see the backend pod after DNAT, so this usually never matches`, { discriminator: 'service' }));
          if (hitPods.length) out.push(finding(rule, at(cp.policy, [...peer.path, 'ipBlock']), `ipBlock ${peer.ipBlock.cidr} covers pod IPs (${listOf(hitPods)}); Calico matches them, Cilium does not, and pod IPs change; use selectors`, { discriminator: 'pods' }));
        }
      }
    }
    return out;
  },
};
export default rule;
