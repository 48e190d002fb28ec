import { isEmptySelector, formatSelector } from '../analyze/selector.js';
import { withinEditDistance } from '../model/checker.js';
import { at } from './helpers.js';
import type { Endpoint } from '../model/types.js';
import { finding, type Rule } from './types.js';

const rule: Rule = {
  id: 'dangling-policy', severity: 'warning', category: 'dead-config', securitySeverity: 5.0, needsWorkloads: true,
  summary: 'The podSelector matches no pod, so the policy protects nothing.',
  help: `A typo in a label, or a workload that was renamed, leaves the policy selecting nothing: it gives a false sense of
isolation. The empty selector \`{}\` is never dangling. Namespaces without workloads in the input are not checked,
so a chart linted alone does not drown in findings. The message suggests near-miss labels.

Failing:
\`\`\`yaml
spec:
  podSelector:
    matchLabels: {app: fronted}     # the pods are labelled app: frontend
\`\`\`
Passing:
\`\`\`yaml
    matchLabels: {app: frontend}
\`\`\``,
  check(ctx) {
    const labels = new Map<string, [string, string][]>();
    const labelsIn = (namespace: string) => {
      let pairs = labels.get(namespace);
      if (!pairs) labels.set(namespace, (pairs = distinctLabels(ctx.endpointsByNamespace.get(namespace) ?? [])));
      return pairs;
    };
    return ctx.engine.policies.filter((cp) => cp.selected.length === 0 && !isEmptySelector(cp.policy.podSelector) && ctx.populatedNamespaces.has(cp.policy.namespace)).map((cp) => {
      const p = cp.policy;
      const hint = nearMiss(labelsIn(p.namespace), p.podSelector.matchLabels);
      return finding(rule, at(p, ['spec', 'podSelector']), `podSelector ${formatSelector(p.podSelector)} matches no pod in namespace ${p.namespace}; the policy has no effect${hint ? ` (did you mean ${hint}?)` : ''}`);
    });
  },
};

/**
 * The label pairs of a namespace's pods, each once, in the order they first appear: pods of one workload repeat
 * theirs, and a live dump lists every pod (3,600 dangling policies over 5,400 pods on the medium benchmark).
 */
function distinctLabels(endpoints: readonly Endpoint[]): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const e of endpoints) {
    for (const m of e.members) {
      for (const [k, v] of Object.entries(m.labels)) {
        const key = `${k}\u0000${v}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push([k, v]);
        }
      }
    }
  }
  return out;
}

/** A label of the namespace's pods within edit distance 2 of a selector term, e.g. `app: frontend`. */
function nearMiss(labels: readonly [string, string][], wanted: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(wanted)) {
    for (const [lk, lv] of labels) {
      if ((lk === k && lv !== v && withinEditDistance(lv, v, 2)) || (lk !== k && lv === v && withinEditDistance(lk, k, 2))) return `${lk}: ${lv}`;
    }
  }
  return undefined;
}
export default rule;
