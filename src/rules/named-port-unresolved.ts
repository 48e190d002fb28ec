import { at, eachRule } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'named-port-unresolved', severity: 'warning', category: 'dead-config', needsWorkloads: true,
  summary: 'A named port is declared by none of the pods it applies to, so it matches nothing.',
  help: `A named port resolves against the *destination* pod: for ingress the selected pods, for egress the peer pods, with
the same protocol. If none of them declares a container port with that name and protocol, the entry admits
nothing. It never resolves for ipBlock destinations. The same name meaning different numbers on different pods is
legal and noted (info).

Failing:
\`\`\`yaml
ingress:
  - ports:
      - port: https          # the pods name their port "http"
\`\`\`
Passing:
\`\`\`yaml
      - port: http
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    eachRule(ctx, (r, cp) => {
      // The compiled rule says whether it has a named port: most have none, and are passed over.
      if (!r.named || !ctx.populatedNamespaces.has(cp.policy.namespace)) return;
      const named = r.rule.ports!.filter((p) => typeof p.port === 'string');
      const destinations = r.direction === 'ingress' ? [...cp.selected] : r.allPeers ? e.nodes.map((n) => n.id) : [...r.peerNodes];
      const pods = destinations.map((d) => e.nodes[d]).filter((n) => n.kind === 'pod');
      for (const port of named) {
        const numbers = new Set<number>();
        for (const n of pods) for (const cport of n.ports) if (cport.name === port.port && cport.protocol === port.protocol) numbers.add(cport.port);
        const where = at(cp.policy, [...port.path, 'port']);
        if (r.direction === 'egress' && !r.allPeers && pods.length === 0 && (r.rule.peers ?? []).every((x) => x.ipBlock)) {
          out.push(finding(rule, where, `named port "${port.port}" never matches: the rule's peers are only ipBlocks, and named ports resolve on pods`));
        } else if (pods.length && numbers.size === 0) {
          const who = r.direction === 'ingress' ? 'selected pods' : 'destination pods';
          out.push(finding(rule, where, `named port "${port.port}" (${port.protocol}) is declared by none of the ${who}; this entry admits nothing`));
        } else if (numbers.size > 1) {
          out.push(finding(rule, where, `named port "${port.port}" means ${[...numbers].sort((a, b) => a - b).join(', ')} on different pods`, { severity: 'info' }));
        }
      }
    });
    return out;
  },
};
export default rule;
