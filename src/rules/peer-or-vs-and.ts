import { DIRECTIONS } from '../model/types.js';
import { at } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'peer-or-vs-and', severity: 'warning', category: 'dead-config', securitySeverity: 6.0,
  summary: 'Two list items (OR) where one peer with both selectors (AND) was almost certainly meant.',
  help: `In \`from\`/\`to\`, separate list items are ORed; the fields of one item are ANDed. A \`namespaceSelector\`-only item next
to a \`podSelector\`-only item admits **every** pod of the selected namespaces **plus** matching pods of the policy's
own namespace. If the OR is deliberate, suppress the finding.

Failing:
\`\`\`yaml
- from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
    - podSelector: {matchLabels: {app: prometheus}}
\`\`\`
Passing:
\`\`\`yaml
- from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
      podSelector: {matchLabels: {app: prometheus}}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.model.policies) {
      for (const d of DIRECTIONS) {
        for (const r of p[d]) {
          if (r.peers === null || r.peers.length < 2) continue;
          const nsOnly = r.peers.findIndex((x) => x.namespaceSelector && !x.podSelector);
          const podOnly = r.peers.findIndex((x) => x.podSelector && !x.namespaceSelector);
          if (nsOnly < 0 || podOnly < 0) continue;
          out.push(finding(rule, at(p, r.path), `peers ${nsOnly} and ${podOnly} of ${r.direction} rule ${r.index} are ORed: every pod of the selected namespaces is admitted, plus the selected pods of ${p.namespace}; write one peer with both selectors to require both`));
        }
      }
    }
    return out;
  },
};
export default rule;
