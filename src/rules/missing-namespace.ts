import { at } from './helpers.js';
import { finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'missing-namespace', severity: 'warning', category: 'validation',
  summary: 'The policy has no metadata.namespace, so it lands wherever kubectl or the pipeline points.',
  help: `Without \`metadata.namespace\`, \`kubectl apply\` puts the policy in the current context's namespace: a default-deny
can end up in the wrong namespace and protect nothing. netpol analyses it in the \`-n\` namespace (default
\`default\`). Helm (\`.Release.Namespace\`), Kustomize and GitOps tools often set it at apply time: suppress the rule
or set \`-n\` then.

Failing:
\`\`\`yaml
metadata:
  name: default-deny
\`\`\`
Passing:
\`\`\`yaml
metadata:
  name: default-deny
  namespace: shop
\`\`\``,
  check(ctx) {
    return ctx.model.policies.filter((p) => !p.written.namespace).map((p) => finding(rule, at(p, ['metadata']), `no metadata.namespace: the policy applies to whichever namespace it is applied in (analysed as ${p.namespace})`));
  },
};
export default rule;
