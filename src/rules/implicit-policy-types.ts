import { at } from './helpers.js';
import { finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'implicit-policy-types', severity: 'warning', category: 'dead-config',
  summary: 'policyTypes is omitted, so API-server defaulting decides what the policy isolates.',
  help: `Without \`policyTypes\` the API server uses \`[Ingress]\`, plus \`Egress\` only when \`egress\` has at least one rule. Two
surprises follow:

- **error**: \`egress: []\` without \`policyTypes\` does *not* deny egress (the list is empty), and denies all ingress instead;
- **warning**: a policy with only egress rules also becomes an ingress default-deny for the pods it selects;
- **info** otherwise: say what you mean.

Failing:
\`\`\`yaml
spec:
  podSelector: {}
  egress: []          # meant "deny all egress"; actually denies all ingress
\`\`\`
Passing:
\`\`\`yaml
spec:
  podSelector: {}
  policyTypes: [Egress]
\`\`\``,
  check(ctx) {
    return ctx.model.policies.filter((p) => p.policyTypesDefaulted && !p.invalid).map((p) => {
      if (p.written.egress === 'empty') {
        return finding(rule, at(p, ['spec', 'egress']), 'egress: [] without policyTypes does not isolate egress (the list is empty), and the policy denies all ingress to the selected pods instead; add policyTypes: [Egress] for a default-deny egress', { severity: 'error' });
      }
      if (p.written.egress === 'rules' && p.written.ingress !== 'rules') {
        return finding(rule, at(p, ['spec']), 'this egress policy has no policyTypes, so it also denies all ingress to the selected pods; add policyTypes: [Egress] if that is not intended');
      }
      const types = [p.policyTypes.ingress ? 'Ingress' : '', p.policyTypes.egress ? 'Egress' : ''].filter(Boolean).join(', ');
      return finding(rule, at(p, ['spec']), `policyTypes is defaulted to [${types}]; write it out`, { severity: 'info' });
    });
  },
};
export default rule;
