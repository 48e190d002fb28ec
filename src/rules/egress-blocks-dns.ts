import { connAllows } from '../analyze/ports.js';
import { atEndpoint, at, policyName, listOf } from './helpers.js';
import { dnsNodes } from './dns.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'egress-blocks-dns', severity: 'error', category: 'dns', needsWorkloads: true,
  summary: 'An egress-isolated workload cannot reach the cluster DNS on UDP and TCP 53.',
  help: `The most common NetworkPolicy outage: a default-deny egress without an exception for DNS, so every name lookup
times out. Decided on the union of all policies through the engine: every egress-isolated workload must reach the
cluster DNS (pods labelled \`k8s-app: kube-dns\` in \`kube-system\` by default; configurable, e.g. node-local DNS
169.254.20.10 or port 5353) on **both** UDP and TCP. The finding names the policies that isolate the workload.

Failing:
\`\`\`yaml
spec:
  podSelector: {}
  policyTypes: [Egress]
\`\`\`
Passing: add a policy
\`\`\`yaml
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    const dns = dnsNodes(ctx);
    if (!dns.length) return out;
    ctx.model.endpoints.forEach((endpoint, i) => {
      const nodes = e.endpointNodes[i];
      if (endpoint.kind === 'Assumed' || !nodes.every((n) => e.nodes[n].kind === 'pod' && e.isolated(n, 'egress'))) return;
      if (nodes.some((n) => dns.includes(n))) return;
      const missing = new Set<string>();
      for (const n of nodes) {
        const toDns = dns.map((d) => e.conns.get(e.pair(n, d)));
        for (const protocol of ['UDP', 'TCP'] as const) {
          for (const port of ctx.dns.ports) if (!toDns.some((c) => connAllows(c, protocol, port))) missing.add(`${protocol} ${port}`);
        }
      }
      if (!missing.size) return;
      const isolating = [...new Set(nodes.flatMap((n) => e.selecting.egress[n]))].map((pi) => e.policies[pi].policy);
      out.push(finding(rule, atEndpoint(endpoint), `${endpoint.id} cannot reach the cluster DNS on ${[...missing].join(' and ')}: it is isolated for egress by ${listOf(isolating.map(policyName))}, and no rule admits DNS`, {
        related: isolating.map((p) => ({ ...at(p), message: `isolates ${endpoint.id} for egress` })),
      }));
    });
    return out;
  },
};
export default rule;
