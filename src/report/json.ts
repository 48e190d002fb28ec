import type { GroupedMatrix } from '../analyze/groups.js';
import type { MatrixEndpoint, SharedRun, SharedEndpoints, SourceConnections } from '../analyze/matrix.js';
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
export async function writeMatrixJson(sink: Sink, endpoints: MatrixEndpoint[], bySource: Iterable<SourceConnections>, sharedLinesBytes = SHARED_LINES_BYTES): Promise<void> {
  sink.write(`{"schemaVersion":${SCHEMA_VERSION},\n"endpoints":[`);
  await writeObjectLines(sink, endpoints.length, (i) => endpointJson(endpoints[i]));
  sink.write('\n],\n"connections":[');
  const lines = new ConnectionLines(sink, sharedLinesBytes);
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

  constructor(private readonly sink: Sink, private readonly sharedLinesBytes: number) {}

  /** Writes sources' lines until the sink is full (true) or the sources run out (false). */
  writeUntilFull(sources: Iterator<SourceConnections>): boolean {
    for (let next = sources.next(); !next.done; next = sources.next()) {
      this.write(next.value);
      if (this.sink.full) return true;
    }
    return false;
  }

  write({ src, dsts, conns, endpoints, run }: SourceConnections): void {
    if (dsts.length === 0 && run === undefined) return;
    const lines = (this.lines ??= new PairLines(this.sink, endpoints, this.sharedLinesBytes));
    if (run !== undefined) lines.writeWithRun(src.index, dsts, conns, run);
    else for (let i = 0; i < dsts.length; i++) lines.write(src.index, dsts[i], conns[i]);
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
  /** `"<id>",` and a set's fields in one piece per destination, by connection set. */
  private readonly tails = new Map<ConnSet, IdPieces>();
  /** Lines to shared endpoints, by the endpoints and the byte length of the source's head; null: too big to keep. */
  private readonly sharedLines = new Map<SharedEndpoints, Map<number, SharedLines | null>>();
  private sharedLinesBytes = 0;

  /** `sharedLinesBudget`: bytes the lines to shared endpoints may take, for all of them and all head lengths. */
  constructor(private readonly sink: Sink, private readonly items: readonly { id: string }[], private readonly sharedLinesBudget = SHARED_LINES_BYTES) {
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

  /**
   * A source's lines when it reaches shared endpoints as a run: its own lines (`dsts`, ascending) each where it goes
   * among the run's, and the run's lines in ranges between them and the positions it skips.
   */
  writeWithRun(src: number, dsts: number[], conns: ConnSet[], run: SharedRun): void {
    const lines = this.sharedLinesFor(src, run);
    const { before } = run.shared;
    let k = 0;
    let from = 0;
    for (let s = 0; s <= run.skips.length; s++) {
      const stop = s < run.skips.length ? run.skips[s] : run.end;
      for (; k < dsts.length && before[dsts[k]] <= stop; k++) {
        // Never before `from`: a line of its own comes after the skips and lines before its place.
        this.writeRunRange(lines, src, run, from, before[dsts[k]]);
        from = before[dsts[k]];
        this.write(src, dsts[k], conns[k]);
      }
      this.writeRunRange(lines, src, run, from, stop);
      from = stop + 1;
    }
    for (; k < dsts.length; k++) this.write(src, dsts[k], conns[k]);
  }

  /** The run's lines at positions [from, to): a range of the shared endpoints' lines, else line by line. */
  private writeRunRange(lines: SharedLines | undefined, src: number, run: SharedRun, from: number, to: number): void {
    if (to <= from) return;
    if (lines === undefined) {
      for (let p = from; p < to; p++) this.write(src, run.shared.list[p], run.shared.conns[p]);
      return;
    }
    const bytes = lines.range(from, to);
    this.sink.writeSpan(this.first ? bytes.subarray(1) : bytes);
    this.first = false;
  }

  /**
   * The lines from this source to the shared endpoints: made for the first source with a head of its length, and
   * for the next ones rewritten where their heads differ (a few bytes of the id). Undefined when they would take
   * too much memory; then the run is written line by line.
   */
  private sharedLinesFor(src: number, run: SharedRun): SharedLines | undefined {
    const head = this.heads.get(src);
    let byLength = this.sharedLines.get(run.shared);
    if (byLength === undefined) this.sharedLines.set(run.shared, (byLength = new Map()));
    let lines = byLength.get(head.length);
    if (lines === null) return undefined;
    if (lines === undefined) {
      const { list, conns } = run.shared;
      const tails: Buffer[] = new Array(list.length);
      let size = head.length * list.length;
      for (let i = 0; i < list.length; i++) size += (tails[i] = this.tailsOf(conns[i]).get(list[i])).length;
      if (size > this.sharedLinesBudget) {
        // Decided once: the next sources of this length go line by line without sizing the lines again.
        byLength.set(head.length, null);
        return undefined;
      }
      if (this.sharedLinesBytes + size > this.sharedLinesBudget) {
        this.sharedLines.clear();
        this.sharedLines.set(run.shared, byLength = new Map());
        this.sharedLinesBytes = 0;
      }
      byLength.set(head.length, (lines = new SharedLines(head, tails, size)));
      this.sharedLinesBytes += size;
    }
    lines.retarget(head);
    return lines;
  }

  private tailsOf(conn: ConnSet): IdPieces {
    let t = this.tails.get(conn);
    if (t === undefined) this.tails.set(conn, (t = new IdPieces(this.items, '', `,${connFields(conn)}}`)));
    return t;
  }

  /** The rest of a line whose set is not the common one; the first line's set becomes the common one. */
  private writeUncommonTail(dst: number, conn: ConnSet): void {
    if (this.commonConn === undefined) {
      this.commonConn = conn;
      this.commonTails = this.tailsOf(conn);
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

/** Memory for the lines to shared endpoints (SharedLines) unless told otherwise: a 150,000-pod cluster's take 22 MB. */
const SHARED_LINES_BYTES = 64 * 1024 * 1024;

/**
 * The lines from one source to every shared endpoint, `<head><tail>` each, as one block of bytes. Sources that
 * share a part of their rows (every source in a cluster with few policies) differ in those lines only by the
 * source id in the head; for one of the same length, the block is made its own by rewriting, in each line, the
 * bytes where the two heads differ: usually a digit or two of a pod name, rather than two copies per line.
 */
class SharedLines {
  /** Where line i starts in `bytes`; one more entry for the end. */
  private readonly starts: Int32Array;
  private readonly bytes: Buffer;
  /** The head every line now holds. */
  private readonly head: Buffer;

  constructor(head: Buffer, tails: Buffer[], size: number) {
    this.starts = new Int32Array(tails.length + 1);
    this.bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < tails.length; i++) {
      this.starts[i] = at;
      this.bytes.set(head, at);
      this.bytes.set(tails[i], at + head.length);
      at += head.length + tails[i].length;
    }
    this.starts[tails.length] = at;
    this.head = Buffer.from(head);
  }

  /** Makes every line's head `head`, which has the length of the one they hold. */
  retarget(head: Buffer): void {
    let first = 0;
    while (first < head.length && head[first] === this.head[first]) first++;
    if (first === head.length) return;
    let end = head.length;
    while (head[end - 1] === this.head[end - 1]) end--;
    const { bytes, starts } = this;
    const lines = starts.length - 1;
    if (end - first <= 8) {
      for (let i = 0; i < lines; i++) {
        const at = starts[i];
        for (let k = first; k < end; k++) bytes[at + k] = head[k];
      }
    } else {
      const part = head.subarray(first, end);
      for (let i = 0; i < lines; i++) bytes.set(part, starts[i] + first);
    }
    this.head.set(head);
  }

  /** The lines at positions [from, to). */
  range(from: number, to: number): Buffer {
    return this.bytes.subarray(this.starts[from], this.starts[to]);
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
