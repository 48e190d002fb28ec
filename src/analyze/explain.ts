import type { Direction, NetworkPolicy, Peer, PolicyRule, Protocol } from '../model/types.js';
import type { Engine } from './engine.js';
import type { ConnSet } from './ports.js';
import { ALL_CONN, EMPTY_CONN, connAllows, formatConn, intersectConn, isEmptyConn, unionConn } from './ports.js';
import { formatSelector } from './selector.js';

export interface Query {
  protocol: Protocol;
  port: number;
}

/** How one rule of a policy that isolates the subject treats this pair. */
export interface RuleVerdict {
  policy: NetworkPolicy;
  rule: PolicyRule;
  /** Index of the first peer that matches the other end; 'all' when the rule names no peers; null when none match. */
  matchedPeer: number | 'all' | null;
  /** Ports the rule admits towards the destination (named ports resolved on it). */
  ports: ConnSet;
  /** What this rule contributes: `ports` when a peer matches, else nothing. */
  allowed: ConnSet;
  /** Why the rule does not allow the pair (or the queried port), in words. */
  reasons: string[];
}

export interface SideExplanation {
  direction: Direction;
  /** False when the side is not evaluated: the subject is not a pod subject to NetworkPolicy. */
  evaluated: boolean;
  note?: string;
  /** Policies that select the subject for this direction; empty means not isolated, everything allowed. */
  isolatedBy: NetworkPolicy[];
  rules: RuleVerdict[];
  allowed: ConnSet;
}

export interface Explanation {
  egress: SideExplanation;
  ingress: SideExplanation;
  allowed: ConnSet;
  query?: Query;
  /** With a query: is that port allowed? Without: is anything allowed? */
  verdict: boolean;
}

/**
 * Explains the verdict for one pair of classes: both sides (E1, E2), each policy that isolates the subject and
 * each of its rules, with the reason a rule does not apply. Uses the engine's own primitives, so it cannot
 * disagree with the matrix.
 */
export function explainPair(engine: Engine, source: number, destination: number, query?: Query): Explanation {
  const egress = side(engine, 'egress', source, destination, query);
  const ingress = side(engine, 'ingress', source, destination, query);
  const allowed = intersectConn(egress.allowed, ingress.allowed);
  const verdict = query ? connAllows(allowed, query.protocol, query.port) : !isEmptyConn(allowed);
  return { egress, ingress, allowed, query, verdict };
}

function side(engine: Engine, direction: Direction, source: number, destination: number, query?: Query): SideExplanation {
  const subject = engine.nodes[direction === 'egress' ? source : destination];
  const other = engine.nodes[direction === 'egress' ? destination : source];
  if (subject.kind !== 'pod') {
    const note = subject.kind === 'external'
      ? `an external address has no ${direction} policy`
      : `host-network pods are not selected by NetworkPolicies (their traffic is node traffic)`;
    return { direction, evaluated: false, note, isolatedBy: [], rules: [], allowed: ALL_CONN };
  }
  const policies = engine.selecting[direction][subject.id].map((i) => engine.policies[i]);
  if (policies.length === 0) return { direction, evaluated: true, isolatedBy: [], rules: [], allowed: ALL_CONN };
  let allowed = EMPTY_CONN;
  const rules: RuleVerdict[] = [];
  const dstNode = engine.nodes[destination];
  for (const cp of policies) {
    for (const r of cp.rules[direction]) {
      const ports = engine.conns.get(engine.connOf(r, destination));
      let matchedPeer: number | 'all' | null = null;
      if (r.rule.peers === null) matchedPeer = 'all';
      else {
        const i = r.rule.peers.findIndex((peer) => engine.peerMatches(peer, cp.policy, other));
        matchedPeer = i >= 0 ? i : null;
      }
      const reasons: string[] = [];
      if (matchedPeer === null) {
        reasons.push(`no peer matches the ${direction === 'egress' ? 'destination' : 'source'}: ${r.rule.peers!.map((p) => describePeer(p, cp.policy)).join('; ')}`);
      }
      for (const p of r.rule.ports ?? []) {
        if (typeof p.port !== 'string') continue;
        const declared = dstNode.kind === 'pod' && dstNode.ports.some((cport) => cport.name === p.port && cport.protocol === p.protocol);
        if (!declared) {
          reasons.push(dstNode.kind === 'pod'
            ? `named port "${p.port}" (${p.protocol}) is not declared by the destination`
            : `named port "${p.port}" never matches a destination that is not a pod`);
        }
      }
      if (isEmptyConn(ports) && !reasons.length) reasons.push('the rule admits no port of the destination');
      if (query && !connAllows(ports, query.protocol, query.port)) reasons.push(`ports (${formatConn(ports)}) do not include ${query.protocol}/${query.port}`);
      const contributes = matchedPeer !== null ? ports : EMPTY_CONN;
      allowed = unionConn(allowed, contributes);
      rules.push({ policy: cp.policy, rule: r.rule, matchedPeer, ports, allowed: contributes, reasons });
    }
  }
  return { direction, evaluated: true, isolatedBy: policies.map((p) => p.policy), rules, allowed };
}

/** A peer in words: which endpoints it stands for. */
export function describePeer(peer: Peer, policy: NetworkPolicy): string {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.join(',')}` : ''}`;
  const pods = peer.podSelector ? `pods ${formatSelector(peer.podSelector)}` : 'all pods';
  const ns = peer.namespaceSelector ? `in namespaces ${formatSelector(peer.namespaceSelector)}` : `in namespace ${policy.namespace}`;
  return `${pods} ${ns}`;
}
