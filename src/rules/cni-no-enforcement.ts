import { CNI_PROFILES, POLICY_ENGINE_DAEMONSETS } from './cni.js';
import { finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'cni-no-enforcement', severity: 'error', category: 'cni', securitySeverity: 8.0,
  summary: 'The cluster\'s network plugin does not enforce NetworkPolicy, so every policy is a no-op.',
  help: `Flannel alone, kubenet, or a plugin with policy enforcement turned off accept NetworkPolicies and ignore them.
Known when \`--cni\` (or \`cni:\` in the config file) names such a plugin, or when the input holds a kube-flannel
DaemonSet and no policy engine (calico-node, cilium, antrea-agent, ...). When the plugin is unknown, an info
reminder says that the analysis assumes enforcement.

Failing: \`netpol lint --cni flannel\` on any policy.
Passing: \`--cni calico\`, or Flannel with Calico for policy (\`--cni canal\`).`,
  check(ctx) {
    if (!ctx.model.policies.length) return [];
    const daemonSets = ctx.model.endpoints.filter((e) => e.kind === 'DaemonSet').map((e) => e.name);
    const where = { object: { kind: 'NetworkPolicy', namespace: ctx.model.policies[0].namespace, name: ctx.model.policies[0].name }, origin: ctx.model.policies[0].origin, path: [] };
    if (ctx.cni) {
      const profile = CNI_PROFILES[ctx.cni];
      if (profile && !profile.enforces) return [finding(rule, where, `the network plugin ${ctx.cni} does not enforce NetworkPolicy: none of the ${ctx.model.policies.length} policies has any effect${profile.note ? ` (${profile.note})` : ''}`)];
      return [];
    }
    if (daemonSets.some((n) => n.includes('flannel')) && !daemonSets.some((n) => POLICY_ENGINE_DAEMONSETS.some((x) => n.startsWith(x)))) {
      return [finding(rule, where, 'the input runs Flannel and no policy engine (calico-node, cilium, antrea-agent, ...): NetworkPolicies would have no effect')];
    }
    return [finding(rule, where, 'the network plugin is unknown; the analysis assumes it enforces NetworkPolicy (set --cni to check)', { severity: 'info' })];
  },
};
export default rule;
