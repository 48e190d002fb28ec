import { fromDiagnostics } from './from-diagnostics.js';

export default fromDiagnostics({
  id: 'duplicate-policy-name', severity: 'error', category: 'validation',
  summary: 'Two policies share a namespace and name, so the later silently replaces the earlier.',
  help: `\`kubectl apply\` keeps only the last object with a given namespace and name; the first policy never takes effect.
netpol analyses the last one, as the cluster would.

Failing: two documents both named \`allow-web\` in namespace \`shop\`.
Passing: give each policy its own name.`,
});
