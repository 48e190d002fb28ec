import { fromDiagnostics } from './from-diagnostics.js';

export default fromDiagnostics({
  id: 'invalid-peer', severity: 'error', category: 'validation',
  summary: 'A peer is empty, or combines ipBlock with a selector.',
  help: `A peer must set \`podSelector\`, \`namespaceSelector\` or \`ipBlock\`, and \`ipBlock\` must stand alone. The API server
rejects the policy. Do not confuse a rule \`- {}\` (valid: allow all) with a peer \`- {}\` inside \`from\`/\`to\` (invalid).

Failing:
\`\`\`yaml
ingress:
  - from:
      - ipBlock: {cidr: 10.0.0.0/8}
        podSelector: {matchLabels: {app: web}}
\`\`\`
Passing:
\`\`\`yaml
ingress:
  - from:
      - ipBlock: {cidr: 10.0.0.0/8}
      - podSelector: {matchLabels: {app: web}}
\`\`\``,
});
