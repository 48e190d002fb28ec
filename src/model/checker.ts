import type { JsonPath, Origin, Severity } from '../load/types.js';
import type { Diagnostic, LabelSelector, ObjectRef, SelectorRequirement } from './types.js';

/** Collects the diagnostics of one object, each tied to a JSON path inside it. */
export class ObjectChecker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly object: ObjectRef, readonly origin: Origin) {}

  report(severity: Severity, code: string, path: JsonPath, message: string): void {
    this.diagnostics.push({ severity, code, message: `${formatPath(path)}: ${message}`, object: this.object, origin: this.origin, path });
  }
  error(code: string, path: JsonPath, message: string): void {
    this.report('error', code, path, message);
  }
  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** Reports keys the API server does not know; it would drop them, and the object would mean something else. */
  knownKeys(value: Record<string, unknown>, path: JsonPath, allowed: readonly string[], hint: Record<string, string> = {}): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const suggestion = hint[key] ?? closest(key, allowed);
      this.error('invalid-resource-shape', [...path, key], `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; the API server would drop it`);
    }
  }

  object_(value: unknown, path: JsonPath, what: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.error('invalid-resource-shape', path, `${what} must be an object, not ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: JsonPath, what: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.error('invalid-resource-shape', path, `${what} must be a list, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  /** Validates a metav1.LabelSelector the way the API server does. */
  selector(value: unknown, path: JsonPath): LabelSelector | undefined {
    const obj = this.object_(value, path, 'a label selector');
    if (!obj) return value === undefined || value === null ? undefined : { matchLabels: {}, matchExpressions: [] };
    this.knownKeys(obj, path, ['matchLabels', 'matchExpressions']);
    const code = 'invalid-selector-or-policy-types';
    const matchLabels: Record<string, string> = {};
    const ml = this.object_(obj.matchLabels, [...path, 'matchLabels'], 'matchLabels');
    for (const k in ml) {
      const v = ml[k];
      // The path is built only for a problem: selectors are most of what a large cluster's policies hold.
      const p = () => [...path, 'matchLabels', k];
      const keyProblem = labelKeyProblem(k);
      if (keyProblem) this.error(code, p(), `"${k}" is not a valid label key: ${keyProblem}`);
      if (typeof v !== 'string') {
        this.error(code, p(), `label value must be a string, not ${describe(v)} (quote it: "${String(v)}")`);
        continue;
      }
      const valueProblem = labelValueProblem(v);
      if (valueProblem) this.error(code, p(), `"${v}" is not a valid label value: ${valueProblem}`);
      matchLabels[k] = v;
    }
    const matchExpressions: SelectorRequirement[] = [];
    const me = this.array(obj.matchExpressions, [...path, 'matchExpressions'], 'matchExpressions');
    (me ?? []).forEach((item, i) => {
      const p = [...path, 'matchExpressions', i];
      const req = this.object_(item, p, 'a selector requirement');
      if (!req) {
        if (item === null || item === undefined) this.error(code, p, 'empty selector requirement');
        return;
      }
      this.knownKeys(req, p, ['key', 'operator', 'values']);
      const key = req.key;
      if (typeof key !== 'string' || key === '') {
        this.error(code, [...p, 'key'], 'key is required');
        return;
      }
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) this.error(code, [...p, 'key'], `"${key}" is not a valid label key: ${keyProblem}`);
      const op = req.operator;
      const values = this.array(req.values, [...p, 'values'], 'values') ?? [];
      if (values.some((v) => typeof v !== 'string')) this.error(code, [...p, 'values'], 'values must be strings');
      const strValues = values.map(String);
      if (op === 'In' || op === 'NotIn') {
        if (strValues.length === 0) this.error(code, [...p, 'values'], `operator ${op} needs at least one value`);
        for (const v of strValues) {
          const problem = labelValueProblem(v);
          if (problem) this.error(code, [...p, 'values'], `"${v}" is not a valid label value: ${problem}`);
        }
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (strValues.length > 0) this.error(code, [...p, 'values'], `operator ${op} takes no values`);
      } else {
        this.error(code, [...p, 'operator'], `"${String(op)}" is not a valid operator (In, NotIn, Exists, DoesNotExist)`);
        return;
      }
      matchExpressions.push({ key, operator: op, values: strValues });
    });
    return { matchLabels, matchExpressions };
  }
}

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const keyProblems = new Map<string, string | undefined>();

/** Why a label key is invalid, or undefined; remembered, since clusters reuse a few keys everywhere. */
export function labelKeyProblem(key: string): string | undefined {
  if (keyProblems.has(key)) return keyProblems.get(key);
  const problem = checkLabelKey(key);
  if (keyProblems.size < 100_000) keyProblems.set(key, problem);
  return problem;
}

function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return 'the prefix must be a DNS subdomain';
  }
  if (name.length === 0 || name.length > 63) return 'the name part must be 1-63 characters';
  if (!NAME_PART.test(name)) return 'the name part must be alphanumerics, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

const valueProblems = new Map<string, string | undefined>();

/** Why a label value is invalid, or undefined; remembered like keys (values repeat across copies of a policy). */
export function labelValueProblem(value: string): string | undefined {
  if (valueProblems.has(value)) return valueProblems.get(value);
  const problem = checkLabelValue(value);
  if (valueProblems.size < 100_000) valueProblems.set(value, problem);
  return problem;
}

function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'at most 63 characters';
  if (!NAME_PART.test(value)) return 'alphanumerics, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
  return out || '(object)';
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string "${value}"`;
  return `${typeof value} ${String(value)}`;
}

/** A known key within edit distance 2, for "did you mean" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** editDistance(a, b) <= max, without the table when the lengths alone rule it out (most pairs of labels). */
export function withinEditDistance(a: string, b: string, max: number): boolean {
  return Math.abs(a.length - b.length) <= max && editDistance(a, b) <= max;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
