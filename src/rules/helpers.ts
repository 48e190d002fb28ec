import type { CompiledPolicy } from '../analyze/engine.js';
import type { EndpointClass } from '../analyze/classes.js';
import { selectorMatches } from '../analyze/selector.js';
import type { Service } from '../model/types.js';
import type { JsonPath } from '../load/types.js';
import type { Direction, NetworkPolicy, PolicyRule } from '../model/types.js';
import { refOf } from '../model/types.js';
import { finding, type Finding, type LintContext, type Location, type RuleMeta } from './types.js';

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

/** Endpoints that posture rules speak about: not host-network, not in a system namespace. */
export function subjectEndpoints(ctx: LintContext) {
  return ctx.model.endpoints
    .map((endpoint, i) => ({ endpoint, nodes: ctx.engine.endpointNodes[i] }))
    .filter(({ endpoint, nodes }) => !ctx.systemNamespaces.has(endpoint.namespace) && nodes.every((n) => ctx.engine.nodes[n].kind === 'pod'));
}

/** What a rule finds inside a rule list, before it is tied to one policy: a path in the policy and the finding's text. */
export interface ListProblem {
  path: JsonPath;
  message: string;
  extra?: Partial<Finding>;
}

/**
 * Findings that depend on a policy's rule list alone, looked for once per distinct list: copies of a policy share
 * their normalised lists (13,800 medium-profile policies have a few hundred), and each copy gets the findings at
 * its own place. `directions` says which lists of a policy count (for instance only those in its policyTypes).
 */
export function perRuleList(rule: RuleMeta, policies: Iterable<NetworkPolicy>, directions: (p: NetworkPolicy) => readonly Direction[], problemsOf: (rules: readonly PolicyRule[]) => ListProblem[]): Finding[] {
  const out: Finding[] = [];
  const byList = new Map<readonly PolicyRule[], ListProblem[]>();
  for (const p of policies) {
    for (const direction of directions(p)) {
      const rules = p[direction];
      let problems = byList.get(rules);
      if (!problems) byList.set(rules, (problems = problemsOf(rules)));
      for (const q of problems) out.push(finding(rule, at(p, q.path), q.message, q.extra));
    }
  }
  return out;
}
