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
    const out: Finding[] = [];
    for (const address of METADATA_ADDRESSES) {
      const atom = e.space.atomOf(parseIp(address)!);
      const ext = e.externals.find((x) => e.nodes[x.node].atoms.includes(atom));
      if (!ext) continue;
      // Egress to an external address is decided by the source's egress rules alone, so look at the rules that
      // name the address (or every peer) with some port, and at the pods their policies select.
      for (const r of e.rules) {
        if (r.direction !== 'egress' || (!r.allPeers && !r.peerNodes.includes(ext.node))) continue;
        if (isEmptyConn(e.conns.get(e.connOf(r, ext.node)))) continue;
        const pods = [...e.policies[r.policy].selected].filter((n) => !ctx.systemNamespaces.has(e.nodes[n].namespace!)).flatMap((n) => names[n]);
        if (!pods.length) continue;
        const p = e.policies[r.policy].policy;
        out.push(finding(rule, at(p, r.rule.path), `egress rule ${r.rule.index} lets ${listOf(pods)} reach the cloud metadata address ${address}; add it to except`, { discriminator: address }));
      }
    }
    return out;
  },
};
export default rule;
