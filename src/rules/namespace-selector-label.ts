import { formatSelector, isEmptySelector } from '../analyze/selector.js';
import { METADATA_NAME_LABEL } from '../model/types.js';
import { compiled, directionsInEffect, perRuleList, type ListProblem } from './helpers.js';
import type { Rule } from './types.js';

const NAME_LIKE = new Set(['name', 'namespace', 'ns', 'kubernetes.io/namespace']);

const rule: Rule = {
  id: 'namespace-selector-label', severity: 'warning', category: 'dead-config', securitySeverity: 4.0,
  summary: 'A namespaceSelector relies on a label namespaces do not carry.',
  help: `Namespaces carry one label automatically: \`kubernetes.io/metadata.name: <name>\`. There is no \`name:\` label unless
someone adds it, so \`namespaceSelector: {matchLabels: {name: monitoring}}\` usually matches nothing and locks the
namespace out. A selector that matches no namespace of the input is reported (warning); one on any other label is
noted (info), because whoever can label a namespace can then grant themselves access.

Failing:
\`\`\`yaml
- namespaceSelector:
    matchLabels: {name: monitoring}
\`\`\`
Passing:
\`\`\`yaml
- namespaceSelector:
    matchLabels: {kubernetes.io/metadata.name: monitoring}
\`\`\``,
  check(ctx) {
    const declared = [...ctx.model.namespaces.values()].some((n) => !n.synthesized);
    // Rules of a direction not in policyTypes are ignored (N2), and so are their selectors here.
    return perRuleList(rule, compiled(ctx).map((cp) => cp.policy), directionsInEffect, (rules) => {
      const out: ListProblem[] = [];
      for (const r of rules) {
        for (const peer of r.peers ?? []) {
          const sel = peer.namespaceSelector;
          if (!sel || isEmptySelector(sel)) continue;
          const path = [...peer.path, 'namespaceSelector'];
          const nameKey = Object.keys(sel.matchLabels).find((k) => NAME_LIKE.has(k));
          const matches = ctx.engine.namespacesMatching(sel);
          if (nameKey) {
            out.push({ path, message: `namespaces have no "${nameKey}" label by default; use ${METADATA_NAME_LABEL}: ${sel.matchLabels[nameKey]}${matches.length ? '' : ' (it matches no namespace here)'}` });
          } else if (matches.length === 0 && declared) {
            out.push({ path, message: `namespaceSelector ${formatSelector(sel)} matches no namespace in the input` });
          } else if (Object.keys(sel.matchLabels).some((k) => k !== METADATA_NAME_LABEL) || sel.matchExpressions.some((e) => e.key !== METADATA_NAME_LABEL)) {
            out.push({ path, message: `namespaceSelector ${formatSelector(sel)} relies on labels anyone who can label a namespace can set; ${METADATA_NAME_LABEL} cannot be changed`, extra: { severity: 'info' } });
          }
        }
      }
      return out;
    });
  },
};
export default rule;
