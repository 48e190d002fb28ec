import { isEmptySelector } from '../analyze/selector.js';
import { DIRECTIONS, type Direction } from '../model/types.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'namespace-missing-default-deny', severity: 'warning', category: 'posture', securitySeverity: 4.0, needsWorkloads: true,
  summary: 'A namespace with workloads has no default-deny policy for ingress or for egress.',
  help: `A default-deny (\`podSelector: {}\`, the direction in \`policyTypes\`, no rules for it) makes every new workload start
closed; allow rules then open what is needed. Reported per direction, for namespaces that have workloads in the
input, system namespaces excepted.

Failing: namespace \`shop\` with allow rules only.
Passing:
\`\`\`yaml
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const denies = new Set<string>();
    for (const p of ctx.model.policies) {
      if (p.invalid || !isEmptySelector(p.podSelector)) continue;
      for (const d of DIRECTIONS) if (p.policyTypes[d] && p[d].length === 0) denies.add(`${p.namespace}/${d}`);
    }
    const hasDefaultDeny = (ns: string, d: Direction) => denies.has(`${ns}/${d}`);
    for (const ns of [...ctx.populatedNamespaces].sort()) {
      if (ctx.systemNamespaces.has(ns)) continue;
      const namespace = ctx.model.namespaces.get(ns);
      for (const d of DIRECTIONS) {
        if (hasDefaultDeny(ns, d)) continue;
        out.push(finding(rule, { object: { kind: 'Namespace', name: ns }, origin: namespace?.origin, path: [] },
          `namespace ${ns} has no default-deny for ${d} (a policy with podSelector: {}, ${d === 'ingress' ? 'Ingress' : 'Egress'} in policyTypes and no ${d} rules)`, { discriminator: d }));
      }
    }
    return out;
  },
};
export default rule;
