import { at, eachRule } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'allow-all-peers', severity: 'warning', category: 'posture', securitySeverity: 6.5,
  summary: 'A rule admits every peer, external addresses included.',
  help: `An ingress rule without \`from\` (or with \`from: []\`) admits every source, inside and outside the cluster; an egress
rule without \`to\` admits every destination. With no \`ports\` either (\`ingress: [{}]\`) it admits everything
(warning); with ports it is often deliberate, e.g. public HTTPS (info). The ladder, widest first: no \`from\` ⊃
\`namespaceSelector: {}\` (all pods) ⊃ \`podSelector: {}\` (pods of this namespace).

Failing:
\`\`\`yaml
ingress:
  - {}
\`\`\`
Passing:
\`\`\`yaml
ingress:
  - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
    ports:
      - port: 8080
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    eachRule(ctx, (r, cp) => {
      if (!r.allPeers) return;
      const side = r.direction === 'ingress' ? 'source' : 'destination';
      out.push(r.rule.ports === null
        ? finding(rule, at(cp.policy, r.rule.path), `${r.direction} rule ${r.rule.index} admits every ${side} on every port, external addresses included`)
        : finding(rule, at(cp.policy, r.rule.path), `${r.direction} rule ${r.rule.index} admits every ${side}, external addresses included, on its ports`, { severity: 'info' }));
    });
    return out;
  },
};
export default rule;
