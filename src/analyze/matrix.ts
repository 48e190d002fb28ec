import type { Endpoint, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import type { Engine, ExternalEndpoint, Row } from './engine.js';
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

export function matrixEndpoints(engine: Engine): MatrixEndpoint[] {
  const out: MatrixEndpoint[] = engine.model.endpoints.map((e, i) => ({
    index: i, id: e.id, type: e.kind === 'Pod' ? 'pod' : 'workload', nodes: engine.endpointNodes[i], endpoint: e,
    hostNetwork: engine.endpointNodes[i].some((n) => engine.nodes[n].kind === 'host'),
  }));
  for (const x of engine.externals) out.push({ index: out.length, id: x.id, type: 'external', nodes: [x.node], external: x, hostNetwork: false });
  return out;
}

/** `ns/name` names every kind with that name; `ns/name[Kind]` one endpoint; an external id itself. */
export function endpointMatches(e: MatrixEndpoint, query: string): boolean {
  if (e.id === query) return true;
  return !!e.endpoint && `${e.endpoint.namespace}/${e.endpoint.name}` === query;
}

const ROW_CACHE_ENTRIES = 1_000_000;

/**
 * Streams the allowed connections between endpoints, source by source and in a stable order, without ever
 * holding the endpoint-by-endpoint matrix. A bare Pod to itself is always allowed and not listed; a workload
 * to itself (replica to replica) is evaluated like any other pair.
 */
export function* connections(engine: Engine, endpoints: MatrixEndpoint[], filter: MatrixFilter = {}): Generator<Connection> {
  const endpointsOfNode: number[][] = Array.from({ length: engine.nodes.length }, () => []);
  for (const e of endpoints) for (const n of e.nodes) endpointsOfNode[n].push(e.index);
  // With a namespace filter a connection is shown when either end is in one of the namespaces.
  const inNamespaces = (e: MatrixEndpoint) => e.type !== 'external' && (!filter.namespaces || filter.namespaces.has(e.endpoint!.namespace));
  const hidden = (e: MatrixEndpoint) => e.type === 'external' && filter.external === false;
  // Endpoints of one class need not be adjacent, so rows are kept up to a budget of entries, not of rows:
  // many small rows (a big cluster) all stay, a few huge ones (every pair allowed) do not pile up.
  const rowCache = new Map<number, Row>();
  let cachedEntries = 0;
  const rowOf = (n: number) => {
    let r = rowCache.get(n);
    if (!r) {
      r = engine.row(n);
      if (cachedEntries + r.size > ROW_CACHE_ENTRIES) {
        rowCache.clear();
        cachedEntries = 0;
      }
      rowCache.set(n, r);
      cachedEntries += r.size;
    }
    return r;
  };
  const t = engine.conns;
  // The allowed set from a source of several classes, or to a destination of several: every combination must allow.
  const across = (rows: Row[], dst: MatrixEndpoint) => {
    let id = ConnTable.ALL;
    for (const row of rows) for (const m of dst.nodes) id = t.intersect(id, row.get(m));
    return id;
  };
  // Candidates of the current source: destination endpoints with the connection set when one lookup gives it
  // (UNKNOWN otherwise), marked by stamp so that an endpoint under several classes is taken once.
  const seen = new Int32Array(endpoints.length);
  let stamp = 0;
  const candidates: number[] = [];
  const candidateConns: number[] = [];
  for (const src of endpoints) {
    if (hidden(src) || (filter.from && !endpointMatches(src, filter.from))) continue;
    const rows = src.nodes.map(rowOf);
    const single = rows.length === 1;
    stamp++;
    candidates.length = 0;
    candidateConns.length = 0;
    // A destination must be allowed from every class of the source, so the first row holds every candidate.
    const first = rows[0];
    let ascending = true;
    for (let i = 0; i < first.destinations.length; i++) {
      for (const e of endpointsOfNode[first.destinations[i]]) {
        if (seen[e] === stamp) continue;
        seen[e] = stamp;
        if (candidates.length > 0 && e < candidates[candidates.length - 1]) ascending = false;
        candidates.push(e);
        candidateConns.push(single && endpoints[e].nodes.length === 1 ? first.conns[i] : UNKNOWN);
      }
    }
    // Classes are numbered in endpoint order, so candidates usually come out sorted already.
    const order = ascending ? null : Int32Array.from(candidates.keys()).sort((a, b) => candidates[a] - candidates[b]);
    for (let k = 0; k < candidates.length; k++) {
      const j = order ? order[k] : k;
      const dst = endpoints[candidates[j]];
      if (dst === src && src.type === 'pod') continue;
      if (src.type === 'external' && dst.type === 'external') continue;
      if (hidden(dst) || (filter.to && !endpointMatches(dst, filter.to))) continue;
      if (filter.namespaces && !inNamespaces(src) && !inNamespaces(dst)) continue;
      const id = candidateConns[j] === UNKNOWN ? across(rows, dst) : candidateConns[j];
      if (id === ConnTable.EMPTY) continue;
      const conn = t.get(id);
      if (filter.port && !portAllowed(conn, filter.port)) continue;
      yield { src, dst, conn };
    }
  }
}

const UNKNOWN = -1;

/** Does the connection set admit the port (on the protocol given, or on any)? */
export function portAllowed(conn: ConnSet, query: { port: number; protocol?: Protocol }): boolean {
  return query.protocol ? connAllows(conn, query.protocol, query.port) : PROTOCOLS.some((p) => connAllows(conn, p, query.port));
}
