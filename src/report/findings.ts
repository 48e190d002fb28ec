import { hash } from 'node:crypto';
import type { Severity } from '../load/types.js';
import type { ObjectRef } from '../model/types.js';

/** A lint finding with its place resolved, as every lint format prints it. */
export interface ReportedFinding {
  rule: string;
  severity: Severity;
  message: string;
  /** Path relative to the working folder, `<stdin>`, or a cluster source; absent for findings without a place. */
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Helm template the object was rendered from (`# Source:`); line numbers then refer to the rendered output. */
  template?: string;
  object?: ObjectRef;
  /** JSON path inside the object, e.g. `spec.ingress[0].from[1]`. */
  path: string;
  related: { message: string; file?: string; line?: number; column?: number; object?: ObjectRef }[];
  /** Stable across edits that move lines: rule, file, object, path and discriminator (ecosystem.md §1.3). */
  fingerprint: string;
  suppressed?: { kind: 'annotation' | 'comment'; reason?: string };
}

export interface LintSummary {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
  baselined: number;
  /** Namespaces with policies but no workloads in the input: workload rules were skipped there. */
  partialNamespaces: string[];
  dnsAssumed: boolean;
}

export function fingerprintOf(rule: string, file: string | undefined, object: ObjectRef | undefined, path: string, discriminator = ''): string {
  const objectKey = object ? `${object.kind}/${object.namespace ?? ''}/${object.name}` : '';
  // The one-shot hash: a lint of a big cluster fingerprints tens of thousands of findings, and a Hash object each
  // cost more than the digest.
  // Joined by concatenation, not an array's join: one array fewer per finding.
  return hash('sha256', `${rule}\u0000${file ?? ''}\u0000${objectKey}\u0000${path}\u0000${discriminator}`, 'hex').slice(0, 16);
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function summarize(findings: ReportedFinding[], extra: Omit<LintSummary, 'error' | 'warning' | 'info'>): LintSummary {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { error: count('error'), warning: count('warning'), info: count('info'), ...extra };
}
