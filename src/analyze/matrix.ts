import type { Endpoint, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import type { Engine, ExternalEndpoint, RowSplit, SharedRow } from './engine.js';
import { Row } from './engine.js';
import type { ConnSet } from './ports.js';
import { ConnTable, connAllows } from './ports.js';

export type EndpointType = 'workload' | 'pod' | 'external';

/** A row or column of the matrix as reported. */
export interface MatrixEndpoint {
  index: number;
  id: string;
  type: EndpointType;
  /** Classes of the endpoint's pods (one, unless pods of one owner differ in labels that selectors read). */
  nodes: number[];
  endpoint?: Endpoint;
  external?: ExternalEndpoint;
  /** Host-network pods: outside NetworkPolicy, reached as node addresses. */
  hostNetwork: boolean;
}

export interface Connection {
  src: MatrixEndpoint;
  dst: MatrixEndpoint;
  conn: ConnSet;
}

export interface MatrixFilter {
  namespaces?: Set<string>;
  from?: string;
  to?: string;
  port?: { port: number; protocol?: Protocol };
  external?: boolean;
}

/**
 * Every endpoint carries every field, `undefined` where it does not apply: externals are destinations of most
 * sources, and the listing's optimised code, made for workload endpoints, was thrown away when they came by.
 */
export function matrixEndpoints(engine: Engine): MatrixEndpoint[] {
  const out: MatrixEndpoint[] = engine.model.endpoints.map((e, i) => ({
    index: i, id: e.id, type: e.kind === 'Pod' ? 'pod' : 'workload', nodes: engine.endpointNodes[i], endpoint: e, external: undefined,
    hostNetwork: engine.endpointNodes[i].some((n) => engine.nodes[n].kind === 'host'),
  }));
  for (const x of engine.externals) out.push({ index: out.length, id: x.id, type: 'external', nodes: [x.node], endpoint: undefined, external: x, hostNetwork: false });
  return out;
}

/** `ns/name` names every kind with that name; `ns/name[Kind]` one endpoint; an external id itself. */
export function endpointMatches(e: MatrixEndpoint, query: string): boolean {
  if (e.id === query) return true;
  return !!e.endpoint && `${e.endpoint.namespace}/${e.endpoint.name}` === query;
}

const ROW_CACHE_ENTRIES = 1_000_000;
const UNKNOWN = -1;

/**
 * The allowed connections from one source endpoint, destinations ascending. The arrays are reused for the next
 * source: read them before asking for it.
 */
export interface SourceConnections {
  src: MatrixEndpoint;
  /** Destinations as indexes into `endpoints` (the list the connections were asked for). */
  dsts: number[];
  conns: ConnSet[];
  endpoints: MatrixEndpoint[];
  /** Only when asked for (`ListingOptions.sharedRuns`): more connections, in a run over shared endpoints. */
  run?: SharedRun;
}

/**
 * The endpoints a part of rows that many sources share (`Engine.rowSplit`) reaches, ascending, each with its
 * connection set; externals come last. Sources not isolated for egress share one such part, so in a cluster with
 * few policies, or with policies open to every peer, most of every source's connections are these.
 */
export interface SharedEndpoints {
  list: Int32Array;
  conns: ConnSet[];
  /** Per endpoint index: how many of `list` come before it, which is where its line goes among theirs. */
  before: Int32Array;
  /** Where the externals start in `list`: an external source reaches none of them. */
  externalsFrom: number;
}

/**
 * The connections of a source to shared endpoints: those at positions [0, end) of `shared.list`, with `shared.conns`,
 * but the ones at `skips` (ascending; the source itself, and destinations listed on their own in `dsts`). A run
 * costs nothing per destination to list.
 */
export interface SharedRun {
  shared: SharedEndpoints;
  end: number;
  skips: number[];
}

export interface ListingOptions {
  /** Connections through the shared part of a row as `run` rather than one by one; only without filters. */
  sharedRuns?: boolean;
}

/** The connections of one source one by one, the run's merged in at their places: for tests and simple readers. */
export function* eachConnection({ dsts, conns, run }: SourceConnections): Generator<{ dst: number; conn: ConnSet }> {
  let k = 0;
  let skip = 0;
  const end = run ? run.end : 0;
  for (let p = 0; p <= end; p++) {
    // Own lines go before the shared endpoint at the position they would take among them.
    while (k < dsts.length && (!run || run.shared.before[dsts[k]] <= p)) yield { dst: dsts[k], conn: conns[k++] };
    if (p === end) break;
    if (skip < run!.skips.length && run!.skips[skip] === p) skip++;
    else yield { dst: run!.shared.list[p], conn: run!.shared.conns[p] };
  }
  while (k < dsts.length) yield { dst: dsts[k], conn: conns[k++] };
}

/**
 * Streams the allowed connections between endpoints, source by source and in a stable order, without ever
 * holding the endpoint-by-endpoint matrix. A bare Pod to itself is always allowed and not listed; a workload
 * to itself (replica to replica) is evaluated like any other pair.
 */
export function* connectionsBySource(engine: Engine, endpoints: MatrixEndpoint[], filter: MatrixFilter = {}, options: ListingOptions = {}): Generator<SourceConnections> {
  // The work per source is a plain method rather than this generator's body: V8 optimises a method called once
  // per source, while a loop inside a generator runs unoptimised until it ends (a third of the large listing).
  const lister = new ConnectionLister(engine, endpoints, filter, !!options.sharedRuns);
  const batch: SourceConnections = { src: endpoints[0], dsts: [], conns: [], endpoints, run: undefined };
  for (let i = 0; i < endpoints.length; i++) {
    const src = endpoints[i];
    if (!lister.list(src, batch)) continue;
    batch.src = src;
    yield batch;
  }
}

/** The same connections one pair at a time, for reporters that read them so. */
export function* connections(engine: Engine, endpoints: MatrixEndpoint[], filter: MatrixFilter = {}): Generator<Connection> {
  for (const { src, dsts, conns } of connectionsBySource(engine, endpoints, filter)) {
    for (let i = 0; i < dsts.length; i++) yield { src, dst: endpoints[dsts[i]], conn: conns[i] };
  }
}

/**
 * Lists one source's connections at a time, with the state shared from source to source. What the per-pair loop
 * reads is in typed arrays: reading it from endpoint objects strewn over a large heap was mostly cache misses.
 */
class ConnectionLister {
  /** Endpoints of class n: `classEndpoints[classStart[n] .. classStart[n + 1])`. */
  private readonly classStart: Int32Array;
  private readonly classEndpoints: Int32Array;
  /** Per endpoint: 1 when all its pods are of one class, so that one row lookup decides. */
  private readonly singleClass: Uint8Array;
  private readonly external: Uint8Array;
  private readonly filtered: boolean;
  /** Read once: the externals come last, and a property first read there would cost the listing its optimised code. */
  private readonly hideExternal: boolean;
  // Endpoints of one class need not be adjacent, so a row is kept until its last source has used it, up to a
  // budget of entries rather than of rows: many small rows (a big cluster) all stay, a few huge ones (every
  // pair allowed) do not pile up. A row with a single source (most, in a big cluster) is never kept.
  private readonly rowCache = new Map<number, Row>();
  private cachedEntries = 0;
  /** Per class, the sources still to come that need its row. */
  private readonly rowUsesLeft: Int32Array;
  /** Rows of the external classes, made first (see the constructor). */
  private readonly externalRows = new Map<number, Row>();
  // Candidates of the current source: destination endpoints with the connection set when one lookup gives it
  // (UNKNOWN otherwise), marked by stamp so that an endpoint under several classes is taken once.
  private readonly seen: Int32Array;
  private stamp = 0;
  // Scratch lists at their largest size rather than arrays emptied per source: `length = 0` drops an array's
  // storage, and growing it again per source was a tenth of what the large listing allocated.
  private readonly candidates: Int32Array;
  private readonly candidateConns: Int32Array;
  /** The rows of the current source's classes. */
  private readonly rows: Row[] = [];
  /** Split rows (`Engine.rowSplit`) kept as rows are, for sources listed with a run. */
  private readonly splitCache = new Map<number, RowSplit>();
  private readonly externalSplits = new Map<number, RowSplit>();
  /** Runs were asked for and no filter applies: then sources of one class are listed with a run. */
  private readonly runs: boolean;
  private readonly sharedEndpoints = new Map<SharedRow, SharedEndpoints>();
  private readonly skips: number[] = [];
  private ascending = true;

  constructor(private readonly engine: Engine, private readonly endpoints: MatrixEndpoint[], private readonly filter: MatrixFilter, sharedRuns: boolean) {
    const classes = engine.nodes.length;
    // Indexed loops, once per endpoint before the listing: unoptimised, a for-of (or a typed array's `from` with a
    // mapping function) allocates a result object per step.
    this.classStart = new Int32Array(classes + 1);
    this.singleClass = new Uint8Array(endpoints.length);
    this.external = new Uint8Array(endpoints.length);
    for (let i = 0; i < endpoints.length; i++) {
      const { nodes } = endpoints[i];
      for (let j = 0; j < nodes.length; j++) this.classStart[nodes[j] + 1]++;
      if (nodes.length === 1) this.singleClass[i] = 1;
      if (endpoints[i].type === 'external') this.external[i] = 1;
    }
    for (let n = 0; n < classes; n++) this.classStart[n + 1] += this.classStart[n];
    this.classEndpoints = new Int32Array(this.classStart[classes]);
    const fill = this.classStart.slice(0, classes);
    for (let i = 0; i < endpoints.length; i++) {
      const { nodes } = endpoints[i];
      for (let j = 0; j < nodes.length; j++) this.classEndpoints[fill[nodes[j]]++] = endpoints[i].index;
    }
    this.rowUsesLeft = new Int32Array(classes);
    for (let n = 0; n < classes; n++) this.rowUsesLeft[n] = this.classStart[n + 1] - this.classStart[n];
    this.hideExternal = filter.external === false;
    this.filtered = !!(filter.namespaces || filter.to || this.hideExternal);
    this.seen = new Int32Array(endpoints.length);
    this.candidates = new Int32Array(endpoints.length);
    this.candidateConns = new Int32Array(endpoints.length);
    // The externals are the last sources, and their rows take paths that no pod's row takes: met there, after V8
    // has optimised the listing, they would cost it that code, and the process would wait at exit for the
    // recompilation. Their rows are few and small, so they are made first and kept until their source comes.
    // With runs, an external source (one class) is listed from its split row, and otherwise from its row.
    this.runs = sharedRuns && !this.filtered && !filter.port;
    if (!this.hideExternal && !filter.from) {
      for (const e of endpoints) {
        if (e.type !== 'external') continue;
        for (const n of e.nodes) {
          if (this.runs) this.externalSplits.set(n, engine.rowSplit(n));
          else this.externalRows.set(n, engine.row(n));
        }
      }
    }
  }

  /** Fills `out` with the connections from `src` shown under the filter; false when there are none. */
  list(src: MatrixEndpoint, out: SourceConnections): boolean {
    const { candidates, candidateConns } = this;
    const { dsts, conns } = out;
    if (this.hidden(src) || (this.filter.from && !endpointMatches(src, this.filter.from))) {
      dsts.length = 0;
      conns.length = 0;
      return false;
    }
    if (this.runs && src.nodes.length === 1) return this.listWithRun(src, out);
    out.run = undefined;
    // The lists are overwritten and then cut to size, which keeps their storage from source to source.
    const rows = this.rows;
    for (let i = 0; i < src.nodes.length; i++) rows[i] = this.rowOf(src.nodes[i]);
    rows.length = src.nodes.length;
    // A destination must be allowed from every class of the source, so the first row holds every candidate.
    const first = rows[0];
    const count = this.gather(first.destinations, first.conns, rows.length === 1);
    const order = this.orderOf(count);
    const t = this.engine.conns;
    const self = src.type === 'pod' ? src.index : -1;
    // Read for every pair, not only from an external source: see the constructor.
    const external = this.external;
    const fromExternal = src.type === 'external' ? 1 : 0;
    let n = 0;
    for (let k = 0; k < count; k++) {
      const j = order ? order[k] : k;
      const d = candidates[j];
      if (d === self || (fromExternal & external[d]) === 1) continue;
      if (this.filtered && !this.shows(src, this.endpoints[d])) continue;
      const id = candidateConns[j] === UNKNOWN ? this.across(rows, this.endpoints[d]) : candidateConns[j];
      if (id === ConnTable.EMPTY) continue;
      const conn = t.get(id);
      if (this.filter.port && !portAllowed(conn, this.filter.port)) continue;
      dsts[n] = d;
      conns[n++] = conn;
    }
    dsts.length = n;
    conns.length = n;
    return n > 0;
  }

  /**
   * `list` for a source of one class, without filters: the destinations its row names on its own one by one, and
   * the endpoints the row's shared part reaches as a run. Costs what the row names, not what it reaches.
   */
  private listWithRun(src: MatrixEndpoint, out: SourceConnections): boolean {
    const { candidates, candidateConns, external } = this;
    const { dsts, conns } = out;
    const split = this.splitOf(src.nodes[0]);
    const shared = split.shared ? this.sharedEndpointsOf(split.shared) : undefined;
    const fromExternal = src.type === 'external' ? 1 : 0;
    const count = this.gather(split.destinations, split.conns, true);
    const order = this.orderOf(count);
    const t = this.engine.conns;
    const self = src.type === 'pod' ? src.index : -1;
    const end = shared === undefined ? 0 : fromExternal === 1 ? shared.externalsFrom : shared.list.length;
    const skips = this.skips;
    let skipCount = 0;
    // The source itself goes at its place among the destinations, which are ascending.
    let selfPending = end > 0 && self >= 0;
    const skip = (e: number) => {
      const p = shared!.before[e];
      if (p < end && shared!.list[p] === e) skips[skipCount++] = p;
    };
    let n = 0;
    for (let k = 0; k < count; k++) {
      const j = order ? order[k] : k;
      const d = candidates[j];
      if (selfPending && self <= d) {
        if (self < d) skip(self);
        selfPending = false;
      }
      // A shared endpoint that the row names on its own is not part of the run, allowed or not.
      if (end > 0) skip(d);
      if (d === self || (fromExternal & external[d]) === 1) continue;
      const id = candidateConns[j] === UNKNOWN ? this.acrossSplit(split, this.endpoints[d]) : candidateConns[j];
      if (id === ConnTable.EMPTY) continue;
      dsts[n] = d;
      conns[n++] = t.get(id);
    }
    if (selfPending) skip(self);
    dsts.length = n;
    conns.length = n;
    skips.length = skipCount;
    if (end === skipCount) {
      out.run = undefined;
      return n > 0;
    }
    out.run = { shared: shared!, end, skips };
    return true;
  }

  /**
   * The endpoints a shared row part reaches: those all of whose classes it reaches, with what it allows to every
   * one of them. Made once per part: sources share a handful.
   */
  private sharedEndpointsOf(shared: SharedRow): SharedEndpoints {
    let out = this.sharedEndpoints.get(shared);
    if (out) return out;
    const t = this.engine.conns;
    const list: number[] = [];
    const conns: ConnSet[] = [];
    const before = new Int32Array(this.endpoints.length);
    let externalsFrom = 0;
    for (let i = 0; i < this.endpoints.length; i++) {
      before[i] = list.length;
      const { nodes } = this.endpoints[i];
      let id = nodes.length > 0 ? ConnTable.ALL : ConnTable.EMPTY;
      for (let j = 0; j < nodes.length; j++) id = t.intersect(id, shared.conns[nodes[j]]);
      if (id === ConnTable.EMPTY) continue;
      if (this.external[i] === 0) externalsFrom = list.length + 1;
      list.push(i);
      conns.push(t.get(id));
    }
    out = { list: Int32Array.from(list), conns, before, externalsFrom };
    this.sharedEndpoints.set(shared, out);
    return out;
  }

  /**
   * Fills the candidates with the endpoints of the classes `destinations`, each once, with its connection set when
   * one entry decides it (`known`, for a source of one class, and an endpoint of one class), UNKNOWN otherwise.
   * Returns how many; `ascending` tells whether they came in endpoint order.
   */
  private gather(destinations: Int32Array, conns: Int32Array, known: boolean): number {
    const { candidates, candidateConns, seen, classStart, classEndpoints, singleClass } = this;
    const stamp = ++this.stamp;
    let count = 0;
    let ascending = true;
    for (let i = 0; i < destinations.length; i++) {
      const n = destinations[i];
      for (let k = classStart[n]; k < classStart[n + 1]; k++) {
        const e = classEndpoints[k];
        if (seen[e] === stamp) continue;
        seen[e] = stamp;
        if (count > 0 && e < candidates[count - 1]) ascending = false;
        candidates[count] = e;
        candidateConns[count++] = known && singleClass[e] === 1 ? conns[i] : UNKNOWN;
      }
    }
    this.ascending = ascending;
    return count;
  }

  /** The order to read the candidates in; null for as they are. Classes are numbered in endpoint order, so usually. */
  private orderOf(count: number): Int32Array | null {
    const { candidates } = this;
    return this.ascending ? null : Int32Array.from({ length: count }, (_, k) => k).sort((a, b) => candidates[a] - candidates[b]);
  }

  /**
   * The allowed set towards a destination of several classes (pods of one owner that selectors tell apart, never
   * an external), from a split row: every class must allow.
   */
  private acrossSplit(split: RowSplit, dst: MatrixEndpoint): number {
    const t = this.engine.conns;
    const row = new Row(split.destinations, split.conns);
    let id = ConnTable.ALL;
    for (const m of dst.nodes) {
      const own = row.get(m);
      id = t.intersect(id, own !== ConnTable.EMPTY ? own : split.shared ? split.shared.conns[m] : ConnTable.EMPTY);
    }
    return id;
  }

  /** The filters on the destination, and on the pair (namespaces); the source's own were checked first. */
  private shows(src: MatrixEndpoint, dst: MatrixEndpoint): boolean {
    const { filter } = this;
    if (this.hidden(dst) || (filter.to && !endpointMatches(dst, filter.to))) return false;
    return !filter.namespaces || this.inNamespaces(src) || this.inNamespaces(dst);
  }

  private rowOf(n: number): Row {
    return this.externalRows.get(n) ?? this.kept(n, this.rowCache, this.makeRow);
  }

  /** `rowOf` for split rows, sharing its count of the sources still to come. */
  private splitOf(n: number): RowSplit {
    return this.externalSplits.get(n) ?? this.kept(n, this.splitCache, this.makeSplit);
  }

  private readonly makeRow = (n: number) => this.engine.row(n);
  private readonly makeSplit = (n: number) => this.engine.rowSplit(n);

  /**
   * Class n's row from `cache`, or made: kept while sources still to come need it, within the budget of entries
   * that whole and split rows share, and dropped once its last source has it.
   */
  private kept<T extends { destinations: Int32Array }>(n: number, cache: Map<number, T>, make: (n: number) => T): T {
    const last = --this.rowUsesLeft[n] <= 0;
    let r = cache.get(n);
    if (r) {
      if (last) {
        cache.delete(n);
        this.cachedEntries -= r.destinations.length;
      }
      return r;
    }
    r = make(n);
    if (last) return r;
    if (this.cachedEntries + r.destinations.length > ROW_CACHE_ENTRIES) {
      this.rowCache.clear();
      this.splitCache.clear();
      this.cachedEntries = 0;
    }
    cache.set(n, r);
    this.cachedEntries += r.destinations.length;
    return r;
  }

  /** The allowed set from a source of several classes, or to a destination of several: every combination must allow. */
  private across(rows: Row[], dst: MatrixEndpoint): number {
    const t = this.engine.conns;
    let id = ConnTable.ALL;
    for (const row of rows) for (const m of dst.nodes) id = t.intersect(id, row.get(m));
    return id;
  }

  // With a namespace filter a connection is shown when either end is in one of the namespaces.
  private inNamespaces(e: MatrixEndpoint): boolean {
    return e.type !== 'external' && (!this.filter.namespaces || this.filter.namespaces.has(e.endpoint!.namespace));
  }

  private hidden(e: MatrixEndpoint): boolean {
    return this.hideExternal && e.type === 'external';
  }
}


/** Does the connection set admit the port (on the protocol given, or on any)? */
export function portAllowed(conn: ConnSet, query: { port: number; protocol?: Protocol }): boolean {
  return query.protocol ? connAllows(conn, query.protocol, query.port) : PROTOCOLS.some((p) => connAllows(conn, p, query.port));
}
