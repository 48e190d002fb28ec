import type { Protocol } from '../model/types.js';
import type { Engine } from './engine.js';
import type { MatrixEndpoint } from './matrix.js';
import { portAllowed } from './matrix.js';
import type { ConnSet } from './ports.js';
import { ConnTable } from './ports.js';

/** Endpoints that every policy treats alike: identical rows and identical columns of the matrix. */
export interface EndpointGroup {
  index: number;
  id: string;
  members: MatrixEndpoint[];
}

/** Every listed pair from a member of `src` to a member of `dst` is allowed exactly `conn`. */
export interface GroupConnection {
  src: EndpointGroup;
  dst: EndpointGroup;
  conn: ConnSet;
}

export interface GroupedMatrix {
  groups: EndpointGroup[];
  connections: GroupConnection[];
}

export interface GroupFilter {
  port?: { port: number; protocol?: Protocol };
}

/**
 * The matrix over `endpoints` (both sides), compressed without loss: endpoints with identical rows and columns
 * form one group, and each connection between groups stands for every pair of their members (except what the
 * pair listing never shows: a bare Pod to itself, external to external). Works on rows in parts (`rowParts`), so
 * what open destinations share is never expanded; 5,000 pods that may all talk to each other stay one group in
 * time linear in the classes.
 */
export function groupMatrix(engine: Engine, endpoints: MatrixEndpoint[], filter: GroupFilter = {}): GroupedMatrix {
  const used = new Set<number>();
  for (const e of endpoints) for (const n of e.nodes) used.add(n);
  const nodes = [...used].sort((a, b) => a - b);
  const rows = new Map(nodes.map((n) => [n, restrictedRow(engine, n, used)]));
  const columnPart = columnPartition(engine, nodes, rows);
  const nodeGroup = nodeGroups(nodes, rows, columnPart);
  const groups = endpointGroups(endpoints, nodeGroup);
  return { groups: groups.map((g) => g.group), connections: groupConnections(engine, groups, rows, nodeGroup, filter) };
}

interface Row {
  openConn: number;
  external: boolean;
  destinations: Int32Array;
  conns: Int32Array;
}

/** A row limited to the classes shown; destinations outside them do not tell groups apart. */
function restrictedRow(engine: Engine, node: number, used: Set<number>): Row {
  const p = engine.rowParts(node);
  const keep: number[] = [];
  for (let i = 0; i < p.destinations.length; i++) if (used.has(p.destinations[i])) keep.push(i);
  const external = engine.nodes[node].kind === 'external';
  if (keep.length === p.destinations.length) return { openConn: p.openConn, external, destinations: p.destinations, conns: p.conns };
  return { openConn: p.openConn, external, destinations: Int32Array.from(keep, (i) => p.destinations[i]), conns: Int32Array.from(keep, (i) => p.conns[i]) };
}

/**
 * Destinations with identical columns, by partition refinement: start from what the open part of a row cannot
 * tell apart (ingress-open or not, external or not), then split by each row's explicit entries. Linear in entries.
 */
function columnPartition(engine: Engine, nodes: number[], rows: Map<number, Row>): Map<number, number> {
  const open = new Set(engine.ingressOpen);
  const part = new Map<number, number>();
  const size: number[] = [];
  const initial = new Map<string, number>();
  for (const n of nodes) {
    const key = `${open.has(n)}:${engine.nodes[n].kind === 'external'}`;
    let id = initial.get(key);
    if (id === undefined) {
      initial.set(key, (id = size.length));
      size.push(0);
    }
    part.set(n, id);
    size[id]++;
  }
  for (const n of nodes) {
    const row = rows.get(n)!;
    // Destinations of this row, by (current part, value); a bucket smaller than its part splits off.
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < row.destinations.length; i++) {
      const d = row.destinations[i];
      const key = part.get(d)! * 0x100000 + row.conns[i];
      const list = buckets.get(key);
      if (list) list.push(d);
      else buckets.set(key, [d]);
    }
    for (const list of buckets.values()) {
      const from = part.get(list[0])!;
      if (list.length === size[from]) continue;
      const id = size.length;
      size.push(list.length);
      size[from] -= list.length;
      for (const d of list) part.set(d, id);
    }
  }
  return part;
}

