import type { GroupedMatrix } from '../analyze/groups.js';
import type { MatrixEndpoint, SourceConnections } from '../analyze/matrix.js';
import type { ConnSet } from '../analyze/ports.js';
import type { Explanation } from '../analyze/explain.js';
import { formatConn } from '../analyze/ports.js';
import { jsonTextsOf } from '../model/json-texts.js';
import type { Sink } from './sink.js';
import { writePrettyJson } from './pretty-json.js';
import type { Labels, PodShape } from '../model/types.js';
import type { InspectReport } from '../analyze/inspect.js';
import type { LintSummary, ReportedFinding } from './findings.js';

export const SCHEMA_VERSION = 1;
/** Objects per JSON.stringify call when writing one object per line. */
const LINE_BATCH = 1024;

/** An endpoint of the JSON output; `group` (the grouped matrix's) is written last, added here rather than spread. */
export function endpointJson(e: MatrixEndpoint, group?: string): Record<string, unknown> {
  const out: Record<string, unknown> = e.type === 'external'
    ? { id: e.id, type: 'external', cidrs: e.external!.cidrs }
    : { id: e.id, type: e.type, namespace: e.endpoint!.namespace, name: e.endpoint!.name, kind: e.endpoint!.kind, labels: commonLabels(e.endpoint!.members) };
  if (e.hostNetwork) out.hostNetwork = true;
  if (group !== undefined) out.group = group;
  return out;
}

/**
 * The array elements `\n{...}` separated by commas, one per object, written in batches: a JSON.stringify call per
 * object cost more in call overhead than in writing (see jsonTextsOf).
 */
async function writeObjectLines(sink: Sink, count: number, objectAt: (i: number) => object): Promise<void> {
  for (let i = 0; i < count; i += LINE_BATCH) {
    const objects: object[] = [];
    for (let j = i; j < Math.min(count, i + LINE_BATCH); j++) objects.push(objectAt(j));
    sink.write(`${i ? ',' : ''}\n${jsonTextsOf(objects).join(',\n')}`);
    if (sink.full) await sink.flush();
  }
}

/** The `matrix -o json` contract (README "JSON output"): endpoints first, then connections, streamed. */
export async function writeMatrixJson(sink: Sink, endpoints: MatrixEndpoint[], bySource: Iterable<SourceConnections>): Promise<void> {
  sink.write(`{"schemaVersion":${SCHEMA_VERSION},\n"endpoints":[`);
  await writeObjectLines(sink, endpoints.length, (i) => endpointJson(endpoints[i]));
  sink.write('\n],\n"connections":[');
  const lines = new ConnectionLines(sink);
  const sources = bySource[Symbol.iterator]();
  // The loop over sources runs in a plain method until the sink is full: here, in the async function, it was
  // optimised with flush inlined, and the first flush of bytes threw that code away.
  while (lines.writeUntilFull(sources)) await sink.flush();
  sink.write('\n]}\n');
  await sink.flush();
}

/**
 * The connection lines of one source, written as bytes (PairLines): JSON.stringify of one small object per
 * connection, and then joining millions of small strings, dominated large outputs. A plain method, not the async
 * writer's loop, so that V8 optimises it early.
 */
class ConnectionLines {
  private lines?: PairLines;

  constructor(private readonly sink: Sink) {}

  /** Writes sources' lines until the sink is full (true) or the sources run out (false). */
  writeUntilFull(sources: Iterator<SourceConnections>): boolean {
    for (let next = sources.next(); !next.done; next = sources.next()) {
      this.write(next.value);
      if (this.sink.full) return true;
    }
    return false;
  }

  write({ src, dsts, conns, endpoints }: SourceConnections): void {
    if (dsts.length === 0) return;
    const lines = (this.lines ??= new PairLines(this.sink, endpoints));
    for (let i = 0; i < dsts.length; i++) lines.write(src.index, dsts[i], conns[i]);
  }
}

/** Group connection lines from `from` until the sink is full; where to go on. A plain function, as above. */
function writeGroupLinesUntilFull(lines: PairLines, sink: Sink, connections: GroupedMatrix['connections'], from: number): number {
  let i = from;
  while (i < connections.length) {
    const c = connections[i++];
    lines.write(c.src.index, c.dst.index, c.conn);
    if (sink.full) break;
  }
  return i;
}

