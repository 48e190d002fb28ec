import { parseCidr } from '../model/cidr.js';
import { at, eachPeer } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const rule: Rule = {
  id: 'ipblock-world', severity: 'warning', category: 'posture', securitySeverity: 6.0,
  summary: 'An ipBlock covers the whole internet (or a /8 or wider).',
  help: `\`0.0.0.0/0\`, \`::/0\` or any block of /8 or wider in \`from\` exposes the pods to the internet; in \`to\` it lets them
send anywhere. It is info rather than warning when \`except\` removes the private ranges and the rule lists ports.

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
      - ipBlock:
          cidr: 0.0.0.0/0
          except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.169.254/32]
    ports:
      - port: 443
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    eachPeer(ctx, (peer, r, cp) => {
      const c = peer.ipBlock && parseCidr(peer.ipBlock.cidr);
      if (!c || c.prefix > 8) return;
      const guarded = r.rule.ports !== null && (c.family === 6 || PRIVATE.every((p) => peer.ipBlock!.except.includes(p)));
      const what = c.prefix === 0 ? 'the whole internet' : `a /${c.prefix} block`;
      out.push(finding(rule, at(cp.policy, [...peer.path, 'ipBlock']), r.direction === 'ingress'
        ? `${peer.ipBlock!.cidr} in from admits ${what}: the pods are exposed to it`
        : `${peer.ipBlock!.cidr} in to lets the pods reach ${what}`, guarded ? { severity: 'info' } : undefined));
    });
    return out;
  },
};
export default rule;
