import { at, eachPort } from './helpers.js';
import { CNI_PROFILES } from './cni.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'cni-unsupported-field', severity: 'warning', category: 'cni',
  summary: 'The policy uses a field the network plugin does not enforce (endPort, SCTP, egress).',
  help: `Per the Kubernetes docs, a plugin without \`endPort\` support enforces only \`port\`, narrower than intended; older Cilium
silently ignored \`endPort\`. SCTP needs plugin support, sometimes behind a flag. With an unknown plugin the finding is
info.

Failing (\`--cni weave\`):
\`\`\`yaml
ports:
  - {port: 8000, endPort: 8100}
\`\`\`
Passing: list the ports, or use a plugin that supports endPort.`,
  check(ctx) {
    const profile = ctx.cni ? CNI_PROFILES[ctx.cni] : undefined;
    if (profile && !profile.enforces) return [];
    const severity = profile ? undefined : ('info' as const);
    const name = ctx.cni ?? 'the (unknown) network plugin';
    const out: Finding[] = [];
    eachPort(ctx, (port, _r, cp) => {
      if (port.endPort !== undefined && (!profile || !profile.endPort)) {
        out.push(finding(rule, at(cp.policy, [...port.path, 'endPort']), `${name} ${profile ? 'does not enforce' : 'may not enforce'} endPort: only port ${port.port} may be allowed`, { severity, discriminator: 'endPort' }));
      }
      if (port.protocol === 'SCTP' && (!profile || !profile.sctp)) {
        out.push(finding(rule, at(cp.policy, [...port.path, 'protocol']), `${name} ${profile ? 'does not support' : 'may not support'} SCTP in NetworkPolicy`, { severity, discriminator: 'sctp' }));
      }
    });
    if (profile && !profile.egress) {
      for (const cp of ctx.engine.policies) {
        if (cp.policy.policyTypes.egress) out.push(finding(rule, at(cp.policy, ['spec', 'policyTypes']), `${name} does not enforce egress policies`, { discriminator: 'egress' }));
      }
    }
    return out;
  },
};
export default rule;
