import Table from 'cli-table3';
import type { InspectReport } from '../analyze/inspect.js';
import type { GroupedMatrix } from '../analyze/groups.js';
import type { Connection, MatrixEndpoint } from '../analyze/matrix.js';
import type { Explanation, SideExplanation } from '../analyze/explain.js';
import { describePeer } from '../analyze/explain.js';
import { formatConn, isEmptyConn, subtractConn, ALL_CONN } from '../analyze/ports.js';
import { groupMembersText } from './members.js';
import type { Sink } from './sink.js';

/** The styles the text reports use; a chalk instance is one. */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export interface TextStyle {
  palette: Palette;
  colour: boolean;
  width: number;
}

const labelsText = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ') || '-';

/** cli-table3 adds ANSI border colours even when piped unless its style is emptied (ecosystem.md §4.5). */
function table(style: TextStyle, head: string[]): Table.Table {
  return new Table({
    head: head.map((h) => style.palette.bold(h)),
    style: style.colour ? { head: [], border: ['grey'] } : { head: [], border: [] },
    wordWrap: true,
  });
}

export function inspectText(r: InspectReport, style: TextStyle): string {
  const c = style.palette;
  const out: string[] = [];
  out.push(c.bold(`Namespaces (${r.namespaces.length})`));
  const ns = table(style, ['namespace', 'labels']);
  for (const n of r.namespaces) ns.push([n.assumed ? `${n.name} ${c.yellow('(assumed)')}` : n.name, labelsText(n.labels)]);
  out.push(ns.toString(), '');
  out.push(c.bold(`Endpoints (${r.endpoints.length})`));
  const ep = table(style, ['endpoint', 'pods', 'labels', 'named ports']);
  for (const e of r.endpoints) {
    const pods = e.pods ? String(e.pods) : e.replicas === null ? 'n/a' : String(e.replicas);
    const ports = e.ports.filter((p) => p.name).map((p) => `${p.name}=${p.port}/${p.protocol}`).join(', ') || '-';
    ep.push([e.hostNetwork ? `${e.id} ${c.yellow('(hostNetwork)')}` : e.id, pods, labelsText(e.labels), ports]);
  }
  out.push(ep.toString(), '');
  out.push(c.bold(`NetworkPolicies (${r.policies.length})`));
  const pol = table(style, ['policy', 'podSelector', 'policyTypes', 'rules in/eg', 'selects']);
  for (const p of r.policies) {
    const types = `${p.policyTypes.join(', ')}${p.policyTypesDefaulted ? c.dim(' (defaulted)') : ''}`;
    const name = p.invalid ? `${p.id} ${c.red('(invalid, not analysed)')}` : p.id;
    pol.push([name, p.podSelector, types, `${p.ingressRules}/${p.egressRules}`, p.selects.join('\n') || c.yellow('nothing')]);
  }
  out.push(pol.toString(), '');
  out.push(c.bold('Isolation'));
  const iso = table(style, ['endpoint', 'ingress isolated by', 'egress isolated by']);
  const none = c.yellow('not isolated');
  for (const i of r.isolation) iso.push([i.endpoint, i.ingress.join('\n') || none, i.egress.join('\n') || none]);
  out.push(iso.toString());
  return `${out.join('\n')}\n`;
}

