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
  // Per class (engine node), dense arrays rather than Maps: the huge profile has 50,000 classes and 600,000
  // row entries, and hash lookups per entry were a good part of grouping them.
  const used = new Uint8Array(engine.nodes.length);
  for (const e of endpoints) for (const n of e.nodes) used[n] = 1;
  const nodes: number[] = [];
  for (let n = 0; n < used.length; n++) if (used[n]) nodes.push(n);
  const rows: Row[] = new Array(engine.nodes.length);
  for (const n of nodes) rows[n] = restrictedRow(engine, n, used);
  const columnPart = columnPartition(engine, nodes, rows);
  const nodeGroup = nodeGroups(nodes, rows, columnPart);
  const groups = endpointGroups(endpoints, nodeGroup);
  return { groups: groups.map((g) => g.group), connections: groupConnections(engine, groups, nodes, rows, nodeGroup, filter) };
}

interface Row {
  openConn: number;
  external: boolean;
  destinations: Int32Array;
  conns: Int32Array;
}

/** A row limited to the classes shown; destinations outside them do not tell groups apart. */
function restrictedRow(engine: Engine, node: number, used: Uint8Array): Row {
  const p = engine.rowParts(node);
  const keep: number[] = [];
  for (let i = 0; i < p.destinations.length; i++) if (used[p.destinations[i]]) keep.push(i);
  const external = engine.nodes[node].kind === 'external';
  if (keep.length === p.destinations.length) return { openConn: p.openConn, external, destinations: p.destinations, conns: p.conns };
  return { openConn: p.openConn, external, destinations: Int32Array.from(keep, (i) => p.destinations[i]), conns: Int32Array.from(keep, (i) => p.conns[i]) };
}

/**
 * Destinations with identical columns, by partition refinement: start from what the open part of a row cannot
 * tell apart (ingress-open or not, external or not), then split by each row's explicit entries. Linear in entries.
 * The part of each class, by class.
 */
function columnPartition(engine: Engine, nodes: number[], rows: Row[]): Int32Array {
  const open = new Uint8Array(engine.nodes.length);
  for (const n of engine.ingressOpen) open[n] = 1;
  const part = new Int32Array(engine.nodes.length);
  const size: number[] = [];
  // Parts for (open, external), numbered as first met.
  const initial = [-1, -1, -1, -1];
  for (const n of nodes) {
    const kind = open[n] * 2 + (engine.nodes[n].kind === 'external' ? 1 : 0);
    if (initial[kind] < 0) {
      initial[kind] = size.length;
      size.push(0);
    }
    part[n] = initial[kind];
    size[initial[kind]]++;
  }
  for (const n of nodes) {
    const row = rows[n];
    // Destinations of this row, by (current part, value); a bucket smaller than its part splits off.
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < row.destinations.length; i++) {
      const d = row.destinations[i];
      const key = part[d] * 0x100000 + row.conns[i];
      const list = buckets.get(key);
      if (list) list.push(d);
      else buckets.set(key, [d]);
    }
    for (const list of buckets.values()) {
      const from = part[list[0]];
      if (list.length === size[from]) continue;
      const id = size.length;
      size.push(list.length);
      size[from] -= list.length;
      for (const d of list) part[d] = id;
    }
  }
  return part;
}

/**
 * Classes with the same row (compared exactly, by content) and the same column part. The node group of each
 * class shown, by class (-1 for the others); ids are dense and ascend with the classes. Rows are filed by a hash
 * of their content and compared in full within it: a text key per row (50,000 on the huge profile) cost more
 * than the rest of the grouping of classes.
 */
function nodeGroups(nodes: number[], rows: Row[], columnPart: Int32Array): Int32Array {
  const group = new Int32Array(rows.length).fill(-1);
  /** By hash, the first class of each node group with that hash. */
  const firsts = new Map<number, number[]>();
  let count = 0;
  for (const n of nodes) {
    const row = rows[n];
    const hash = rowHash(columnPart[n], row);
    let list = firsts.get(hash);
    let id = -1;
    if (list) {
      for (const m of list) {
        if (columnPart[m] === columnPart[n] && sameRow(rows[m], row)) {
          id = group[m];
          break;
        }
      }
    } else firsts.set(hash, (list = []));
    if (id < 0) {
      id = count++;
      list.push(n);
    }
    group[n] = id;
  }
  return group;
}

function rowHash(part: number, row: Row): number {
  let h = mix(mix(mix(0x811c9dc5, part), row.openConn), row.external ? 1 : 0);
  for (let i = 0; i < row.destinations.length; i++) h = mix(mix(h, row.destinations[i]), row.conns[i]);
  return h;
}

function mix(h: number, value: number): number {
  return Math.imul(h ^ value, 0x01000193) >>> 0;
}

function sameRow(a: Row, b: Row): boolean {
  if (a.openConn !== b.openConn || a.external !== b.external || a.destinations.length !== b.destinations.length) return false;
  for (let i = 0; i < a.destinations.length; i++) if (a.destinations[i] !== b.destinations[i] || a.conns[i] !== b.conns[i]) return false;
  return true;
}

