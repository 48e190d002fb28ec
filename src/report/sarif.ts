import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleMeta } from '../rules/types.js';
import type { ReportedFinding } from './findings.js';
import { writePrettyJson } from './pretty-json.js';
import type { Sink } from './sink.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0 for GitHub code scanning (ecosystem.md §1): every rule with help and security-severity, results
 * with regions, URIs relative to the working folder under %SRCROOT%, fingerprints that ignore line numbers.
 * Suppressed findings are left out unless asked for: GitHub would show them as open alerts.
 */
export async function writeSarifLog(sink: Sink, rules: readonly RuleMeta[], findings: ReportedFinding[], options: { version: string; cwd: string; category?: string }): Promise<void> {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'netpol', version: options.version, semanticVersion: options.version, informationUri: 'https://github.com/netpol/netpol',
          rules: rules.map((r) => ({
            id: r.id, name: r.id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
            shortDescription: { text: r.summary }, fullDescription: { text: r.summary },
            help: { text: r.help.replace(/```\w*\n?/g, ''), markdown: r.help },
            helpUri: `https://github.com/netpol/netpol/blob/main/docs/rules.md#${r.id}`,
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: {
              tags: ['kubernetes', 'networkpolicy', r.category, ...(r.securitySeverity ? ['security'] : [])],
              precision: 'high',
              ...(r.securitySeverity ? { 'security-severity': r.securitySeverity.toFixed(1) } : { 'problem.severity': r.severity === 'info' ? 'recommendation' : r.severity }),
            },
          })),
        },
      },
      automationDetails: { id: `${options.category ?? 'netpol'}/` },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      results: findings, // written a batch at a time, each finding as result() makes it
    }],
  };
  await writePrettyJson(sink, log, findings, (f) => result(f, index.get(f.rule) ?? 0));
}

function result(f: ReportedFinding, ruleIndex: number) {
  const uri = f.template ?? (f.file && !f.file.startsWith('<') && !f.file.startsWith('cluster ') ? f.file.split(path.sep).join('/') : undefined);
  const logical = f.object ? [{ fullyQualifiedName: `${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.kind}/${f.object.name}`, kind: 'object' }] : undefined;
  const region = !f.template && f.line ? { startLine: f.line, startColumn: f.column ?? 1, ...(f.endLine ? { endLine: f.endLine, endColumn: f.endColumn ?? 1 } : {}) } : undefined;
  const location = uri
    ? { physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, ...(region ? { region } : {}) }, ...(logical ? { logicalLocations: logical } : {}) }
    : { ...(logical ? { logicalLocations: logical } : {}) };
  const related = f.related.filter((r) => r.file && r.line && !r.file.startsWith('<')).map((r, i) => ({
    id: i + 1, message: { text: r.message },
    physicalLocation: { artifactLocation: { uri: r.file!.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' }, region: { startLine: r.line!, startColumn: r.column ?? 1 } },
  }));
  return {
    ruleId: f.rule, ruleIndex, level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location],
    ...(related.length ? { relatedLocations: related } : {}),
    partialFingerprints: { primaryLocationLineHash: `${f.fingerprint}:1` },
    fingerprints: { 'netpol/v1': f.fingerprint },
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }] } : {}),
  };
}

