import { connAllows } from '../analyze/ports.js';
import { serviceSelects } from './helpers.js';
import { refOf } from '../model/types.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'service-backend-unreachable', severity: 'warning', category: 'dead-config', needsWorkloads: true,
  summary: 'No source at all may reach a Service\'s pods on its target port.',
  help: `The pods behind the Service are isolated for ingress and no rule of the policies selecting them admits the
Service's \`targetPort\` from anyone: the Service is dead. Usually a rule is missing, or it lists the Service port
instead of the target port.

Failing: Service \`api\` targets port 8080; the only policy on its pods admits TCP 9090.
Passing: a rule admitting 8080 from the clients.`,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    for (const svc of ctx.model.services) {
      const backends = e.nodes.filter((n) => serviceSelects(svc, n));
      if (!backends.length) continue;
      for (const sp of svc.ports) {
        const dead = backends.filter((d) => {
          if (!e.isolated(d.id, 'ingress')) return false;
          const target = typeof sp.targetPort === 'number' ? sp.targetPort : d.ports.find((c) => c.name === sp.targetPort && c.protocol === sp.protocol)?.port;
          if (target === undefined) return false;
          return !e.selecting.ingress[d.id].some((pi) => e.policies[pi].rules.ingress.some((r) => (r.allPeers || r.peerNodes.length > 0) && connAllows(e.conns.get(e.connOf(r, d.id)), sp.protocol, target)));
        });
        if (dead.length && dead.length === backends.length) {
          out.push(finding(rule, { object: refOf('Service', svc.namespace, svc.name), origin: svc.origin, path: ['spec', 'ports'] },
            `no source may reach the pods of Service ${svc.namespace}/${svc.name} on ${sp.protocol} ${sp.targetPort}: they are isolated for ingress and no rule admits that port`, { discriminator: `${sp.protocol}/${sp.port}` }));
        }
      }
    }
    return out;
  },
};
export default rule;
