import { at, eachRule, serviceSelects } from './helpers.js';
import type { Service } from '../model/types.js';
import { finding, type Finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'port-targets-service-port', severity: 'warning', category: 'dead-config', needsWorkloads: true,
  summary: 'The rule names the Service port, but policies see the pod port after DNAT.',
  help: `Traffic to a Service is rewritten to a backend pod and its \`targetPort\` before policies apply. A rule on the
Service's \`port\` (80) when the pods listen on the \`targetPort\` (8080) admits nothing useful.

Failing (Service port 80 -> targetPort 8080):
\`\`\`yaml
ingress:
  - ports:
      - port: 80
\`\`\`
Passing:
\`\`\`yaml
      - port: 8080        # or the container port's name
\`\`\``,
  check(ctx) {
    // Only a port that some Service maps to another targetPort can be a Service port by mistake: rules with
    // other ports are passed over before their destinations are looked at (13,000 rules in a big cluster).
    const remapped = new Map<string, Service[]>();
    for (const svc of ctx.model.services) {
      for (const sp of svc.ports) {
        if (sp.targetPort === sp.port) continue;
        const list = remapped.get(portKey(sp));
        if (!list) remapped.set(portKey(sp), [svc]);
        else if (list[list.length - 1] !== svc) list.push(svc);
      }
    }
    if (remapped.size === 0) return [];
    const out: Finding[] = [];
    const e = ctx.engine;
    eachRule(ctx, (r, cp) => {
      const candidates = (r.rule.ports ?? []).filter((p) => typeof p.port === 'number' && p.endPort === undefined && remapped.has(portKey(p)));
      if (!candidates.length) return;
      const destinations = r.direction === 'ingress' ? [...cp.selected] : [...r.peerNodes];
      const pods = destinations.map((d) => e.nodes[d]).filter((n) => n.kind === 'pod');
      if (!pods.length) return;
      for (const port of candidates) {
        if (pods.some((n) => n.ports.some((c) => c.port === port.port && c.protocol === port.protocol))) continue;
        for (const svc of remapped.get(portKey(port))!) {
          if (!pods.some((n) => serviceSelects(svc, n))) continue;
          const sp = svc.ports.find((s) => s.port === port.port && s.protocol === port.protocol && s.targetPort !== s.port)!;
          out.push(finding(rule, at(cp.policy, [...port.path, 'port']), `port ${port.port} is the port of Service ${svc.namespace}/${svc.name}, whose pods receive the traffic on targetPort ${sp.targetPort}; policies see the pod port, so use ${sp.targetPort}`, { related: [{ object: { kind: 'Service', namespace: svc.namespace, name: svc.name }, origin: svc.origin, message: 'the Service' }] }));
          break;
        }
      }
    });
    return out;
  },
};

const portKey = (p: { protocol: string; port?: number | string }) => `${p.protocol}/${p.port}`;

export default rule;
