import type { NetworkPolicy, PolicyRule } from '../model/types.js';

/**
 * Every rule of the policies once, ingress and egress, in policy order. Copies of a policy share their normalised
 * rule lists (the model's SpecCache), so a list already walked is skipped whole: 13,800 medium-profile policies
 * have 159 distinct lists of each direction.
 */
export function distinctRules(policies: readonly NetworkPolicy[]): PolicyRule[] {
  const seen = new Set<readonly PolicyRule[]>();
  const rules: PolicyRule[] = [];
  const add = (list: readonly PolicyRule[]) => {
    if (list.length === 0 || seen.has(list)) return;
    seen.add(list);
    for (let i = 0; i < list.length; i++) rules.push(list[i]);
  };
  for (let i = 0; i < policies.length; i++) {
    add(policies[i].ingress);
    add(policies[i].egress);
  }
  return rules;
}
