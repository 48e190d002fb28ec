import { fromDiagnostics } from './from-diagnostics.js';

export default fromDiagnostics({
  id: 'invalid-port', severity: 'error', category: 'validation',
  summary: 'A port, port name, endPort or protocol is invalid.',
  help: `Ports are 1-65535; a port name is at most 15 lower-case letters, digits and "-" with at least one letter; \`endPort\`
needs a numeric \`port\` not above it; the protocol is exactly \`TCP\`, \`UDP\` or \`SCTP\`. A quoted \`"8080"\` is a port
*name*, and an invalid one.

Failing:
\`\`\`yaml
ports:
  - port: "8080"
  - protocol: tcp
\`\`\`
Passing:
\`\`\`yaml
ports:
  - port: 8080
  - protocol: TCP
\`\`\``,
});
