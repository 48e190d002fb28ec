import { fromDiagnostics } from './from-diagnostics.js';

export default fromDiagnostics({
  id: 'invalid-resource-shape', severity: 'error', category: 'validation',
  summary: 'The object is not a well-formed networking.k8s.io/v1 NetworkPolicy.',
  help: `Unknown or misplaced fields (\`podSelectors\`, \`from\` inside an egress rule), a missing \`spec\` or \`metadata.name\`, a
removed apiVersion, or a field of the wrong type. Unless strict field validation is on, the API server **drops**
unknown fields, and the policy then means something else: an egress rule whose \`from:\` is dropped allows
traffic to anywhere.

Failing:
\`\`\`yaml
spec:
  podSelector: {}
  egress:
    - from:                 # "from" belongs to ingress rules; dropped, the rule allows everything
        - podSelector: {}
\`\`\`
Passing:
\`\`\`yaml
spec:
  podSelector: {}
  egress:
    - to:
        - podSelector: {}
\`\`\``,
});
