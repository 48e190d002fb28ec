import type { RuleMeta } from '../rules/types.js';
import type { ReportedFinding } from './findings.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JUnit XML for CI dashboards: one test suite per rule, one test case per rule and object, failing with the
 * findings of that object. Info findings do not fail a test case.
 */
export function junitXml(rules: readonly RuleMeta[], findings: ReportedFinding[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failing = findings.filter((f) => f.severity !== 'info');
  out.push(`<testsuites name="netpol lint" tests="${Math.max(rules.length, 1)}" failures="${failing.length}">`);
  for (const r of rules) {
    const mine = findings.filter((f) => f.rule === r.id);
    const byObject = new Map<string, ReportedFinding[]>();
    for (const f of mine) {
      const key = f.object ? `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` : '(input)';
      byObject.set(key, [...(byObject.get(key) ?? []), f]);
    }
    const cases = byObject.size ? [...byObject] : [['all objects', []] as [string, ReportedFinding[]]];
    const failures = cases.filter(([, fs]) => fs.some((f) => f.severity !== 'info')).length;
    out.push(`  <testsuite name="${xml(r.id)}" tests="${cases.length}" failures="${failures}">`);
    for (const [name, fs] of cases) {
      const bad = fs.filter((f) => f.severity !== 'info');
      if (!bad.length) {
        out.push(`    <testcase classname="${xml(r.id)}" name="${xml(name)}"/>`);
        continue;
      }
      const text = bad.map((f) => `${f.file ?? ''}${f.line ? `:${f.line}:${f.column ?? 1}` : ''} ${f.severity}: ${f.message}`).join('\n');
      out.push(`    <testcase classname="${xml(r.id)}" name="${xml(name)}">`);
      out.push(`      <failure type="${bad[0].severity}" message="${xml(bad[0].message)}">${xml(text)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
