import { isEmptySelector } from '../analyze/selector.js';
import { parseCidr } from '../model/cidr.js';
import type { Peer } from '../model/types.js';
import { at, eachRule } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const SENSITIVE: Record<number, string> = {
  22: 'SSH', 2379: 'etcd', 2380: 'etcd peers', 6443: 'Kubernetes API', 10250: 'kubelet', 10255: 'kubelet (read-only)',
  3306: 'MySQL', 5432: 'PostgreSQL', 6379: 'Redis', 27017: 'MongoDB', 9200: 'Elasticsearch', 11211: 'memcached',
};
const SENSITIVE_PORTS = Object.keys(SENSITIVE).map(Number);
const WIDE_RANGE = 1000;

const broadPeer = (peer: Peer) =>
  (peer.namespaceSelector && isEmptySelector(peer.namespaceSelector) && (!peer.podSelector || isEmptySelector(peer.podSelector))) ||
  (peer.ipBlock !== undefined && (parseCidr(peer.ipBlock.cidr)?.prefix ?? 32) <= 8);

const rule: Rule = {
  id: 'broad-or-sensitive-ports', severity: 'info', category: 'posture', securitySeverity: 3.0,
  summary: 'A rule opens every port, a very wide port range, or a sensitive port to broad peers.',
  help: `Reported: a rule with peers but no \`ports\` (every port and protocol); an \`endPort\` range wider than ${WIDE_RANGE} ports;
a sensitive port (SSH, etcd, the API server, the kubelet, databases, caches) admitted from every peer, every
namespace or a /8-or-wider ipBlock.

Failing:
\`\`\`yaml
ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 5432}]
\`\`\`
Passing:
\`\`\`yaml
ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 5432}]
\`\`\``,
  check(ctx) {
    const out: Finding[] = [];
    eachRule(ctx, (r, cp) => {
      const { peers, ports } = r.rule;
      if (peers !== null && ports === null) {
        out.push(finding(rule, at(cp.policy, r.rule.path), `${r.direction} rule ${r.rule.index} lists peers but no ports: every port of every protocol is open to them`, { discriminator: 'all-ports' }));
      }
      if (ports === null) return;
      const broad = peers === null || peers.some(broadPeer);
      for (let i = 0; i < ports.length; i++) {
        const port = ports[i];
        if (typeof port.port !== 'number') continue;
        const lo = port.port;
        const hi = port.endPort ?? lo;
        if (hi - lo > WIDE_RANGE) out.push(finding(rule, at(cp.policy, port.path), `port range ${lo}-${hi} spans ${hi - lo + 1} ports`, { discriminator: 'range' }));
        if (!broad) continue;
        for (const s of SENSITIVE_PORTS) if (s >= lo && s <= hi) out.push(finding(rule, at(cp.policy, port.path), `${SENSITIVE[s]} (${s}) is open to broad peers`, { discriminator: String(s) }));
      }
    });
    return out;
  },
};
export default rule;