/**
 * Array elements `{"src":"<id>","dst":"<id>",<connection fields>}`, comma and newline first but for the first,
 * for items (endpoints or groups) given by index, written as bytes from pieces encoded once per item and per
 * connection set (interned, so few).
 */
class PairLines {
  /** `,\n{"src":"<id>","dst":` per source and `"<id>",` per destination, by item index. */
  private readonly heads: IdPieces;
  private readonly dstPieces: IdPieces;
  /** `"protocols":...}` per connection set. */
  private readonly connPieces = new Map<ConnSet, Buffer>();
  /**
   * The connection set of the first line, and per destination `"<id>",` and that set's fields in one piece. Most
   * lines of a listing carry one set (every line of the large and dense profiles), and a line made of two copies
   * rather than three spent a third less time in copying: dense's 25 million lines are mostly copying.
   */
  private commonConn?: ConnSet;
  private commonTails?: IdPieces;
  private first = true;

  constructor(private readonly sink: Sink, private readonly items: readonly { id: string }[]) {
    this.heads = new IdPieces(items, ',\n{"src":', ',"dst":');
    this.dstPieces = new IdPieces(items, '', ',');
  }

  write(src: number, dst: number, conn: ConnSet): void {
    const head = this.heads.get(src);
    this.sink.writeBytes(this.first ? head.subarray(1) : head);
    this.first = false;
    if (conn === this.commonConn) this.sink.writeBytes(this.commonTails!.get(dst));
    else this.writeUncommonTail(dst, conn);
  }

  /** The rest of a line whose set is not the common one; the first line's set becomes the common one. */
  private writeUncommonTail(dst: number, conn: ConnSet): void {
    if (this.commonConn === undefined) {
      this.commonConn = conn;
      this.commonTails = new IdPieces(this.items, '', `,${connFields(conn)}}`);
      this.sink.writeBytes(this.commonTails.get(dst));
      return;
    }
    this.sink.writeBytes(this.dstPieces.get(dst));
    this.sink.writeBytes(this.connPiece(conn));
  }

  private connPiece(conn: ConnSet): Buffer {
    let b = this.connPieces.get(conn);
    if (b === undefined) this.connPieces.set(conn, (b = Buffer.from(`${connFields(conn)}}`, 'utf8')));
    return b;
  }
}

/** Items per encoding: enough to spread Buffer.from's fixed cost, few enough for a listing of one source. */
const PIECE_CHUNK = 512;
/** What JSON.stringify would escape in a string: quote, backslash, control characters, and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A short text per item (endpoint or group), its JSON id between a fixed `before` and `after`, as bytes: encoded a
 * chunk of items at a time and handed out as views of the chunk. A Buffer.from per item (and a JSON.stringify
 * call) cost more than the text: on the 10,000-endpoint large profile about 1.5 us each, for a head per source
 * and a piece per destination.
 */
class IdPieces {
  private readonly pieces: (Buffer | undefined)[];

  constructor(private readonly items: readonly { id: string }[], private readonly before: string, private readonly after: string) {
    this.pieces = new Array(items.length);
  }

  get(i: number): Buffer {
    return this.pieces[i] ?? this.encodeChunkOf(i);
  }

  private encodeChunkOf(i: number): Buffer {
    const start = i - (i % PIECE_CHUNK);
    const end = Math.min(this.items.length, start + PIECE_CHUNK);
    const texts: string[] = [];
    for (let k = start; k < end; k++) {
      const id = this.items[k].id;
      texts.push(`${this.before}${NEEDS_ESCAPE.test(id) ? JSON.stringify(id) : `"${id}"`}${this.after}`);
    }
    const joined = texts.join('');
    const bytes = Buffer.from(joined, 'utf8');
    // Offsets in characters are offsets in bytes only when every character is one byte.
    const ascii = bytes.length === joined.length;
    for (let k = start, at = 0; k < end; k++) {
      const text = texts[k - start];
      this.pieces[k] = ascii ? bytes.subarray(at, at + text.length) : Buffer.from(text, 'utf8');
      at += text.length;
    }
    return this.pieces[i]!;
  }
}

