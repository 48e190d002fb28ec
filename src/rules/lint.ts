import { Engine } from '../analyze/engine.js';
import type { Severity } from '../load/types.js';
import type { ClusterModel, Endpoint } from '../model/types.js';
import { withAssumedDns, DEFAULT_DNS } from './dns.js';
import { subjectEndpoints } from './helpers.js';
import { RULES } from './registry.js';
import type { DnsTarget, Finding, LintContext } from './types.js';

export const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'calico-system', 'calico-apiserver', 'tigera-operator', 'cilium', 'ingress-nginx', 'cert-manager'];

export interface LintOptions {
  /** Per-rule severity overrides; 'off' disables a rule. */
  severities: Record<string, Severity | 'off'>;
  dns: DnsTarget;
  systemNamespaces: string[];
  cni?: string;
}

export const defaultLintOptions = (): LintOptions => ({ severities: {}, dns: DEFAULT_DNS, systemNamespaces: DEFAULT_SYSTEM_NAMESPACES });

export interface LintResult {
  findings: Finding[];
  /** The cluster DNS was not in the input and was assumed for the DNS rules. */
  dnsAssumed: boolean;
  /** Namespaces with policies but no workloads in the input: rules about workloads were skipped there. */
  partialNamespaces: string[];
}

/**
 * Runs every enabled rule on the model (invalid policies are reported by the validation rules and left out of
 * the engine, which analyses the rest). Pure: suppressions and baselines are the caller's business.
 */
export function lint(model: ClusterModel, options: LintOptions): LintResult {
  const { model: withDns, assumed } = withAssumedDns(model, options.dns);
  const engine = new Engine(withDns, { ipBlockMatchesPods: false });
  const populated = new Set(model.endpoints.map((e) => e.namespace));
  const endpointsByNamespace = new Map<string, Endpoint[]>();
  for (const e of withDns.endpoints) {
    const list = endpointsByNamespace.get(e.namespace);
    if (list) list.push(e);
    else endpointsByNamespace.set(e.namespace, [e]);
  }
  const base = {
    model: withDns, engine, dns: options.dns, cni: options.cni,
    systemNamespaces: new Set(options.systemNamespaces), populatedNamespaces: populated, endpointsByNamespace,
  };
  const ctx: LintContext = { ...base, subjects: subjectEndpoints(base) };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const override = options.severities[rule.id];
    if (override === 'off') continue;
    const found = rule.check(ctx);
    // A configured severity replaces the rule's default; sub-cases keep their relative level only without one.
    if (override) for (const f of found) findings.push({ ...f, severity: override });
    // Indexed, not for-of: this loop runs once per rule, too few times for V8 to optimise the iteration away,
    // and big clusters give rules tens of thousands of findings.
    else for (let i = 0; i < found.length; i++) findings.push(found[i]);
  }
  const partialNamespaces = [...new Set(model.policies.map((p) => p.namespace))].filter((ns) => !populated.has(ns)).sort();
  return { findings, dnsAssumed: assumed, partialNamespaces };
}
