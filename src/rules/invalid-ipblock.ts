import { fromDiagnostics } from './from-diagnostics.js';

export default fromDiagnostics({
  id: 'invalid-ipblock', severity: 'error', category: 'validation',
  summary: 'An ipBlock CIDR is invalid, or an except entry is not strictly inside it.',
  help: `\`cidr\` must parse, and every \`except\` must be a strict subset of it, of the same family. A CIDR with host bits set
(\`10.0.0.1/24\`) is accepted by older API servers as the whole network and rejected by newer ones: a warning.

Failing:
\`\`\`yaml
- ipBlock:
    cidr: 10.0.0.0/16
    except: [10.1.0.0/24]     # outside the cidr
\`\`\`
Passing:
\`\`\`yaml
- ipBlock:
    cidr: 10.0.0.0/16
    except: [10.0.5.0/24]
\`\`\``,
});