/** Classes with the same row (compared exactly, by content) and the same column part. */
function nodeGroups(nodes: number[], rows: Map<number, Row>, columnPart: Map<number, number>): Map<number, number> {
  const ids = new Map<string, number>();
  const group = new Map<number, number>();
  for (const n of nodes) {
    const row = rows.get(n)!;
    const key = `${columnPart.get(n)}|${row.openConn}|${row.external}|${row.destinations.join(',')}|${row.conns.join(',')}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    group.set(n, id);
  }
  return group;
}

interface GroupOfNodes {
  group: EndpointGroup;
  /** The node groups of the members' classes (the same for every member), ascending. */
  nodeGroups: number[];
  representative: MatrixEndpoint;
}

function endpointGroups(endpoints: MatrixEndpoint[], nodeGroup: Map<number, number>): GroupOfNodes[] {
  const byKey = new Map<string, GroupOfNodes>();
  const out: GroupOfNodes[] = [];
  for (const e of endpoints) {
    const ng = [...new Set(e.nodes.map((n) => nodeGroup.get(n)!))].sort((a, b) => a - b);
    const key = ng.join(',');
    let g = byKey.get(key);
    if (!g) {
      g = { group: { index: out.length, id: `g${out.length + 1}`, members: [] }, nodeGroups: ng, representative: e };
      byKey.set(key, g);
      out.push(g);
    }
    g.group.members.push(e);
  }
  return out;
}

/**
 * Connections between endpoint groups from one representative class row per node group: an endpoint of several
 * classes (pods of one owner that selectors tell apart) gets the intersection, as in the pair listing.
 */
function groupConnections(engine: Engine, groups: GroupOfNodes[], rows: Map<number, Row>, nodeGroup: Map<number, number>, filter: GroupFilter): GroupConnection[] {
  const t = engine.conns;
  const representativeOf = new Map<number, number>();
  for (const [n, g] of nodeGroup) if (!representativeOf.has(g)) representativeOf.set(g, n);
  // Node group ids are dense (0, 1, 2...), so arrays index them.
  const groupsOfNodeGroup: number[][] = [];
  for (const g of groups) for (const ng of g.nodeGroups) (groupsOfNodeGroup[ng] ??= []).push(g.group.index);
  const openNodeGroups = new Set(engine.ingressOpen.filter((n) => nodeGroup.has(n)).map((n) => nodeGroup.get(n)!));
  const rowCache = new Map<number, Map<number, number>>();
  // The row of one node group over node groups: columns are identical within a node group, so one class speaks for all.
  const nodeGroupRow = (ng: number): Map<number, number> => {
    let r = rowCache.get(ng);
    if (r) return r;
    const row = rows.get(representativeOf.get(ng)!)!;
    r = new Map();
    if (row.openConn !== ConnTable.EMPTY) {
      for (const og of openNodeGroups) if (!(row.external && engine.nodes[representativeOf.get(og)!].kind === 'external')) r.set(og, row.openConn);
    }
    for (let i = 0; i < row.destinations.length; i++) r.set(nodeGroup.get(row.destinations[i])!, row.conns[i]);
    rowCache.set(ng, r);
    return r;
  };
  const out: GroupConnection[] = [];
  // Groups seen for the current source, by stamp, so that candidates need no Set per source.
  const seen = new Int32Array(groups.length);
  let stamp = 0;
  for (const src of groups) {
    const srcRows = src.nodeGroups.map(nodeGroupRow);
    stamp++;
    const candidates: number[] = [];
    for (const ng of srcRows[0].keys()) {
      const list = groupsOfNodeGroup[ng];
      if (list) for (const g of list) {
        if (seen[g] !== stamp) {
          seen[g] = stamp;
          candidates.push(g);
        }
      }
    }
    const single = srcRows.length === 1;
    for (const di of Int32Array.from(candidates).sort()) {
      const dst = groups[di];
      if (src.representative.type === 'external' && dst.representative.type === 'external') continue;
      let id: number;
      if (single && dst.nodeGroups.length === 1) id = srcRows[0].get(dst.nodeGroups[0]) ?? ConnTable.EMPTY;
      else {
        id = ConnTable.ALL;
        for (const r of srcRows) for (const ng of dst.nodeGroups) id = t.intersect(id, r.get(ng) ?? ConnTable.EMPTY);
      }
      if (id === ConnTable.EMPTY) continue;
      // A lone bare Pod to itself is loopback, never listed.
      if (src === dst && src.group.members.length === 1 && src.representative.type === 'pod') continue;
      const conn = t.get(id);
      if (filter.port && !portAllowed(conn, filter.port)) continue;
      out.push({ src: src.group, dst: dst.group, conn });
    }
  }
  return out;
}
