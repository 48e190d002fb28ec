import { AddressIndex } from '../analyze/addresses.js';
import { at, eachPeer, listOf } from './helpers.js';
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
    // Indexed once by address atom: comparing every address with every ipBlock took minutes on a live dump of a
    // few thousand pods and policies (13,800 blocks x 5,400 pod IPs on the medium benchmark profile). Made at the
    // first ipBlock: parsing 100,000 pod IPs costs 0.3 s, for nothing when no policy has one.
    let indexes: { pods: AddressIndex; services: AddressIndex } | undefined;
    const indexed = () => (indexes ??= {
      pods: new AddressIndex(ctx.engine.space, ctx.model.endpoints.flatMap((e) => e.members.filter((m) => !m.hostNetwork).flatMap((m) => m.ips.map((ip) => [ip, e.id] as const)))),
      services: new AddressIndex(ctx.engine.space, ctx.model.services.flatMap((s) => s.clusterIPs.map((ip) => [ip, `${s.namespace}/${s.name}`] as const))),
    });
    eachPeer(ctx, (peer, _r, cp) => {
      if (!peer.ipBlock) return;
      const { pods, services } = indexed();
      const hitServices = services.covered(peer.ipBlock);
      const hitPods = pods.covered(peer.ipBlock);
      if (hitServices.length) out.push(finding(rule, at(cp.policy, [...peer.path, 'ipBlock']), `ipBlock ${peer.ipBlock.cidr} covers the ClusterIP of Service ${listOf(hitServices)}; policies see the backend pod after DNAT, so this usually never matches`, { discriminator: 'service' }));
      if (hitPods.length) out.push(finding(rule, at(cp.policy, [...peer.path, 'ipBlock']), `ipBlock ${peer.ipBlock.cidr} covers pod IPs (${listOf(hitPods)}); Calico matches them, Cilium does not, and pod IPs change; use selectors`, { discriminator: 'pods' }));
    });
    return out;
  },
};
export default rule;
