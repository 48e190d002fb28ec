import { DIRECTIONS } from '../model/types.js';
import { at } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'rules-ignored-by-policy-types', severity: 'error', category: 'dead-config', securitySeverity: 7.5,
  summary: 'Rules are written for a direction that policyTypes leaves out, so they are ignored.',
  help: `When \`policyTypes\` is given, it alone decides which directions a policy isolates. Rules for a direction it does
not list are silently ignored, and the pods are **not** isolated in that direction. The API server accepts this.

Failing:
\`\`\`yaml
spec:
  podSelector: {matchLabels: {app: worker}}
  policyTypes: [Ingress]
  egress:                       # ignored: egress stays wide open
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
\`\`\`
Passing:
\`\`\`yaml
  policyTypes: [Ingress, Egress]
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.model.policies) {
      if (p.policyTypesDefaulted) continue;
      for (const d of DIRECTIONS) {
        if (p.policyTypes[d] || p[d].length === 0) continue;
        out.push(finding(rule, at(p, ['spec', d]), `${p[d].length} ${d} rule${p[d].length === 1 ? ' is' : 's are'} ignored because policyTypes does not list ${d === 'ingress' ? 'Ingress' : 'Egress'}; the selected pods are not isolated for ${d}`, { discriminator: d }));
      }
    }
    return out;
  },
};
export default rule;
