import type { CompiledPolicy, CompiledRule } from '../analyze/engine.js';
import type { EndpointClass } from '../analyze/classes.js';
import { selectorMatches } from '../analyze/selector.js';
import type { Service } from '../model/types.js';
import type { JsonPath } from '../load/types.js';
import type { Direction, NetworkPolicy, Peer, PolicyPort, PolicyRule } from '../model/types.js';
import { refOf } from '../model/types.js';
import { finding, type Finding, type FindingExtra, type LintContext, type Location, type RuleMeta, type SubjectEndpoint } from './types.js';

/** Where a policy (or a path in it) is. */
export const at = (p: NetworkPolicy, path: JsonPath = []): Location => ({ object: refOf('NetworkPolicy', p.namespace, p.name), origin: p.origin, path });

export const policyName = (p: NetworkPolicy): string => `${p.namespace}/${p.name}`;

/** Endpoint ids per engine class, for messages. */
export function endpointsByNode(ctx: LintContext): string[][] {
  const out: string[][] = ctx.engine.nodes.map(() => []);
  ctx.engine.endpointNodes.forEach((nodes, i) => nodes.forEach((n) => out[n].push(ctx.model.endpoints[i].id)));
  return out;
}

/** Does a Service send traffic to this class? (Its selector is a plain label map, in its own namespace.) */
export const serviceSelects = (svc: Service, node: EndpointClass): boolean =>
  !!svc.selector && Object.keys(svc.selector).length > 0 && node.kind === 'pod' && node.namespace === svc.namespace &&
  selectorMatches({ matchLabels: svc.selector, matchExpressions: [] }, node.labels);

/** Compiled policies (valid ones, analysed by the engine) with their model policy. */
export const compiled = (ctx: LintContext): CompiledPolicy[] => ctx.engine.policies;

/** `a, b, c and 4 more`. */
export function listOf(items: string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Where a model endpoint (workload or pod) is. */
export const atEndpoint = (e: { kind: string; namespace: string; name: string; origin: import('../load/types.js').Origin }): Location => ({
  object: refOf(e.kind, e.namespace, e.name), origin: e.origin, path: [],
});

/**
 * Endpoints that posture rules speak about: not host-network, not in a system namespace. Made once per lint run
 * (LintContext.subjects), since several rules walk them all.
 */
export function subjectEndpoints(ctx: Omit<LintContext, 'subjects'>): SubjectEndpoint[] {
  const out: SubjectEndpoint[] = [];
  const { endpoints } = ctx.model;
  for (let i = 0; i < endpoints.length; i++) {
    const endpoint = endpoints[i];
    const nodes = ctx.engine.endpointNodes[i];
    if (!ctx.systemNamespaces.has(endpoint.namespace) && nodes.every((n) => ctx.engine.nodes[n].kind === 'pod')) out.push({ endpoint, nodes });
  }
  return out;
}

/*
 * Rules walk every rule, peer or port entry of every analysed policy through these, in policy order and ingress
 * before egress. Indexed loops in one place: a rule runs once, too briefly for V8 to optimise its loops, and
 * nested for-of over spread lists made an iterator result per step (some 30 MB on a 10,000-policy cluster).
 */

/** Calls `visit` with each compiled rule and its policy. */
export function eachRule(ctx: Pick<LintContext, 'engine'>, visit: (r: CompiledRule, cp: CompiledPolicy) => void): void {
  const { rules, policies } = ctx.engine;
  for (let i = 0; i < rules.length; i++) visit(rules[i], policies[rules[i].policy]);
}

/** Calls `visit` with each peer of each compiled rule (rules that admit every peer have none). */
export function eachPeer(ctx: Pick<LintContext, 'engine'>, visit: (peer: Peer, r: CompiledRule, cp: CompiledPolicy) => void): void {
  eachRule(ctx, (r, cp) => {
    const peers = r.rule.peers;
    if (peers) for (let i = 0; i < peers.length; i++) visit(peers[i], r, cp);
  });
}

/** Calls `visit` with each port entry of each compiled rule (rules for every port have none). */
export function eachPort(ctx: Pick<LintContext, 'engine'>, visit: (port: PolicyPort, r: CompiledRule, cp: CompiledPolicy) => void): void {
  eachRule(ctx, (r, cp) => {
    const ports = r.rule.ports;
    if (ports) for (let i = 0; i < ports.length; i++) visit(ports[i], r, cp);
  });
}

/** Indexed by Ingress (1) plus Egress (2) in policyTypes. */
const IN_EFFECT: readonly (readonly Direction[])[] = [[], ['ingress'], ['egress'], ['ingress', 'egress']];

/** The directions in a policy's policyTypes, as shared lists: rules of the others are ignored (N2). */
export const directionsInEffect = (p: NetworkPolicy): readonly Direction[] => IN_EFFECT[(p.policyTypes.ingress ? 1 : 0) + (p.policyTypes.egress ? 2 : 0)];

/** What a rule finds inside a rule list, before it is tied to one policy: a path in the policy and the finding's text. */
export interface ListProblem {
  path: JsonPath;
  message: string;
  extra?: FindingExtra;
}

/**
 * Findings that depend on a policy's rule list alone, looked for once per distinct list: copies of a policy share
 * their normalised lists (13,800 medium-profile policies have a few hundred), and each copy gets the findings at
 * its own place. `directions` says which lists of a policy count (for instance only those in its policyTypes).
 */
export function perRuleList(rule: RuleMeta, policies: readonly NetworkPolicy[], directions: (p: NetworkPolicy) => readonly Direction[], problemsOf: (rules: readonly PolicyRule[]) => ListProblem[]): Finding[] {
  const out: Finding[] = [];
  const byList = new Map<readonly PolicyRule[], ListProblem[]>();
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i];
    const inEffect = directions(p);
    for (let k = 0; k < inEffect.length; k++) {
      const rules = p[inEffect[k]];
      let problems = byList.get(rules);
      if (!problems) byList.set(rules, (problems = problemsOf(rules)));
      for (let j = 0; j < problems.length; j++) out.push(finding(rule, at(p, problems[j].path), problems[j].message, problems[j].extra));
    }
  }
  return out;
}
