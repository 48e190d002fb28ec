import { explainPair } from '../analyze/explain.js';
import { connAllows } from '../analyze/ports.js';
import { isEmptySelector, selectorMatches } from '../analyze/selector.js';
import { at } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'blanket-policy-selects-system-pods', severity: 'warning', category: 'posture', securitySeverity: 3.0,
  summary: 'A catch-all policy in a system namespace cuts off cluster DNS.',
  help: `A \`podSelector: {}\` policy that isolates ingress in \`kube-system\` (or another system namespace) also selects the DNS
pods. Unless a rule keeps UDP and TCP 53 open to every namespace, every lookup in the cluster fails.

Failing:
\`\`\`yaml
metadata: {name: default-deny, namespace: kube-system}
spec:
  podSelector: {}
  policyTypes: [Ingress]
\`\`\`
Passing: add
\`\`\`yaml
  ingress:
    - from: [{namespaceSelector: {}}]
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    const dnsPods = e.nodes.filter((n) => n.kind === 'pod' && n.namespace === ctx.dns.namespace && selectorMatches({ matchLabels: ctx.dns.podLabels, matchExpressions: [] }, n.labels));
    const clients = e.nodes.filter((n) => n.kind === 'pod' && n.namespace !== ctx.dns.namespace);
    for (const cp of e.policies) {
      const p = cp.policy;
      if (!ctx.systemNamespaces.has(p.namespace) || !isEmptySelector(p.podSelector) || !p.policyTypes.ingress) continue;
      const cut = dnsPods.filter((d) => cp.selected.includes(d.id) && clients.some((s) => {
        const allowed = explainPair(e, s.id, d.id).ingress.allowed;
        return !ctx.dns.ports.every((port) => connAllows(allowed, 'UDP', port) && connAllows(allowed, 'TCP', port));
      }));
      if (cut.length) out.push(finding(rule, at(p, ['spec', 'podSelector']), `this catch-all policy isolates the DNS pods in ${p.namespace}, and not every namespace may reach them on UDP and TCP ${ctx.dns.ports.join(', ')}`));
    }
    return out;
  },
};
export default rule;
