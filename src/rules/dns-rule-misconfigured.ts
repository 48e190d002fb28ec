import { METADATA_NAME_LABEL } from '../model/types.js';
import { at } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const DNS_PORTS = new Set([53, 5353]);

const rule: Rule = {
  id: 'dns-rule-misconfigured', severity: 'warning', category: 'dns',
  summary: 'A rule meant to allow DNS does not do what it should.',
  help: `An egress rule on port 53 (or 5353) that: allows only UDP or only TCP (large answers and retries use TCP);
omits \`protocol\`, which means TCP only; selects \`k8s-app: kube-dns\` with a podSelector alone, which looks in the
policy's own namespace; or selects the namespace by a \`name\` label that namespaces do not carry.

Failing:
\`\`\`yaml
egress:
  - to:
      - podSelector: {matchLabels: {k8s-app: kube-dns}}    # looks in this namespace
    ports:
      - port: 53                                          # TCP only
\`\`\`
Passing:
\`\`\`yaml
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
    for (const p of ctx.model.policies) {
      if (p.invalid || !p.policyTypes.egress) continue;
      for (const r of p.egress) {
        const dnsPorts = (r.ports ?? []).filter((x) => typeof x.port === 'number' && DNS_PORTS.has(x.port));
        if (!dnsPorts.length) continue;
        const protocols = new Set(dnsPorts.map((x) => x.protocol));
        const where = at(p, r.path);
        if (!protocols.has('UDP')) {
          out.push(finding(rule, where, `egress rule ${r.index} allows DNS on TCP only (a port without protocol means TCP); most lookups use UDP`, { discriminator: 'tcp-only' }));
        } else if (!protocols.has('TCP')) {
          out.push(finding(rule, where, `egress rule ${r.index} allows DNS on UDP only; truncated answers retry over TCP`, { discriminator: 'udp-only' }));
        }
        for (const peer of r.peers ?? []) {
          if (peer.podSelector?.matchLabels['k8s-app'] === 'kube-dns' && !peer.namespaceSelector && p.namespace !== ctx.dns.namespace) {
            out.push(finding(rule, at(p, peer.path), `the DNS peer has no namespaceSelector, so it selects k8s-app=kube-dns pods in ${p.namespace}, not in ${ctx.dns.namespace}`, { discriminator: 'namespace' }));
          }
          if (peer.namespaceSelector && peer.namespaceSelector.matchLabels.name === ctx.dns.namespace) {
            out.push(finding(rule, at(p, [...peer.path, 'namespaceSelector']), `namespaces have no "name" label by default; use ${METADATA_NAME_LABEL}: ${ctx.dns.namespace}`, { discriminator: 'name-label' }));
          }
        }
      }
    }
    return out;
  },
};
export default rule;
