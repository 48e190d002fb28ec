import type { GroupedMatrix } from '../analyze/groups.js';
import type { Connection } from '../analyze/matrix.js';
import { formatConn } from '../analyze/ports.js';
import type { Sink } from './sink.js';
import { groupMembersText } from './members.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** A Markdown table, one row per connection, for pull-request comments and docs. */
export async function writeMatrixMarkdown(sink: Sink, conns: Iterable<Connection>): Promise<void> {
  sink.write('| source | destination | allowed |\n| --- | --- | --- |\n');
  let count = 0;
  for (const c of conns) {
    sink.write(`| ${cell(c.src.id)} | ${cell(c.dst.id)} | ${cell(formatConn(c.conn))} |\n`);
    count++;
    if (sink.full) await sink.flush();
  }
  if (count === 0) sink.write('| _none_ | | |\n');
  await sink.flush();
}

/** `matrix --group -o md`: a table of groups and a table of connections between them. */
export async function writeGroupedMatrixMarkdown(sink: Sink, grouped: GroupedMatrix): Promise<void> {
  sink.write('| group | endpoints | members |\n| --- | ---: | --- |\n');
  for (const g of grouped.groups) {
    sink.write(`| ${g.id} | ${g.members.length} | ${cell(groupMembersText(g))} |\n`);
    if (sink.full) await sink.flush();
  }
  sink.write('\n| source group | destination group | allowed |\n| --- | --- | --- |\n');
  for (const c of grouped.connections) {
    sink.write(`| ${c.src.id} | ${c.dst.id} | ${cell(formatConn(c.conn))} |\n`);
    if (sink.full) await sink.flush();
  }
  if (grouped.connections.length === 0) sink.write('| _none_ | | |\n');
  await sink.flush();
}
