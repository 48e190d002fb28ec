import { DIRECTIONS } from '../model/types.js';
import { atEndpoint, policyName, listOf } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'target-fully-isolated', severity: 'info', category: 'dns', needsWorkloads: true,
  summary: 'A workload is isolated in a direction and no rule allows anything that way.',
  help: `Only deny-all policies select it for that direction: nothing may reach it (ingress) or nothing may leave it
(egress). Often intended (batch jobs without callers), but surprising when it backs a Service.

Failing: \`shop/api\` selected only by \`default-deny\`.
Passing: an allow policy for what \`shop/api\` serves or needs.`,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    for (const { endpoint, nodes } of ctx.subjects) {
      for (const d of DIRECTIONS) {
        // Told before the policies are listed: most endpoints are not isolated, or some rule allows them something.
        if (!nodes.length || !nodes.every((n) => e.isolated(n, d) && e.selecting[d][n].every((pi) => e.policies[pi].rules[d].length === 0))) continue;
        const policies = [...new Set(nodes.flatMap((n) => e.selecting[d][n]))];
        out.push(finding(rule, atEndpoint(endpoint), `${endpoint.id} is isolated for ${d} by ${listOf(policies.map((pi) => policyName(e.policies[pi].policy)))} and no rule allows any ${d}`, { discriminator: d }));
      }
    }
    return out;
  },
};
export default rule;
