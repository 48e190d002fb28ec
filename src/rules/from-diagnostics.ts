import type { Rule, RuleMeta } from './types.js';

/**
 * The validation rules (catalogue A). The model already validates every object as the API server would; these
 * rules only turn its diagnostics of one code into findings, so the checks exist once.
 */
export function fromDiagnostics(meta: RuleMeta): Rule {
  return {
    ...meta,
    check: (ctx) => ctx.model.diagnostics
      .filter((d) => d.code === meta.id)
      .map((d) => ({ rule: meta.id, severity: d.severity === 'error' ? meta.severity : d.severity, message: d.message, object: d.object, origin: d.origin, path: d.path })),
  };
}
