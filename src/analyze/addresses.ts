import type { Family, IpAddress } from '../model/cidr.js';
import { cidrRange, familyBits, parseCidr, parseIp, rangeToCidrs, formatCidr, formatIp } from '../model/cidr.js';
import type { IpBlock } from '../model/types.js';

/**
 * The IPv4 and IPv6 spaces cut into "atoms" at every boundary of every ipBlock `cidr` and `except` in the input,
 * so that each atom is either wholly inside or wholly outside every block (performance.md §c.4). Atom ids are
 * IPv4 atoms first, then IPv6.
 */
export class AddressSpace {
  private readonly starts: Record<Family, bigint[]> = { 4: [], 6: [] };
  private readonly blockAtoms = new Map<string, number[]>();

  constructor(blocks: Iterable<IpBlock>) {
    const cuts: Record<Family, Set<bigint>> = { 4: new Set([0n]), 6: new Set([0n]) };
    const addCut = (text: string) => {
      const c = parseCidr(text);
      if (!c) return;
      const [lo, hi] = cidrRange(c);
      cuts[c.family].add(lo);
      if (hi + 1n < 1n << BigInt(familyBits(c.family))) cuts[c.family].add(hi + 1n);
    };
    for (const b of blocks) {
      addCut(b.cidr);
      for (const e of b.except) addCut(e);
    }
    for (const f of [4, 6] as const) this.starts[f] = [...cuts[f]].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get size(): number {
    return this.starts[4].length + this.starts[6].length;
  }

  familyOf(atom: number): Family {
    return atom < this.starts[4].length ? 4 : 6;
  }

  /** Inclusive address range of an atom. */
  range(atom: number): { family: Family; lo: bigint; hi: bigint } {
    const family = this.familyOf(atom);
    const i = family === 4 ? atom : atom - this.starts[4].length;
    const starts = this.starts[family];
    const hi = i + 1 < starts.length ? starts[i + 1] - 1n : (1n << BigInt(familyBits(family))) - 1n;
    return { family, lo: starts[i], hi };
  }

  atomOf(ip: IpAddress): number {
    const starts = this.starts[ip.family];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= ip.value) lo = mid;
      else hi = mid - 1;
    }
    return ip.family === 4 ? lo : lo + this.starts[4].length;
  }

  /** Atoms inside `cidr` and outside every `except`, ascending. */
  atomsOf(block: IpBlock): number[] {
    const key = blockKey(block);
    const known = this.blockAtoms.get(key);
    if (known) return known;
    const c = parseCidr(block.cidr);
    const out: number[] = [];
    if (c) {
      const [lo, hi] = cidrRange(c);
      const excluded = block.except.map((e) => parseCidr(e)).filter((e) => e !== null).map((e) => cidrRange(e!));
      const first = this.atomOf({ family: c.family, value: lo });
      const last = this.atomOf({ family: c.family, value: hi });
      for (let a = first; a <= last; a++) {
        const start = this.range(a).lo;
        if (!excluded.some(([elo, ehi]) => start >= elo && start <= ehi)) out.push(a);
      }
    }
    this.blockAtoms.set(key, out);
    return out;
  }

  /** The fewest CIDRs covering a set of atoms of one family, in address order. */
  cidrsOf(atoms: number[]): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < atoms.length) {
      let j = i;
      while (j + 1 < atoms.length && atoms[j + 1] === atoms[j] + 1 && this.familyOf(atoms[j + 1]) === this.familyOf(atoms[i])) j++;
      const a = this.range(atoms[i]);
      const b = this.range(atoms[j]);
      out.push(...rangeToCidrs(a.family, a.lo, b.hi));
      i = j + 1;
    }
    return out;
  }
}

/**
 * Addresses with what each one belongs to (a pod's endpoint, a Service), indexed by the atom of an address space
 * each falls in, so that what a block covers is read off the block's atoms: an atom is wholly inside or outside
 * every block the space was cut by. Each address is parsed once, however many blocks ask.
 */
export class AddressIndex {
  /** Entry indexes by atom, ascending. */
  private readonly byAtom = new Map<number, number[]>();
  private readonly owners: string[] = [];
  /** By block: copies of a policy name the same blocks, thousands of times in a big cluster. */
  private readonly coveredBy = new Map<string, string[]>();

  /** `entries` are [address, owner] pairs; addresses that do not parse are left out. */
  constructor(private readonly space: AddressSpace, entries: readonly (readonly [string, string])[]) {
    for (const [address, owner] of entries) {
      const ip = parseIp(address);
      if (!ip) continue;
      const atom = space.atomOf(ip);
      const list = this.byAtom.get(atom);
      if (list) list.push(this.owners.length);
      else this.byAtom.set(atom, [this.owners.length]);
      this.owners.push(owner);
    }
  }

  get size(): number {
    return this.owners.length;
  }

  /**
   * Owners of the addresses inside the block (one of the blocks the space was cut by), each once, in the order
   * of the entries.
   */
  covered(block: IpBlock): string[] {
    const key = blockKey(block);
    let owners = this.coveredBy.get(key);
    if (owners) return owners;
    const hits: number[] = [];
    for (const atom of this.space.atomsOf(block)) {
      const list = this.byAtom.get(atom);
      if (list) hits.push(...list);
    }
    hits.sort((a, b) => a - b);
    owners = [...new Set(hits.map((i) => this.owners[i]))];
    this.coveredBy.set(key, owners);
    return owners;
  }
}

/** What identifies a block: its CIDR and its exceptions, in any order. */
function blockKey(block: IpBlock): string {
  return `${block.cidr}|${[...block.except].sort().join(',')}`;
}

/**
 * A readable name for an address set given as CIDRs: the CIDRs themselves when few, else the enclosing block
 * with what it leaves out (`0.0.0.0/0 except 10.0.0.0/8,169.254.169.254/32`), else address ranges.
 */
export function addressSetName(family: Family, cidrs: string[]): string {
  if (cidrs.length <= 2) return cidrs.join(',');
  const ranges: [bigint, bigint][] = [];
  for (const c of cidrs) {
    const [lo, hi] = cidrRange(parseCidr(c)!);
    const last = ranges[ranges.length - 1];
    if (last && last[1] + 1n === lo) last[1] = hi;
    else ranges.push([lo, hi]);
  }
  const bits = familyBits(family);
  const lo = ranges[0][0];
  const hi = ranges[ranges.length - 1][1];
  let prefix = bits;
  while (prefix > 0 && ((lo >> BigInt(bits - prefix)) !== (hi >> BigInt(bits - prefix)))) prefix--;
  const size = 1n << BigInt(bits - prefix);
  const base = (lo / size) * size;
  const holes: string[] = [];
  let cur = base;
  for (const [rlo, rhi] of ranges) {
    if (rlo > cur) holes.push(...rangeToCidrs(family, cur, rlo - 1n));
    cur = rhi + 1n;
  }
  if (cur <= base + size - 1n) holes.push(...rangeToCidrs(family, cur, base + size - 1n));
  if (holes.length <= 3) return `${formatCidr(family, base, prefix)} except ${holes.join(',')}`;
  const text = ranges.map(([a, b]) => `${formatIp(family, a)}-${formatIp(family, b)}`);
  return text.length <= 3 ? text.join(',') : `${text.slice(0, 2).join(',')} and ${text.length - 2} more ranges`;
}
