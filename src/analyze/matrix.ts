import type { Endpoint, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import type { Engine, ExternalEndpoint } from './engine.js';
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
  const rowCache = new Map<number, Map<number, number>>();
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
  // Endpoints seen for the current source, by stamp, so that candidates need no Set per source.
  const seen = new Int32Array(endpoints.length);
  let stamp = 0;
  for (const src of endpoints) {
    if (hidden(src) || (filter.from && !endpointMatches(src, filter.from))) continue;
    const rows = src.nodes.map(rowOf);
    stamp++;
    const candidates: number[] = [];
    for (const d of rows[0].keys()) for (const e of endpointsOfNode[d]) {
      if (seen[e] !== stamp) {
        seen[e] = stamp;
        candidates.push(e);
      }
    }
    const sorted = Int32Array.from(candidates).sort();
    const single = rows.length === 1;
    for (const di of sorted) {
      const dst = endpoints[di];
      if (dst === src && src.type === 'pod') continue;
      if (src.type === 'external' && dst.type === 'external') continue;
      if (hidden(dst) || (filter.to && !endpointMatches(dst, filter.to))) continue;
      if (filter.namespaces && !inNamespaces(src) && !inNamespaces(dst)) continue;
      let id: number;
      if (single && dst.nodes.length === 1) id = rows[0].get(dst.nodes[0]) ?? ConnTable.EMPTY;
      else {
        id = ConnTable.ALL;
        for (const row of rows) for (const m of dst.nodes) id = t.intersect(id, row.get(m) ?? ConnTable.EMPTY);
      }
      if (id === ConnTable.EMPTY) continue;
      const conn = t.get(id);
      if (filter.port && !portAllowed(conn, filter.port)) continue;
      yield { src, dst, conn };
    }
  }
}

/** Does the connection set admit the port (on the protocol given, or on any)? */
export function portAllowed(conn: ConnSet, query: { port: number; protocol?: Protocol }): boolean {
  return query.protocol ? connAllows(conn, query.protocol, query.port) : PROTOCOLS.some((p) => connAllows(conn, p, query.port));
}
