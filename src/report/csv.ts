import type { Connection } from '../analyze/matrix.js';
import { PROTOCOLS } from '../model/types.js';
import type { Sink } from './sink.js';

const field = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One row per connection and protocol: `source,destination,protocol,ports` (ports `80;8080-8090`). */
export async function writeMatrixCsv(sink: Sink, conns: Iterable<Connection>): Promise<void> {
  sink.write('source,destination,protocol,ports\n');
  for (const c of conns) {
    for (const p of PROTOCOLS) {
      const r = c.conn[p];
      if (!r.length) continue;
      const ports: string[] = [];
      for (let i = 0; i < r.length; i += 2) ports.push(r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`);
      sink.write(`${field(c.src.id)},${field(c.dst.id)},${p},${field(ports.join(';'))}\n`);
    }
    if (sink.full) await sink.flush();
  }
  await sink.flush();
}
