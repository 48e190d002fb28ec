import type { Connection } from '../analyze/matrix.js';
import { formatConn } from '../analyze/ports.js';
import type { Sink } from './sink.js';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** A Markdown table, one row per connection, for pull-request comments and docs. */
export async function writeMatrixMarkdown(sink: Sink, conns: Iterable<Connection>): Promise<void> {
  sink.write('| source | destination | allowed |\n| --- | --- | --- |\n');
  let count = 0;
  for (const c of conns) {
    sink.write(`| ${cell(c.src.id)} | ${cell(c.dst.id)} | ${cell(formatConn(c.conn))} |\n`);
    count++;
    await sink.maybeFlush();
  }
  if (count === 0) sink.write('| _none_ | | |\n');
  await sink.flush();
}
