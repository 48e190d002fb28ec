import ipaddr from 'ipaddr.js';

/**
 * IP addresses and CIDR blocks as integers (BigInt, so IPv4 and IPv6 share one code path). Parsing follows the
 * API server's legacy rules for `ipBlock.cidr`: host bits are accepted and masked, IPv4 octets with leading zeros
 * are read as decimal.
 */
export type Family = 4 | 6;

export interface IpAddress {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  /** Network address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** The text had bits set beyond the prefix length (e.g. 10.0.0.1/24). */
  hostBitsSet: boolean;
  /** An IPv4 octet was written with a leading zero (e.g. 010.0.0.0/8). */
  leadingZeros: boolean;
}

export const familyBits = (f: Family): number => (f === 4 ? 32 : 128);

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIp(text: string): (IpAddress & { leadingZeros: boolean }) | null {
  if (typeof text !== 'string') return null;
  const quad = IPV4.exec(text);
  if (quad) {
    // Summed as a number and made a bigint once: a live dump has an address per pod, parsed by the lint rules.
    let value = 0;
    let leadingZeros = false;
    for (let i = 1; i <= 4; i++) {
      const part = quad[i];
      const n = Number(part);
      if (n > 255) return null;
      value = value * 256 + n;
      if (part.length > 1 && part.charCodeAt(0) === 48 /* 0 */) leadingZeros = true;
    }
    return { family: 4, value: BigInt(value), leadingZeros };
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) {
    const bytes = ipaddr.IPv6.parse(text).toByteArray();
    const value = bytes.reduce((acc, b) => (acc << 8n) + BigInt(b), 0n);
    return { family: 6, value, leadingZeros: false };
  }
  return null;
}

const parsedCidrs = new Map<string, Cidr | null>();

/** Parses (and remembers: policies repeat the same few blocks thousands of times) a CIDR. */
export function parseCidr(text: string): Cidr | null {
  if (typeof text !== 'string') return null;
  let c = parsedCidrs.get(text);
  if (c === undefined) {
    c = parseCidrText(text);
    if (parsedCidrs.size < 100_000) parsedCidrs.set(text, c);
  }
  return c;
}

function parseCidrText(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const bits = familyBits(ip.family);
  if (prefix > bits) return null;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const base = ip.value & ~hostMask;
  return { family: ip.family, base, prefix, hostBitsSet: base !== ip.value, leadingZeros: ip.leadingZeros };
}

/** Inclusive [first, last] addresses of a block. */
export function cidrRange(c: Pick<Cidr, 'family' | 'base' | 'prefix'>): [bigint, bigint] {
  const size = 1n << BigInt(familyBits(c.family) - c.prefix);
  return [c.base, c.base + size - 1n];
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const bytes: number[] = [];
  for (let s = 120n; s >= 0n; s -= 8n) bytes.push(Number((value >> s) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
}

export const formatCidr = (family: Family, base: bigint, prefix: number): string => `${formatIp(family, base)}/${prefix}`;

/** The fewest CIDR blocks whose union is exactly [lo, hi]. */
export function rangeToCidrs(family: Family, lo: bigint, hi: bigint): string[] {
  const bits = familyBits(family);
  const out: string[] = [];
  let cur = lo;
  while (cur <= hi) {
    let size = 0;
    while (size < bits) {
      const next = size + 1;
      const block = 1n << BigInt(next);
      if (cur % block !== 0n || cur + block - 1n > hi) break;
      size = next;
    }
    out.push(formatCidr(family, cur, bits - size));
    cur += 1n << BigInt(size);
  }
  return out;
}
