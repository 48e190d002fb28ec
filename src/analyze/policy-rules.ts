import type { NetworkPolicy, PolicyRule } from '../model/types.js';

/**
 * Every rule of the policies once, ingress and egress, in policy order. Copies of a policy share their normalised
 * rule lists (the model's SpecCache), so a list already walked is skipped whole: 13,800 medium-profile policies
 * have 159 distinct lists of each direction.
 */
export function distinctRules(policies: readonly NetworkPolicy[]): PolicyRule[] {
  const seen = new Set<readonly PolicyRule[]>();
  const rules: PolicyRule[] = [];
  for (let i = 0; i < policies.length; i++) {
    addUnseen(policies[i].ingress, seen, rules);
    addUnseen(policies[i].egress, seen, rules);
  }
  return rules;
}

// A function of the module rather than a closure made per call: code optimised for one call's closure is thrown
// away when the next call (the engine makes two) passes another.
function addUnseen(list: readonly PolicyRule[], seen: Set<readonly PolicyRule[]>, rules: PolicyRule[]): void {
  if (list.length === 0 || seen.has(list)) return;
  seen.add(list);
  for (let i = 0; i < list.length; i++) rules.push(list[i]);
}
