import { atEndpoint } from './helpers.js';
import { finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'ingress-only-isolation', severity: 'info', category: 'posture', needsWorkloads: true,
  summary: 'A workload is isolated for ingress, but its egress is wide open.',
  help: `Restricting who may reach a pod while letting it send anything anywhere leaves exfiltration and lateral movement
open. Kept apart from \`non-isolated-pod\` so teams can adopt egress policies gradually.

Failing: \`policyTypes: [Ingress]\` as the only policy of \`shop/api\`.
Passing: add \`Egress\` with the destinations the api needs (and DNS).`,
  check(ctx) {
    return ctx.subjects
      .filter(({ nodes }) => nodes.every((n) => ctx.engine.isolated(n, 'ingress')) && !nodes.some((n) => ctx.engine.isolated(n, 'egress')))
      .map(({ endpoint }) => finding(rule, atEndpoint(endpoint), `${endpoint.id} is isolated for ingress only; its egress is unrestricted`));
  },
};
export default rule;
