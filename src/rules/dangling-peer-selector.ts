import { isEmptySelector } from '../analyze/selector.js';
import { describePeer } from '../analyze/explain.js';
import { at, eachPeer } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'dangling-peer-selector', severity: 'warning', category: 'dead-config', needsWorkloads: true,
  summary: 'A peer selects no pod, so that part of the rule allows nothing.',
  help: `A \`podSelector\` peer (in the policy's namespace, or in the namespaces its \`namespaceSelector\` picks) that matches no
pod admits nobody. Empty selectors are never flagged, ipBlocks are not checked against pods, and peers whose
namespaces have no workloads in the input are skipped (they may be deployed by someone else). A peer whose
namespaceSelector matches no namespace at all is \`namespace-selector-label\`.

Failing:
\`\`\`yaml
ingress:
  - from:
      - podSelector: {matchLabels: {app: front-end}}   # pods are labelled app: frontend
\`\`\`
Passing:
\`\`\`yaml
      - podSelector: {matchLabels: {app: frontend}}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const hosts = ctx.engine.nodes.filter((n) => n.kind === 'host');
    eachPeer(ctx, (peer, r, cp) => {
      const p = cp.policy;
      if (peer.ipBlock || (peer.podSelector === undefined || isEmptySelector(peer.podSelector))) return;
      const populated = peer.namespaceSelector
        ? ctx.engine.namespacesMatching(peer.namespaceSelector).some((ns) => ctx.populatedNamespaces.has(ns))
        : ctx.populatedNamespaces.has(p.namespace);
      if (!populated) return;
      // The rule's compiled peer classes are the union of its peers' matches: nothing there, nothing for this
      // peer; and a rule's only peer matches exactly those. Only other peers are looked up on their own.
      const matchesPod = r.peerNodes.length > 0 && (r.rule.peers!.length === 1 || ctx.engine.nodesOfPeer(peer, p).length > 0);
      const matched = matchesPod || hosts.some((n) => ctx.engine.peerMatches(peer, p, n, true));
      if (!matched) out.push(finding(rule, at(p, peer.path), `peer ${describePeer(peer, p)} matches no pod; it admits nobody`));
    });
    return out;
  },
};
export default rule;
