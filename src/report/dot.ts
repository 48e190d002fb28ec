import type { GroupedMatrix } from '../analyze/groups.js';
import type { Connection, MatrixEndpoint } from '../analyze/matrix.js';
import { formatConn } from '../analyze/ports.js';
import type { Sink } from './sink.js';
import { groupMembersText } from './members.js';

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graphviz: endpoints clustered by namespace, external address sets as boxes, edges labelled with ports. */
export async function writeMatrixDot(sink: Sink, endpoints: MatrixEndpoint[], conns: Iterable<Connection>): Promise<void> {
  sink.write('digraph netpol {\n  rankdir=LR;\n  node [shape=ellipse, fontsize=10];\n  edge [fontsize=9];\n');
  const byNamespace = new Map<string, MatrixEndpoint[]>();
  for (const e of endpoints) {
    if (e.type === 'external') {
      sink.write(`  ${q(e.id)} [shape=box, style=dashed];\n`);
      continue;
    }
    const ns = e.endpoint!.namespace;
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), e]);
  }
  let i = 0;
  for (const [ns, list] of byNamespace) {
    sink.write(`  subgraph cluster_${i++} {\n    label=${q(ns)};\n`);
    for (const e of list) sink.write(`    ${q(e.id)} [label=${q(`${e.endpoint!.name}\n${e.endpoint!.kind}`)}${e.hostNetwork ? ', style=dotted' : ''}];\n`);
    sink.write('  }\n');
  }
  for (const c of conns) {
    sink.write(`  ${q(c.src.id)} -> ${q(c.dst.id)} [label=${q(formatConn(c.conn))}];\n`);
    if (sink.full) await sink.flush();
  }
  sink.write('}\n');
  await sink.flush();
}

/** `matrix --group -o dot`: one node per group, labelled with its size and first members. */
export async function writeGroupedMatrixDot(sink: Sink, grouped: GroupedMatrix): Promise<void> {
  sink.write('digraph netpol {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n  edge [fontsize=9];\n');
  for (const g of grouped.groups) {
    const external = g.members.every((m) => m.type === 'external');
    sink.write(`  ${q(g.id)} [label=${q(`${g.id} (${g.members.length})\n${groupMembersText(g, 4).replace(/, /g, '\n')}`)}${external ? ', style=dashed' : ''}];\n`);
    if (sink.full) await sink.flush();
  }
  for (const c of grouped.connections) {
    sink.write(`  ${q(c.src.id)} -> ${q(c.dst.id)} [label=${q(formatConn(c.conn))}];\n`);
    if (sink.full) await sink.flush();
  }
  sink.write('}\n');
  await sink.flush();
}
