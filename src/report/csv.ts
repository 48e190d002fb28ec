import type { MatrixEndpoint, SourceConnections } from '../analyze/matrix.js';
import type { ConnSet } from '../analyze/ports.js';
import { PROTOCOLS } from '../model/types.js';
import type { Sink } from './sink.js';

const field = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One row per connection and protocol: `source,destination,protocol,ports` (ports `80;8080-8090`). */
export async function writeMatrixCsv(sink: Sink, bySource: Iterable<SourceConnections>): Promise<void> {
  sink.write('source,destination,protocol,ports\n');
  const rows = new CsvRows();
  for (const batch of bySource) {
    sink.write(rows.of(batch));
    if (sink.full) await sink.flush();
  }
  await sink.flush();
}

/**
 * The rows of one source as one text, from pieces made once per endpoint and per connection set (interned, so
 * few): a big matrix has hundreds of thousands of rows. A plain method, not the async writer's loop, so that
 * V8 optimises it early.
 */
class CsvRows {
  /** `<id>,` per destination endpoint index. */
  private readonly dstFields: string[] = [];
  /** `<protocol>,<ports>\n` per protocol the set allows, per connection set. */
  private readonly connRows = new Map<ConnSet, string[]>();

  of({ src, dsts, conns, endpoints }: SourceConnections): string {
    const head = `${field(src.id)},`;
    let text = '';
    for (let i = 0; i < dsts.length; i++) {
      const dst = this.dstField(endpoints, dsts[i]);
      for (const tail of this.rowsOf(conns[i])) text += head + dst + tail;
    }
    return text;
  }

  private dstField(endpoints: MatrixEndpoint[], d: number): string {
    return this.dstFields[d] ?? (this.dstFields[d] = `${field(endpoints[d].id)},`);
  }

  private rowsOf(conn: ConnSet): string[] {
    let rows = this.connRows.get(conn);
    if (!rows) {
      rows = [];
      for (const p of PROTOCOLS) {
        const r = conn[p];
        if (!r.length) continue;
        const ports: string[] = [];
        for (let i = 0; i < r.length; i += 2) ports.push(r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`);
        rows.push(`${p},${field(ports.join(';'))}\n`);
      }
      this.connRows.set(conn, rows);
    }
    return rows;
  }
}
