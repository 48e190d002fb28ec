import { isEmptySelector } from '../analyze/selector.js';
import { at, eachPeer } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

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
    const out: Finding[] = [];
    eachPeer(ctx, (peer, r, cp) => {
      if (!peer.namespaceSelector || !isEmptySelector(peer.namespaceSelector)) return;
      out.push(!peer.podSelector || isEmptySelector(peer.podSelector)
        ? finding(rule, at(cp.policy, peer.path), `${r.direction} rule ${r.rule.index} admits every pod of every namespace`)
        : finding(rule, at(cp.policy, peer.path), `${r.direction} rule ${r.rule.index} admits the selected pods from any namespace; anyone who can label pods anywhere can match it`, { severity: 'info' }));
    });
    return out;
  },
};
export default rule;