interface GroupOfNodes {
  group: EndpointGroup;
  /** The node groups of the members' classes (the same for every member), ascending. */
  nodeGroups: number[];
  representative: MatrixEndpoint;
}

function endpointGroups(endpoints: MatrixEndpoint[], nodeGroup: Int32Array): GroupOfNodes[] {
  const byKey = new Map<string, GroupOfNodes>();
  const out: GroupOfNodes[] = [];
  for (const e of endpoints) {
    const ng = e.nodes.length === 1 ? [nodeGroup[e.nodes[0]]] : [...new Set(e.nodes.map((n) => nodeGroup[n]))].sort((a, b) => a - b);
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
 *
 * A source's row over node groups is spread into an array indexed by node group and cleared after, rather than
 * kept as a Map per node group: on the huge profile (50,000 groups, most with a row of their own) the Maps were
 * most of the grouping's time and garbage.
 */
function groupConnections(engine: Engine, groups: GroupOfNodes[], nodes: number[], rows: Row[], nodeGroup: Int32Array, filter: GroupFilter): GroupConnection[] {
  const t = engine.conns;
  // Node group ids are dense (0, 1, 2...) and met in ascending order, so arrays index them.
  const representativeRow: Row[] = [];
  for (const n of nodes) if (nodeGroup[n] === representativeRow.length) representativeRow.push(rows[n]);
  const count = representativeRow.length;
  const groupsOfNodeGroup: number[][] = Array.from({ length: count }, () => []);
  for (const g of groups) for (const ng of g.nodeGroups) groupsOfNodeGroup[ng].push(g.group.index);
  // A destination group of one node group (most are) is read with one lookup, without walking its list.
  const soleNodeGroup = Int32Array.from(groups, (g) => (g.nodeGroups.length === 1 ? g.nodeGroups[0] : -1));
  const openNodeGroups = [...new Set(engine.ingressOpen.filter((n) => nodeGroup[n] >= 0).map((n) => nodeGroup[n]))];
  // The source's connection to each node group (NONE where the row has no entry), and the node groups set.
  const NONE = -1;
  const conn = new Int32Array(count).fill(NONE);
  const other = new Int32Array(count).fill(NONE);
  const touched: number[] = [];
  const otherTouched: number[] = [];
  // One class speaks for its node group: columns are identical within one.
  const spread = (ng: number, into: Int32Array, list: number[]) => {
    const row = representativeRow[ng];
    if (row.openConn !== ConnTable.EMPTY) {
      for (const og of openNodeGroups) {
        if (row.external && representativeRow[og].external) continue;
        if (into[og] === NONE) list.push(og);
        into[og] = row.openConn;
      }
    }
    for (let i = 0; i < row.destinations.length; i++) {
      const g = nodeGroup[row.destinations[i]];
      if (into[g] === NONE) list.push(g);
      into[g] = row.conns[i];
    }
  };
  const out: GroupConnection[] = [];
  // Groups seen for the current source, by stamp, so that candidates need no Set per source.
  const seen = new Int32Array(groups.length);
  let stamp = 0;
  for (const src of groups) {
    spread(src.nodeGroups[0], conn, touched);
    // A source of several node groups reaches what all of their rows allow.
    for (let j = 1; j < src.nodeGroups.length; j++) {
      spread(src.nodeGroups[j], other, otherTouched);
      for (const ng of touched) conn[ng] = t.intersect(conn[ng], other[ng] === NONE ? ConnTable.EMPTY : other[ng]);
      for (const ng of otherTouched) other[ng] = NONE;
      otherTouched.length = 0;
    }
    stamp++;
    const candidates: number[] = [];
    for (const ng of touched) {
      const list = groupsOfNodeGroup[ng];
      for (let i = 0; i < list.length; i++) {
        const g = list[i];
        if (seen[g] !== stamp) {
          seen[g] = stamp;
          candidates.push(g);
        }
      }
    }
    const order = Int32Array.from(candidates).sort();
    for (let k = 0; k < order.length; k++) {
      const di = order[k];
      const dst = groups[di];
      if (src.representative.type === 'external' && dst.representative.type === 'external') continue;
      const sole = soleNodeGroup[di];
      let id: number;
      if (sole >= 0) id = conn[sole] === NONE ? ConnTable.EMPTY : conn[sole];
      else {
        id = ConnTable.ALL;
        for (const ng of dst.nodeGroups) id = t.intersect(id, conn[ng] === NONE ? ConnTable.EMPTY : conn[ng]);
      }
      if (id === ConnTable.EMPTY) continue;
      // A lone bare Pod to itself is loopback, never listed.
      if (src === dst && src.group.members.length === 1 && src.representative.type === 'pod') continue;
      const c = t.get(id);
      if (filter.port && !portAllowed(c, filter.port)) continue;
      out.push({ src: src.group, dst: dst.group, conn: c });
    }
    for (const ng of touched) conn[ng] = NONE;
    touched.length = 0;
  }
  return out;
}
