import { DIRECTIONS } from '../model/types.js';
import { atEndpoint } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'non-isolated-pod', severity: 'warning', category: 'posture', securitySeverity: 5.0, needsWorkloads: true,
  summary: 'A workload is not isolated for ingress or for egress: any pod may talk to it, or it to anything.',
  help: `A pod that no policy selects for a direction accepts (or sends) all traffic in that direction. Each direction is
reported separately, from the effective \`policyTypes\` of every policy in the namespace: an egress-only policy does
not isolate ingress. System namespaces are skipped (configure \`systemNamespaces\`).

Failing: \`shop/api\` with no policy selecting it.
Passing:
\`\`\`yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    for (const { endpoint, nodes } of ctx.subjects) {
      for (const d of DIRECTIONS) {
        if (nodes.every((n) => ctx.engine.isolated(n, d))) continue;
        out.push(finding(rule, atEndpoint(endpoint), `${endpoint.id} is not isolated for ${d}: no NetworkPolicy selects it for ${d === 'ingress' ? 'Ingress' : 'Egress'}, so ${d === 'ingress' ? 'every source may reach it' : 'it may reach every destination'}`, { discriminator: d }));
      }
    }
    return out;
  },
};
export default rule;
