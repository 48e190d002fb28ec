import { isEmptySelector } from '../analyze/selector.js';
import { DIRECTIONS } from '../model/types.js';
import { at, policyName } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'vacuous-or-shadowed-deny', severity: 'warning', category: 'redundancy', securitySeverity: 5.0,
  summary: 'A default-deny is cancelled by an allow-all policy for the same pods and direction.',
  help: `Policies add up: a \`podSelector: {}\` policy with a rule \`{}\` (every peer, every port) makes the namespace's
default-deny for that direction meaningless.

Failing (same namespace):
\`\`\`yaml
spec: {podSelector: {}, policyTypes: [Ingress]}               # default-deny
---
spec: {podSelector: {}, ingress: [{}]}                          # allow everything
\`\`\`
Passing: narrow the allow policy to the peers and ports really needed.`,
  check(ctx) {
    const out: Finding[] = [];
    const valid = ctx.model.policies.filter((p) => !p.invalid && isEmptySelector(p.podSelector));
    for (const d of DIRECTIONS) {
      const allowAll = new Map<string, (typeof valid)[number]>();
      for (const p of valid) if (p.policyTypes[d] && p[d].some((r) => r.peers === null && r.ports === null) && !allowAll.has(p.namespace)) allowAll.set(p.namespace, p);
      for (const deny of valid.filter((p) => p.policyTypes[d] && p[d].length === 0)) {
        const allow = allowAll.get(deny.namespace);
        if (allow) {
          out.push(finding(rule, at(deny, ['spec', 'policyTypes']), `the ${d} default-deny is cancelled: ${policyName(allow)} allows all ${d} to every pod of ${deny.namespace}`, {
            discriminator: d, related: [{ ...at(allow), message: `allows all ${d}` }],
          }));
        }
      }
    }
    return out;
  },
};
export default rule;
