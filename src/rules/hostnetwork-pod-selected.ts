import { describePeer } from '../analyze/explain.js';
import { at, eachPeer, endpointsByNode, listOf } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'hostnetwork-pod-selected', severity: 'warning', category: 'dead-config', needsWorkloads: true,
  summary: 'The policy targets or names host-network pods, which NetworkPolicy does not govern.',
  help: `Pods with \`hostNetwork: true\` share the node's network. Most plugins ignore them in \`podSelector\` and in peer
selectors; their traffic is node traffic. "Protecting" a node agent with a policy, or admitting a host-network
ingress controller by its labels, has no effect. Match the node addresses with an ipBlock instead, or run the
pod without host networking.

Failing:
\`\`\`yaml
ingress:
  - from:
      - podSelector: {matchLabels: {app: ingress-nginx}}   # runs with hostNetwork: true
\`\`\`
Passing:
\`\`\`yaml
      - ipBlock: {cidr: 192.168.10.0/24}                   # the nodes' addresses
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    const hosts = e.nodes.filter((n) => n.kind === 'host');
    if (!hosts.length) return out;
    const names = endpointsByNode(ctx);
    for (const { policy: p } of e.policies) {
      const selected = hosts.filter((n) => e.policySelects(p, n, true));
      if (selected.length) out.push(finding(rule, at(p, ['spec', 'podSelector']), `podSelector also matches host-network pods (${listOf(selected.flatMap((n) => names[n.id]))}), which the policy does not isolate`));
    }
    eachPeer(ctx, (peer, _r, { policy: p }) => {
      if (peer.ipBlock) return;
      const named = hosts.filter((n) => e.peerMatches(peer, p, n, true));
      if (named.length) out.push(finding(rule, at(p, peer.path), `peer ${describePeer(peer, p)} names host-network pods (${listOf(named.flatMap((n) => names[n.id]))}); selectors do not match their traffic, which comes from node addresses`));
    });
    return out;
  },
};
export default rule;
