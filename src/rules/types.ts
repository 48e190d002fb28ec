import type { Engine } from '../analyze/engine.js';
import type { JsonPath, Origin, Severity } from '../load/types.js';
import type { ClusterModel, Endpoint, ObjectRef } from '../model/types.js';

export type Category = 'validation' | 'dead-config' | 'posture' | 'dns' | 'redundancy' | 'cni';

/** What every rule declares; the README, `netpol rules`, docs/rules.md and SARIF are generated from it. */
export interface RuleMeta {
  id: string;
  severity: Severity;
  category: Category;
  /** One line: what is wrong. */
  summary: string;
  /** Why it matters and how to fix it, in Markdown, with a failing and a passing example. */
  help: string;
  /** SARIF security-severity (0.1-10) for rules about holes rather than correctness. */
  securitySeverity?: number;
  /** Needs workloads or namespaces of the namespace it speaks about (skipped on partial input). */
  needsWorkloads?: boolean;
}

export interface Location {
  object?: ObjectRef;
  origin?: Origin;
  path?: JsonPath;
}

export interface Finding extends Location {
  rule: string;
  severity: Severity;
  message: string;
  /** Other places that explain the finding, e.g. the policies that isolate a pod. */
  related?: (Location & { message: string })[];
  /** Distinguishes several findings of one rule at the same path (e.g. ingress vs egress). */
  discriminator?: string;
}

/** Where cluster DNS lives: pods by namespace and labels, or addresses such as node-local DNS. */
export interface DnsTarget {
  namespace: string;
  podLabels: Record<string, string>;
  ports: number[];
  addresses: string[];
}

/** An endpoint that posture rules speak about, with the engine classes of its pods. */
export interface SubjectEndpoint {
  endpoint: Endpoint;
  nodes: readonly number[];
}

export interface LintContext {
  model: ClusterModel;
  engine: Engine;
  dns: DnsTarget;
  systemNamespaces: Set<string>;
  /** Namespaces with at least one workload in the input; coverage rules speak only about these. */
  populatedNamespaces: Set<string>;
  /** The model's endpoints by namespace, so that a rule asking per policy does not scan them all each time. */
  endpointsByNamespace: Map<string, Endpoint[]>;
  /** Endpoints that posture rules speak about (`subjectEndpoints`). */
  subjects: SubjectEndpoint[];
  cni?: string;
}

export interface Rule extends RuleMeta {
  check(ctx: LintContext): Finding[];
}

/** What a rule may add to a finding beyond its place and message; a severity given replaces the rule's own. */
export type FindingExtra = Partial<Pick<Finding, 'severity' | 'related' | 'discriminator'>>;

/** A finding of `rule` about a whole object or a path in it. */
export function finding(rule: RuleMeta, at: Location, message: string, extra?: FindingExtra): Finding {
  // One literal with every field: rules make tens of thousands of findings on a big cluster, and copying
  // `at` and `extra` in made throwaway objects and property stores for each.
  return {
    rule: rule.id, severity: extra?.severity ?? rule.severity, message,
    object: at.object, origin: at.origin, path: at.path,
    related: extra?.related, discriminator: extra?.discriminator,
  };
}
