import type { LabelSelector, Labels } from '../model/types.js';

/**
 * metav1.LabelSelector matching as apimachinery's `Requirement.Matches` does it (semantics.md M1): every term
 * must hold; `matchLabels {k: v}` needs the key present and equal (so `{k: ""}` does not match a missing key);
 * `NotIn` and `DoesNotExist` hold when the key is missing.
 */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const key in selector.matchLabels) {
    if (labels[key] !== selector.matchLabels[key] || !Object.prototype.hasOwnProperty.call(labels, key)) return false;
  }
  for (const r of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(labels[r.key])) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(labels[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

const keys = new WeakMap<LabelSelector, string>();

/** A canonical text for a selector, so that identical selectors written differently share one cache entry. */
export function selectorKey(selector: LabelSelector): string {
  let key = keys.get(selector);
  if (key === undefined) {
    key = canonicalKey(selector);
    keys.set(selector, key);
  }
  return key;
}

function canonicalKey(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels).sort().map((k) => `${k}=${selector.matchLabels[k]}`);
  // Most selectors have no expressions; mapping an empty list gives an array of another elements kind, and code
  // optimised for one kind is thrown away when the other comes.
  const exprs = selector.matchExpressions.length === 0 ? [] : selector.matchExpressions.map((r) => `${r.key} ${r.operator} ${[...r.values].sort().join('|')}`).sort();
  return JSON.stringify([labels, exprs]);
}

/** Label keys a selector reads, and for each the values it compares against (empty for presence-only tests). */
export function selectorTerms(selector: LabelSelector): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (k: string, values: string[]) => {
    let s = out.get(k);
    if (!s) out.set(k, (s = new Set()));
    for (const v of values) s.add(v);
  };
  for (const [k, v] of Object.entries(selector.matchLabels)) add(k, [v]);
  for (const r of selector.matchExpressions) add(r.key, r.values);
  return out;
}

/** A selector as people write it: `app=web,tier in (a,b),!legacy`, or `{}` for the empty selector. */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions) {
    if (r.operator === 'In') parts.push(`${r.key} in (${r.values.join(',')})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${r.values.join(',')})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.length ? parts.join(',') : '{}';
}
