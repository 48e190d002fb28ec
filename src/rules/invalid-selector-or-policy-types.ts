import { fromDiagnostics } from './from-diagnostics.js';

export default fromDiagnostics({
  id: 'invalid-selector-or-policy-types', severity: 'error', category: 'validation',
  summary: 'A label selector or a policyTypes value is invalid.',
  help: `Operators are \`In\`, \`NotIn\`, \`Exists\` and \`DoesNotExist\`; \`In\`/\`NotIn\` need values, \`Exists\`/\`DoesNotExist\` take
none; label keys and values follow the Kubernetes syntax and values are strings (quote \`"true"\`); \`policyTypes\` holds
only \`Ingress\` and \`Egress\`.

Failing:
\`\`\`yaml
podSelector:
  matchLabels: {enabled: true}
policyTypes: [ingress]
\`\`\`
Passing:
\`\`\`yaml
podSelector:
  matchLabels: {enabled: "true"}
policyTypes: [Ingress]
\`\`\``,
});