/** A grid for small matrices; otherwise one line per connection, `SRC => DST : TCP 80; UDP 53`. */
export async function writeMatrixText(sink: Sink, endpoints: MatrixEndpoint[], conns: Iterable<Connection>, style: TextStyle): Promise<void> {
  const grid = endpoints.length <= 14 && endpoints.length > 0;
  if (grid) {
    const cells = new Map<string, string>();
    const list: Connection[] = [];
    for (const conn of conns) {
      cells.set(`${conn.src.index}:${conn.dst.index}`, formatConn(conn.conn));
      list.push(conn);
    }
    const t = table(style, ['from \\ to', ...endpoints.map((e) => e.id)]);
    for (const s of endpoints) {
      t.push([style.palette.bold(s.id), ...endpoints.map((d) => {
        if (s === d && s.type === 'pod') return style.palette.dim('(self)');
        if (s.type === 'external' && d.type === 'external') return style.palette.dim('-');
        const v = cells.get(`${s.index}:${d.index}`) ?? 'none';
        return v === 'none' ? style.palette.red(v) : v === 'all' ? style.palette.green(v) : style.palette.yellow(v);
      })]);
    }
    const rendered = t.toString();
    const widest = Math.max(...rendered.split('\n').map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').length));
    if (widest <= style.width) {
      sink.write(`${rendered}\n`);
      await sink.flush();
      return;
    }
    conns = list;
  }
  let count = 0;
  for (const conn of conns) {
    sink.write(`${conn.src.id} => ${conn.dst.id} : ${formatConn(conn.conn)}\n`);
    count++;
    if (sink.full) await sink.flush();
  }
  if (count === 0) sink.write('no connections allowed\n');
  await sink.flush();
}

/** `matrix --group`: the groups with their members, then one line per allowed connection between groups. */
export async function writeGroupedMatrixText(sink: Sink, grouped: GroupedMatrix, style: TextStyle): Promise<void> {
  const c = style.palette;
  sink.write(`${c.bold(`Groups (${grouped.groups.length})`)}: endpoints in one group are treated alike by every policy\n`);
  for (const g of grouped.groups) {
    sink.write(`${c.bold(g.id)} (${g.members.length.toLocaleString('en-US')}): ${groupMembersText(g)}\n`);
    if (sink.full) await sink.flush();
  }
  sink.write(`\n${c.bold('Connections between groups')} (every member of the first to every member of the second)\n`);
  for (const conn of grouped.connections) {
    const v = formatConn(conn.conn);
    sink.write(`${conn.src.id} => ${conn.dst.id} : ${v === 'all' ? c.green(v) : c.yellow(v)}\n`);
    if (sink.full) await sink.flush();
  }
  if (grouped.connections.length === 0) sink.write('no connections allowed\n');
  await sink.flush();
}

export function explanationText(src: string, dst: string, x: Explanation, style: TextStyle, locate: (p: SideExplanation['isolatedBy'][number], path?: (string | number)[]) => string): string {
  const c = style.palette;
  const out: string[] = [];
  const q = x.query ? ` on ${x.query.protocol}/${x.query.port}` : '';
  const verdict = x.verdict ? c.green('ALLOWED') : c.red('DENIED');
  out.push(`${c.bold(src)} -> ${c.bold(dst)}${q}: ${verdict}`);
  if (!x.query) {
    out.push(`  allowed: ${formatConn(x.allowed)}`);
    const rest = subtractConn(ALL_CONN, x.allowed);
    if (!isEmptyConn(rest) && !isEmptyConn(x.allowed)) out.push(`  denied:  everything else (${formatConn(rest)})`);
  }
  for (const s of [x.egress, x.ingress]) {
    out.push('');
    const title = s.direction === 'egress' ? `Egress from ${src}` : `Ingress to ${dst}`;
    out.push(c.bold(title));
    if (!s.evaluated) {
      out.push(`  not evaluated: ${s.note}`);
      continue;
    }
    if (s.isolatedBy.length === 0) {
      out.push(`  not isolated: no NetworkPolicy selects it for ${s.direction}, so all traffic is allowed`);
      continue;
    }
    out.push(`  isolated by: ${s.isolatedBy.map((p) => `${p.namespace}/${p.name} (${locate(p)})`).join(', ')}`);
    const policiesWithoutRules = s.isolatedBy.filter((p) => !s.rules.some((r) => r.policy === p));
    for (const p of policiesWithoutRules) out.push(`  ${c.dim('-')} ${p.namespace}/${p.name}: no ${s.direction} rules (denies all ${s.direction})`);
    for (const r of s.rules) {
      const name = `${r.policy.namespace}/${r.policy.name} ${s.direction}[${r.rule.index}] (${locate(r.policy, r.rule.path)})`;
      const peer = r.matchedPeer === 'all' ? 'all peers' : r.matchedPeer === null ? '' : describePeer(r.rule.peers![r.matchedPeer], r.policy);
      const helps = !isEmptyConn(r.allowed) && (!x.query || r.reasons.length === 0);
      if (helps) out.push(`  ${c.green('✓')} ${name}: ${peer} matches; allows ${formatConn(r.allowed)}`);
      else out.push(`  ${c.red('✗')} ${name}: ${r.reasons.join('; ') || 'does not apply'}`);
    }
    out.push(`  ${s.direction} allows: ${formatConn(s.allowed)}`);
  }
  return `${out.join('\n')}\n`;
}

/** Findings grouped by file, one per line as `file:line:col  severity  message  rule-id`, then a summary line. */
export function lintText(findings: import('./findings.js').ReportedFinding[], summary: import('./findings.js').LintSummary, style: TextStyle): string {
  const c = style.palette;
  const groups = new Map<string, typeof findings>();
  for (const f of findings) {
    const key = f.template ? `${f.template} (rendered ${f.file})` : f.file ?? '(input)';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const colour = { error: c.red, warning: c.yellow, info: c.cyan };
  const out: string[] = [];
  for (const [file, list] of groups) {
    const places = list.map((f) => (f.line ? `${file}:${f.line}:${f.column ?? 1}` : file));
    const width = Math.max(...places.map((p) => p.length));
    list.forEach((f, i) => {
      const object = f.object && !f.line ? `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}: ` : '';
      out.push(`${places[i].padEnd(width)}  ${colour[f.severity](f.severity.padEnd(7))}  ${object}${f.message}  ${c.dim(f.rule)}`);
      for (const r of f.related) out.push(`${' '.repeat(width)}  ${' '.repeat(7)}    ${c.dim(`↳ ${r.message}${r.file && r.line ? ` (${r.file}:${r.line})` : ''}`)}`);
    });
    out.push('');
  }
  const total = summary.error + summary.warning + summary.info;
  const parts = [`${summary.error} error${summary.error === 1 ? '' : 's'}`, `${summary.warning} warning${summary.warning === 1 ? '' : 's'}`, `${summary.info} info`];
  const extra = [
    summary.suppressed ? `${summary.suppressed} suppressed` : '',
    summary.baselined ? `${summary.baselined} in the baseline` : '',
  ].filter(Boolean);
  const line = total === 0 ? c.green(`✔ no problems${extra.length ? ` (${extra.join(', ')})` : ''}`) : `${summary.error ? c.red('✖') : c.yellow('!')} ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')})${extra.length ? `; ${extra.join(', ')}` : ''}`;
  out.push(line);
  if (summary.partialNamespaces.length) out.push(c.dim(`note: no workloads in the input for ${summary.partialNamespaces.join(', ')}; rules about workloads were skipped there`));
  if (summary.dnsAssumed) out.push(c.dim('note: no cluster DNS pods in the input; DNS rules assumed k8s-app=kube-dns pods in kube-system'));
  return `${out.join('\n')}\n`;
}
