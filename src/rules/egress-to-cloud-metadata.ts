import { explainPair } from '../analyze/explain.js';
import { isEmptyConn } from '../analyze/ports.js';
import { parseIp } from '../model/cidr.js';
import { at, endpointsByNode, listOf } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

/** Instance-metadata and wire-server addresses of the big clouds: an SSRF path to credentials. */
export const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '168.63.129.16'];

const rule: Rule = {
  id: 'egress-to-cloud-metadata', severity: 'warning', category: 'posture', securitySeverity: 7.0,
  summary: 'An egress rule lets pods reach the cloud metadata endpoint.',
  help: `\`169.254.169.254\` (AWS, GCP, Azure), \`fd00:ec2::254\` (AWS IPv6) and \`168.63.129.16\` (Azure) hand out instance
credentials. An egress rule with no \`to\`, with \`0.0.0.0/0\`, or with \`169.254.0.0/16\` and no covering \`except\` lets
the selected pods reach them. Decided through the engine for egress-isolated pods.

Failing:
\`\`\`yaml
egress:
  - to:
      - ipBlock: {cidr: 0.0.0.0/0}
\`\`\`
Passing:
\`\`\`yaml
egress:
  - to:
      - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}
\`\`\``,
  check(ctx) {
    const e = ctx.engine;
    const names = endpointsByNode(ctx);
    const byRule = new Map<string, { rule: (typeof e.rules)[number]; address: string; pods: string[] }>();
    for (const address of METADATA_ADDRESSES) {
      const ip = parseIp(address)!;
      const atom = e.space.atomOf(ip);
      const ext = e.externals.find((x) => e.nodes[x.node].atoms.includes(atom));
      if (!ext) continue;
      for (const s of e.nodes) {
        if (s.kind !== 'pod' || !e.isolated(s.id, 'egress') || ctx.systemNamespaces.has(s.namespace!)) continue;
        const x = explainPair(e, s.id, ext.node);
        for (const v of x.egress.rules) {
          if (isEmptyConn(v.allowed)) continue;
          const r = e.rules.find((cr) => cr.rule === v.rule)!;
          const key = `${r.id}:${address}`;
          const entry = byRule.get(key) ?? { rule: r, address, pods: [] };
          entry.pods.push(...names[s.id]);
          byRule.set(key, entry);
        }
      }
    }
    const out: Finding[] = [];
    for (const { rule: r, address, pods } of byRule.values()) {
      const p = e.policies[r.policy].policy;
      out.push(finding(rule, at(p, r.rule.path), `egress rule ${r.rule.index} lets ${listOf(pods)} reach the cloud metadata address ${address}; add it to except`, { discriminator: address }));
    }
    return out;
  },
};
export default rule;
