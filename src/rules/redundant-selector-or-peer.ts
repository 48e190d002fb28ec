import { isEmptySelector, formatSelector } from '../analyze/selector.js';
import { cidrRange, parseCidr } from '../model/cidr.js';
import { DIRECTIONS, type PolicyRule } from '../model/types.js';
import { perRuleList, type ListProblem } from './helpers.js';
import type { LintContext, Rule } from './types.js';

const rule: Rule = {
  id: 'redundant-selector-or-peer', severity: 'info', category: 'redundancy',
  summary: 'A peer, port or selector inside a rule adds nothing.',
  help: `Reported: the same peer or port twice in one rule; an ipBlock inside another ipBlock of the same rule; a non-empty
namespaceSelector that matches every namespace of the input (write \`{}\` if that is meant).

Failing:
\`\`\`yaml
- to:
    - ipBlock: {cidr: 10.0.0.0/8}
    - ipBlock: {cidr: 10.1.0.0/16}      # already inside 10.0.0.0/8
\`\`\`
Passing:
\`\`\`yaml
- to:
    - ipBlock: {cidr: 10.0.0.0/8}
\`\`\``,
  check(ctx) {
    const declared = [...ctx.model.namespaces.values()].filter((n) => !n.synthesized).length;
    const valid = ctx.model.policies.filter((p) => !p.invalid);
    return perRuleList(rule, valid, () => DIRECTIONS, (rules) => rules.flatMap((r) => ruleProblems(ctx, r, declared)));
  },
};

function ruleProblems(ctx: LintContext, r: PolicyRule, declared: number): ListProblem[] {
  const out: ListProblem[] = [];
  const peers = r.peers ?? [];
  const seen = new Map<string, number>();
  peers.forEach((peer, i) => {
    const key = JSON.stringify([peer.podSelector, peer.namespaceSelector, peer.ipBlock]);
    if (seen.has(key)) out.push({ path: peer.path, message: `peer ${i} repeats peer ${seen.get(key)}`, extra: { discriminator: 'duplicate' } });
    else seen.set(key, i);
    if (peer.ipBlock) {
      const [lo, hi] = cidrRange(parseCidr(peer.ipBlock.cidr)!);
      const outer = peers.findIndex((o, j) => j !== i && o.ipBlock && o.ipBlock.except.length === 0 && (() => {
        const a = parseCidr(o.ipBlock!.cidr)!;
        const [olo, ohi] = cidrRange(a);
        return a.family === parseCidr(peer.ipBlock!.cidr)!.family && olo <= lo && ohi >= hi && (olo !== lo || ohi !== hi);
      })());
      if (outer >= 0) out.push({ path: [...peer.path, 'ipBlock'], message: `ipBlock ${peer.ipBlock.cidr} lies inside peer ${outer}'s ${peers[outer].ipBlock!.cidr}`, extra: { discriminator: 'inside' } });
    }
    const ns = peer.namespaceSelector;
    if (ns && !isEmptySelector(ns) && declared > 1 && ctx.engine.namespacesMatching(ns).length === ctx.model.namespaces.size) {
      out.push({ path: [...peer.path, 'namespaceSelector'], message: `namespaceSelector ${formatSelector(ns)} matches every namespace of the input; write {} if that is meant`, extra: { discriminator: 'all-namespaces' } });
    }
  });
  const ports = new Map<string, number>();
  (r.ports ?? []).forEach((port, i) => {
    const key = `${port.protocol}/${port.port}/${port.endPort}`;
    if (ports.has(key)) out.push({ path: port.path, message: `port entry ${i} repeats entry ${ports.get(key)}`, extra: { discriminator: 'port' } });
    else ports.set(key, i);
  });
  return out;
}
export default rule;
