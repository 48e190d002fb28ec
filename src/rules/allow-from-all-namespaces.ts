import { isEmptySelector } from '../analyze/selector.js';
import { at } from './helpers.js';
import { finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'allow-from-all-namespaces', severity: 'warning', category: 'posture', securitySeverity: 5.5,
  summary: 'A peer admits pods of every namespace.',
  help: `\`namespaceSelector: {}\` without a pod selector (or with \`podSelector: {}\`) is every pod in the cluster. With a
specific podSelector it is that app in any namespace, which anyone allowed to label pods anywhere can join (info).

Failing:
\`\`\`yaml
- from:
    - namespaceSelector: {}
\`\`\`
Passing:
\`\`\`yaml
- from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: frontend}}
\`\`\``,
  check(ctx) {
    return ctx.engine.policies.flatMap((cp) => [...cp.rules.ingress, ...cp.rules.egress].flatMap((r) => (r.rule.peers ?? [])
      .filter((peer) => peer.namespaceSelector && isEmptySelector(peer.namespaceSelector))
      .map((peer) => (!peer.podSelector || isEmptySelector(peer.podSelector)
        ? finding(rule, at(cp.policy, peer.path), `${r.direction} rule ${r.rule.index} admits every pod of every namespace`)
        : finding(rule, at(cp.policy, peer.path), `${r.direction} rule ${r.rule.index} admits the selected pods from any namespace; anyone who can label pods anywhere can match it`, { severity: 'info' })))));
  },
};
export default rule;
