import type { SourceTexts } from '../load/sources.js';

/** Annotation that lists rule ids (or `all`) to ignore on an object; the reason goes in the second one. */
export const IGNORE_ANNOTATION = 'netpol.io/ignore';
export const IGNORE_REASON_ANNOTATION = 'netpol.io/ignore-reason';

const DIRECTIVE = /#\s*netpol:\s*(disable-next-line|disable-file)\s+([\w,\s-]+?)(?:\s+--\s*(.*))?\s*$/;

export interface Directives {
  file: Map<string, string | undefined>;
  /** Line (1-based) a directive applies to, with its rules and reason. */
  lines: Map<number, { rules: Set<string>; reason?: string }>;
}

/**
 * YAML comment directives, for files that cannot carry annotations (Helm values, kustomize patches):
 * `# netpol: disable-next-line rule-a,rule-b -- reason` and `# netpol: disable-file rule-a -- reason`.
 * Scanned line by line from the raw text, as linters do, rather than trusting comment attachment.
 */
export class DirectiveIndex {
  private cache = new Map<string, Directives>();
  constructor(private sources: SourceTexts) {}

  of(file: string): Directives {
    let d = this.cache.get(file);
    if (d) return d;
    d = { file: new Map(), lines: new Map() };
    const text = this.sources.get(file) ?? '';
    // Most files have no directive: one search spares splitting them into lines.
    if (!text.includes('netpol:')) {
      this.cache.set(file, d);
      return d;
    }
    text.split('\n').forEach((line, i) => {
      const m = DIRECTIVE.exec(line);
      if (!m) return;
      const rules = new Set(m[2].split(/[\s,]+/).filter(Boolean));
      if (m[1] === 'disable-file') for (const r of rules) d!.file.set(r, m[3]);
      else d!.lines.set(i + 2, { rules, reason: m[3] });
    });
    this.cache.set(file, d);
    return d;
  }

  /** Does the file have any directive at all? */
  has(file: string): boolean {
    const d = this.of(file);
    return d.file.size > 0 || d.lines.size > 0;
  }

  /** A directive for this rule on the line before `line` (or before any of `lines`), or for the whole file. */
  match(file: string, rule: string, lines: number[]): { reason?: string } | undefined {
    const d = this.of(file);
    for (const key of [rule, 'all']) if (d.file.has(key)) return { reason: d.file.get(key) };
    for (const l of lines) {
      const x = d.lines.get(l);
      if (x && (x.rules.has(rule) || x.rules.has('all'))) return { reason: x.reason };
    }
    return undefined;
  }
}

export function annotationSuppression(annotations: Record<string, string> | undefined, rule: string): { reason?: string } | undefined {
  const list = annotations?.[IGNORE_ANNOTATION];
  if (!list) return undefined;
  const rules = list.split(/[\s,]+/).filter(Boolean);
  return rules.includes(rule) || rules.includes('all') ? { reason: annotations![IGNORE_REASON_ANNOTATION] } : undefined;
}
