import type { ContainerPort, PolicyPort, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';

/** Sorted, disjoint, non-adjacent inclusive ranges within 1-65535, flattened as [lo, hi, lo, hi, ...]. */
export type PortRanges = readonly number[];

/** Which ports of which protocols a connection may use. */
export interface ConnSet {
  readonly TCP: PortRanges;
  readonly UDP: PortRanges;
  readonly SCTP: PortRanges;
}

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
const FULL: PortRanges = [MIN_PORT, MAX_PORT];
export const EMPTY_CONN: ConnSet = { TCP: [], UDP: [], SCTP: [] };
export const ALL_CONN: ConnSet = { TCP: FULL, UDP: FULL, SCTP: FULL };

export function unionRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const pairs: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i], b[i + 1]]);
  return normalizeRanges(pairs);
}

export function intersectRanges(a: PortRanges, b: PortRanges): PortRanges {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i], b[j]);
    const hi = Math.min(a[i + 1], b[j + 1]);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

export function subtractRanges(a: PortRanges, b: PortRanges): PortRanges {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i];
    const hi = a[i + 1];
    for (let j = 0; j < b.length && lo <= hi; j += 2) {
      if (b[j + 1] < lo || b[j] > hi) continue;
      if (b[j] > lo) out.push(lo, b[j] - 1);
      lo = b[j + 1] + 1;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalizeRanges(pairs: [number, number][]): PortRanges {
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n && lo <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

export const containsPort = (r: PortRanges, port: number): boolean => {
  for (let i = 0; i < r.length; i += 2) if (port >= r[i] && port <= r[i + 1]) return true;
  return false;
};

const mapConn = (a: ConnSet, b: ConnSet, f: (x: PortRanges, y: PortRanges) => PortRanges): ConnSet => ({
  TCP: f(a.TCP, b.TCP), UDP: f(a.UDP, b.UDP), SCTP: f(a.SCTP, b.SCTP),
});
export const unionConn = (a: ConnSet, b: ConnSet): ConnSet => mapConn(a, b, unionRanges);
export const intersectConn = (a: ConnSet, b: ConnSet): ConnSet => mapConn(a, b, intersectRanges);
export const subtractConn = (a: ConnSet, b: ConnSet): ConnSet => mapConn(a, b, subtractRanges);
export const isEmptyConn = (c: ConnSet): boolean => c.TCP.length === 0 && c.UDP.length === 0 && c.SCTP.length === 0;
export const connKey = (c: ConnSet): string => `${c.TCP.join(',')}|${c.UDP.join(',')}|${c.SCTP.join(',')}`;
export const connAllows = (c: ConnSet, protocol: Protocol, port: number): boolean => containsPort(c[protocol], port);

const isFull = (r: PortRanges) => r.length === 2 && r[0] === MIN_PORT && r[1] === MAX_PORT;

/** `TCP 80,8080-8090; UDP 53`, `all`, or `none`. */
export function formatConn(c: ConnSet): string {
  if (PROTOCOLS.every((p) => isFull(c[p]))) return 'all';
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    const r = c[p];
    if (r.length === 0) continue;
    if (isFull(r)) {
      parts.push(`${p} all`);
      continue;
    }
    const items: string[] = [];
    for (let i = 0; i < r.length; i += 2) items.push(r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`);
    parts.push(`${p} ${items.join(',')}`);
  }
  return parts.length ? parts.join('; ') : 'none';
}

/**
 * The ports a rule's `ports` list admits towards one destination (semantics.md M4). `null` ports admit all.
 * Named ports resolve against the destination's container ports with the same protocol; without a destination
 * pod (an external address, a host-network pod) they match nothing.
 */
export function connOfPorts(ports: readonly PolicyPort[] | null, destinationPorts: readonly ContainerPort[] | null): ConnSet {
  if (ports === null) return ALL_CONN;
  const pairs: Record<Protocol, [number, number][]> = { TCP: [], UDP: [], SCTP: [] };
  for (const p of ports) {
    if (p.port === undefined) pairs[p.protocol].push([MIN_PORT, MAX_PORT]);
    else if (typeof p.port === 'number') pairs[p.protocol].push([p.port, p.endPort ?? p.port]);
    else if (destinationPorts) {
      for (const cp of destinationPorts) if (cp.name === p.port && cp.protocol === p.protocol) pairs[p.protocol].push([cp.port, cp.port]);
    }
  }
  return { TCP: normalizeRanges(pairs.TCP), UDP: normalizeRanges(pairs.UDP), SCTP: normalizeRanges(pairs.SCTP) };
}

export const hasNamedPorts = (ports: readonly PolicyPort[] | null): boolean => !!ports && ports.some((p) => typeof p.port === 'string');

/**
 * Interns connection sets as small integers and memoises union and intersection, because a cluster has only a
 * handful of distinct sets while the matrix combines them millions of times (performance.md §c.4).
 */
export class ConnTable {
  private readonly ids = new Map<string, number>();
  readonly sets: ConnSet[] = [];
  private readonly unions = new Map<number, number>();
  private readonly intersections = new Map<number, number>();
  static readonly EMPTY = 0;
  static readonly ALL = 1;

  constructor() {
    this.intern(EMPTY_CONN);
    this.intern(ALL_CONN);
  }

  intern(c: ConnSet): number {
    const key = connKey(c);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(key, id);
      this.sets.push(c);
    }
    return id;
  }

  get(id: number): ConnSet {
    return this.sets[id];
  }

  union(a: number, b: number): number {
    if (a === b || b === ConnTable.EMPTY || a === ConnTable.ALL) return a;
    if (a === ConnTable.EMPTY || b === ConnTable.ALL) return b;
    return this.memo(this.unions, a, b, unionConn);
  }

  intersect(a: number, b: number): number {
    if (a === b || b === ConnTable.ALL) return a;
    if (a === ConnTable.ALL) return b;
    if (a === ConnTable.EMPTY || b === ConnTable.EMPTY) return ConnTable.EMPTY;
    return this.memo(this.intersections, a, b, intersectConn);
  }

  /** Both operations are commutative, so one entry serves (a, b) and (b, a). */
  private memo(table: Map<number, number>, a: number, b: number, op: (x: ConnSet, y: ConnSet) => ConnSet): number {
    const key = a < b ? a * 0x100000 + b : b * 0x100000 + a;
    let id = table.get(key);
    if (id === undefined) {
      id = this.intern(op(this.sets[a], this.sets[b]));
      table.set(key, id);
    }
    return id;
  }
}