/** `"protocols":{...},"summary":"..."`, shared by endpoint and group connections. */
function connFields(conn: ConnSet): string {
  const ranges = (r: readonly number[]) => {
    let s = '[';
    for (let i = 0; i < r.length; i += 2) s += `${i ? ',' : ''}[${r[i]},${r[i + 1]}]`;
    return `${s}]`;
  };
  return `"protocols":{"TCP":${ranges(conn.TCP)},"UDP":${ranges(conn.UDP)},"SCTP":${ranges(conn.SCTP)}},"summary":${JSON.stringify(formatConn(conn))}`;
}

/**
 * `matrix --group -o json` (README "Grouped matrix"): endpoints with their group, the groups with their members,
 * and connections between groups under their own key, so that a reader of pair connections never mistakes them.
 */
export async function writeGroupedMatrixJson(sink: Sink, grouped: GroupedMatrix): Promise<void> {
  sink.write(`{"schemaVersion":${SCHEMA_VERSION},"grouped":true,\n"endpoints":[`);
  const members = grouped.groups.flatMap((g) => g.members.map((e) => ({ e, group: g.id }))).sort((a, b) => a.e.index - b.e.index);
  await writeObjectLines(sink, members.length, (i) => endpointJson(members[i].e, members[i].group));
  sink.write('\n],\n"groups":[');
  await writeObjectLines(sink, grouped.groups.length, (i) => {
    const g = grouped.groups[i];
    return { id: g.id, size: g.members.length, members: g.members.map((m) => m.id) };
  });
  sink.write('\n],\n"groupConnections":[');
  const lines = new PairLines(sink, grouped.groups);
  for (let next = 0; next < grouped.connections.length; ) {
    next = writeGroupLinesUntilFull(lines, sink, grouped.connections, next);
    await sink.flush();
  }
  sink.write('\n]}\n');
  await sink.flush();
}

export function inspectJson(report: InspectReport): string {
  return `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...report }, null, 2)}\n`;
}

export function explanationJson(src: string, dst: string, x: Explanation): string {
  const side = (s: Explanation['egress']) => ({
    evaluated: s.evaluated,
    ...(s.note ? { note: s.note } : {}),
    isolated: s.isolatedBy.length > 0,
    isolatedBy: s.isolatedBy.map((p) => `${p.namespace}/${p.name}`),
    rules: s.rules.map((r) => ({
      policy: `${r.policy.namespace}/${r.policy.name}`,
      rule: r.rule.index,
      matchedPeer: r.matchedPeer,
      ports: formatConn(r.ports),
      allowed: formatConn(r.allowed),
      reasons: r.reasons,
    })),
    allowed: formatConn(s.allowed),
  });
  return `${JSON.stringify({
    schemaVersion: SCHEMA_VERSION, src, dst,
    ...(x.query ? { query: x.query } : {}),
    verdict: x.verdict ? 'allowed' : 'denied',
    allowed: formatConn(x.allowed),
    egress: side(x.egress),
    ingress: side(x.ingress),
  }, null, 2)}\n`;
}

/** The labels every member has, with the same value. Pods of one controller usually share one labels object. */
function commonLabels(members: readonly PodShape[]): Labels {
  const first = members[0]?.labels ?? {};
  if (members.every((m) => m.labels === first)) return first;
  const out: Labels = {};
  for (const [k, v] of Object.entries(first)) if (members.every((m) => m.labels[k] === v)) out[k] = v;
  return out;
}

/** The `lint -o json` contract (README "Lint JSON output"). */
/** One finding of `lint -o json`, keys in the documented order; most findings have neither template nor suppression. */
function findingJson(f: ReportedFinding): Record<string, unknown> {
  const object = f.object ? { kind: f.object.kind, namespace: f.object.namespace ?? null, name: f.object.name } : null;
  if (!f.template && !f.suppressed) {
    return { rule: f.rule, severity: f.severity, message: f.message, file: f.file ?? null, line: f.line ?? null, column: f.column ?? null, object, path: f.path, related: f.related, fingerprint: f.fingerprint };
  }
  return {
    rule: f.rule, severity: f.severity, message: f.message,
    file: f.file ?? null, line: f.line ?? null, column: f.column ?? null,
    ...(f.template ? { template: f.template } : {}),
    object, path: f.path, related: f.related, fingerprint: f.fingerprint,
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  };
}

export async function writeLintJson(sink: Sink, findings: ReportedFinding[], summary: LintSummary): Promise<void> {
  await writePrettyJson(sink, { schemaVersion: SCHEMA_VERSION, findings, summary }, findings, findingJson);
}
