import type { ReportedFinding } from './findings.js';

const KIND = { error: 'error', warning: 'warning', info: 'notice' } as const;
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=rule::message`. */
export function githubAnnotations(findings: ReportedFinding[]): string {
  return findings.map((f) => {
    const props: string[] = [];
    const file = f.template ?? (f.file && !f.file.startsWith('<') ? f.file : undefined);
    if (file) props.push(`file=${escapeProperty(file)}`);
    if (file && f.line && !f.template) props.push(`line=${f.line}`, `col=${f.column ?? 1}`);
    props.push(`title=${escapeProperty(f.rule)}`);
    return `::${KIND[f.severity]} ${props.join(',')}::${escapeData(f.message)}\n`;
  }).join('');
}
