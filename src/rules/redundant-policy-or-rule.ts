import type { CompiledRule } from '../analyze/engine.js';
import { ConnTable } from '../analyze/ports.js';
import { at, policyName } from './helpers.js';
import { finding, type Finding, type Rule } from './types.js';

const contains = (big: Int32Array, small: Int32Array) => {
  let i = 0;
  for (const x of small) {
    while (i < big.length && big[i] < x) i++;
    if (i >= big.length || big[i] !== x) return false;
  }
  return true;
};

const rule: Rule = {
  id: 'redundant-policy-or-rule', severity: 'info', category: 'redundancy',
  summary: 'A rule allows nothing that another rule does not already allow to the same pods.',
  help: `The rule's pods, peers and ports are all covered by another rule of the same direction, in a policy selecting at
least the same pods: removing it changes nothing **under the current model** (future pods may differ). Rules with
named ports are not compared. Identical policies are the common case (copies across files).

Failing: two policies both admitting \`app: frontend\` to \`app: api\` on 8080.
Passing: keep one.`,
  check(ctx) {
    const out: Finding[] = [];
    const e = ctx.engine;
    const t = e.conns;
    const candidates = e.rules.filter((r) => !r.named && e.policies[r.policy].selected.length > 0);
    // Identical rules cover each other; of two, the one compiled later is reported.
    const coveredBy = (r: CompiledRule, o: CompiledRule) => {
      if (o === r || o.direction !== r.direction || o.named) return false;
      const ps = e.policies[r.policy].selected;
      const os = e.policies[o.policy].selected;
      if (!contains(os, ps)) return false;
      if (!o.allPeers && (r.allPeers || !contains(o.peerNodes, r.peerNodes))) return false;
      if (t.union(o.fixedConn, r.fixedConn) !== o.fixedConn) return false;
      const same = o.allPeers === r.allPeers && o.peerNodes.length === r.peerNodes.length && o.fixedConn === r.fixedConn && os.length === ps.length;
      return !same || o.id < r.id;
    };
    for (const r of candidates) {
      if (r.fixedConn === ConnTable.EMPTY) continue;
      // A covering rule's policy selects every pod this rule's policy selects, its first one included: only the
      // policies selecting that pod need a look, which keeps the check far from rules x rules.
      const first = e.policies[r.policy].selected[0];
      let by: CompiledRule | undefined;
      for (const pi of e.selecting[r.direction][first]) {
        by = e.policies[pi].rules[r.direction].find((o) => !o.named && coveredBy(r, o));
        if (by) break;
      }
      if (!by) continue;
      const p = e.policies[r.policy].policy;
      const q = e.policies[by.policy].policy;
      out.push(finding(rule, at(p, r.rule.path), `${r.direction} rule ${r.rule.index} is contained in ${r.direction} rule ${by.rule.index} of ${policyName(q)}: it allows nothing more (under the current model)`, {
        related: [{ ...at(q, by.rule.path), message: 'the covering rule' }],
      }));
    }
    return out;
  },
};
export default rule;
