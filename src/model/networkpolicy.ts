import type { RawObject, JsonPath } from '../load/types.js';
import { ObjectChecker, describe } from './checker.js';
import { parseCidr, cidrRange } from './cidr.js';
import type { Diagnostic, Direction, NetworkPolicy, Peer, PolicyPort, PolicyRule, Protocol } from './types.js';
import { PROTOCOLS, refOf } from './types.js';
import { jsonTextsOf } from './json-texts.js';

const SPEC_KEYS = ['podSelector', 'policyTypes', 'ingress', 'egress'] as const;
const PEER_KEYS = ['podSelector', 'namespaceSelector', 'ipBlock'] as const;
const PORT_KEYS = ['protocol', 'port', 'endPort'] as const;
const RULE_KEYS: Record<Direction, readonly string[]> = { ingress: ['from', 'ports'], egress: ['to', 'ports'] };
const PEERS_KEY: Record<Direction, 'from' | 'to'> = { ingress: 'from', egress: 'to' };
const WRONG_PEERS_HINT: Record<Direction, Record<string, string>> = { ingress: { to: 'from' }, egress: { from: 'to' } };

/** What a policy's spec normalises to; policies with identical specs share it (see `SpecCache`). */
type SpecParts = Pick<NetworkPolicy, 'podSelector' | 'policyTypes' | 'policyTypesDefaulted' | 'ingress' | 'egress'> & {
  written: Pick<NetworkPolicy['written'], 'ingress' | 'egress'>;
  missing: boolean;
};

type CachedSpec = { parts: SpecParts; diagnostics: Diagnostic[] };

const isSpecObject = (spec: unknown): spec is object => spec !== null && typeof spec === 'object' && !Array.isArray(spec);

/** Specs stringified per JSON.stringify call: enough to spread the call's fixed cost, few enough to die young. */
const TEXT_BATCH = 512;

/**
 * Normalised specs by their JSON text. Copies of one policy across namespaces are common (13,800 policies with 159
 * distinct specs in the medium benchmark profile, thousands of identical copies in reported clusters), so each
 * spec is defaulted and validated once; its problems are replayed for every copy, with the copy's own place.
 * The shared parts are never modified after normalisation.
 *
 * The texts of the policies given up front are made a batch at a time (`jsonTextsOf`), in the order the model
 * asks for them, so that a text is garbage by the next collection instead of living, and being copied by the
 * collector, until the whole model is built.
 */
export class SpecCache {
  private readonly entries = new Map<string, CachedSpec>();
  private readonly specs: object[];
  private texts: string[] = [];
  /** Index in `specs` of `texts[0]`. */
  private batchStart = 0;
  /** Index in `specs` of the spec expected next. */
  private next = 0;

  constructor(manifests: readonly RawObject[]) {
    this.specs = manifests.map((m) => m.body.spec).filter(isSpecObject);
  }

  /** The key of a spec; undefined for one that is not an object, which is never shared. */
  keyOf(spec: unknown): string | undefined {
    if (!isSpecObject(spec)) return undefined;
    // A spec asked for out of order, or not given up front, is stringified alone.
    if (this.specs[this.next] !== spec) return JSON.stringify(spec);
    if (this.next >= this.batchStart + this.texts.length) {
      this.batchStart = this.next;
      this.texts = jsonTextsOf(this.specs.slice(this.next, this.next + TEXT_BATCH));
    }
    return this.texts[this.next++ - this.batchStart];
  }

  get(key: string): CachedSpec | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: CachedSpec): void {
    this.entries.set(key, entry);
  }
}

/**
 * Turns a NetworkPolicy manifest into the model, defaulted exactly as `SetDefaults_NetworkPolicy` and validated
 * as `ValidateNetworkPolicy` would (semantics.md N2-N5). Anything the API server would refuse or silently drop
 * is an error diagnostic, and the policy is marked invalid.
 */
export function normalizeNetworkPolicy(raw: RawObject, defaultNamespace: string, cache?: SpecCache): { policy: NetworkPolicy; diagnostics: readonly Diagnostic[] } {
  const meta = (raw.body.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespaceWritten = typeof meta.namespace === 'string' && meta.namespace !== '';
  const namespace = namespaceWritten ? (meta.namespace as string) : defaultNamespace;
  const spec = raw.body.spec;
  const key = cache?.keyOf(spec);
  const cached = key === undefined ? undefined : cache!.get(key);
  // Most policies of a big input are clean copies of a spec seen before: no checker, no diagnostics to replay.
  if (cached && cached.diagnostics.length === 0 && name && raw.apiVersion === 'networking.k8s.io/v1') {
    return { policy: policyOf(namespace, name, namespaceWritten, raw, cached.parts, false), diagnostics: NO_DIAGNOSTICS };
  }
  const c = new ObjectChecker(refOf('NetworkPolicy', namespace, name || '(unnamed)'), raw.origin);
  if (!name) c.error('invalid-resource-shape', ['metadata', 'name'], 'metadata.name is required');
  if (raw.apiVersion !== 'networking.k8s.io/v1') {
    c.error('invalid-resource-shape', ['apiVersion'], `apiVersion "${raw.apiVersion}" is not served for NetworkPolicy (use networking.k8s.io/v1)`);
  }
  let entry = cached;
  if (entry) {
    for (const d of entry.diagnostics) c.diagnostics.push({ ...d, object: c.object, origin: c.origin });
  } else {
    const sc = new ObjectChecker(c.object, c.origin);
    entry = { parts: normalizeSpec(sc, spec), diagnostics: sc.diagnostics };
    if (key !== undefined) cache!.set(key, entry);
    c.diagnostics.push(...sc.diagnostics);
  }
  const { parts } = entry;
  return { policy: policyOf(namespace, name, namespaceWritten, raw, parts, parts.missing || c.hasErrors), diagnostics: c.diagnostics };
}

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

function policyOf(namespace: string, name: string, namespaceWritten: boolean, raw: RawObject, parts: SpecParts, invalid: boolean): NetworkPolicy {
  return {
    namespace, name, origin: raw.origin, invalid,
    podSelector: parts.podSelector, policyTypes: parts.policyTypes, policyTypesDefaulted: parts.policyTypesDefaulted,
    ingress: parts.ingress, egress: parts.egress,
    written: { namespace: namespaceWritten, ingress: parts.written.ingress, egress: parts.written.egress },
  };
}

function normalizeSpec(c: ObjectChecker, value: unknown): SpecParts {
  const parts: SpecParts = {
    podSelector: { matchLabels: {}, matchExpressions: [] },
    policyTypes: { ingress: true, egress: false }, policyTypesDefaulted: true, ingress: [], egress: [],
    written: { ingress: 'absent', egress: 'absent' }, missing: false,
  };
  const spec = c.object_(value, ['spec'], 'spec');
  if (!spec) {
    c.error('invalid-resource-shape', ['spec'], 'spec is required');
    parts.missing = true;
    return parts;
  }
  c.knownKeys(spec, ['spec'], SPEC_KEYS, { podSelectors: 'podSelector', policyType: 'policyTypes', Ingress: 'ingress', Egress: 'egress' });
  parts.podSelector = c.selector(spec.podSelector, ['spec', 'podSelector']) ?? parts.podSelector;
  for (const direction of ['ingress', 'egress'] as const) {
    const list = c.array(spec[direction], ['spec', direction], direction) ?? [];
    parts[direction] = list.map((r, i) => rule(c, direction, r, i)).filter((r): r is PolicyRule => r !== undefined);
    parts.written[direction] = !(direction in spec) ? 'absent' : list.length === 0 ? 'empty' : 'rules';
  }
  const types = c.array(spec.policyTypes, ['spec', 'policyTypes'], 'policyTypes') ?? [];
  if (types.length === 0) {
    // SetDefaults_NetworkPolicy: Ingress always, Egress only when len(spec.egress) != 0.
    parts.policyTypes = { ingress: true, egress: parts.egress.length > 0 };
  } else {
    parts.policyTypesDefaulted = false;
    parts.policyTypes = { ingress: false, egress: false };
    if (types.length > 2) c.error('invalid-selector-or-policy-types', ['spec', 'policyTypes'], 'at most 2 policyTypes may be given');
    types.forEach((t, i) => {
      if (t === 'Ingress') parts.policyTypes.ingress = true;
      else if (t === 'Egress') parts.policyTypes.egress = true;
      else c.error('invalid-selector-or-policy-types', ['spec', 'policyTypes', i], `${describe(t)} is not a policy type (Ingress or Egress)`);
    });
  }
  return parts;
}

function rule(c: ObjectChecker, direction: Direction, value: unknown, index: number): PolicyRule | undefined {
  const path: JsonPath = ['spec', direction, index];
  const obj = value === null ? {} : c.object_(value, path, `a ${direction} rule`);
  if (!obj) return undefined;
  c.knownKeys(obj, path, RULE_KEYS[direction], WRONG_PEERS_HINT[direction]);
  const key = PEERS_KEY[direction];
  const peerList = c.array(obj[key], [...path, key], key) ?? [];
  const portList = c.array(obj.ports, [...path, 'ports'], 'ports') ?? [];
  const peers = peerList.map((p, i) => peer(c, p, [...path, key, i])).filter((p): p is Peer => p !== undefined);
  const ports = portList.map((p, i) => port(c, p, [...path, 'ports', i])).filter((p): p is PolicyPort => p !== undefined);
  return {
    direction, index, path,
    peers: peerList.length === 0 ? null : peers,
    ports: portList.length === 0 ? null : ports,
  };
}

function peer(c: ObjectChecker, value: unknown, path: JsonPath): Peer | undefined {
  const obj = c.object_(value, path, 'a peer');
  if (!obj) {
    if (value === null || value === undefined) c.error('invalid-peer', path, 'a peer must set podSelector, namespaceSelector or ipBlock');
    return undefined;
  }
  c.knownKeys(obj, path, PEER_KEYS, { podSelectors: 'podSelector', namespaceSelectors: 'namespaceSelector', ipblock: 'ipBlock' });
  const present = PEER_KEYS.filter((k) => obj[k] !== undefined && obj[k] !== null);
  if (present.length === 0) {
    c.error('invalid-peer', path, 'a peer must set podSelector, namespaceSelector or ipBlock (an empty peer is rejected)');
    return undefined;
  }
  if (present.includes('ipBlock') && present.length > 1) {
    c.error('invalid-peer', path, 'ipBlock may not be combined with podSelector or namespaceSelector in one peer');
    return undefined;
  }
  const out: Peer = { path };
  if (present.includes('ipBlock')) {
    const ipBlock = ipBlockOf(c, obj.ipBlock, [...path, 'ipBlock']);
    if (!ipBlock) return undefined;
    out.ipBlock = ipBlock;
    return out;
  }
  out.podSelector = c.selector(obj.podSelector, [...path, 'podSelector']);
  out.namespaceSelector = c.selector(obj.namespaceSelector, [...path, 'namespaceSelector']);
  return out;
}

function ipBlockOf(c: ObjectChecker, value: unknown, path: JsonPath): { cidr: string; except: string[] } | undefined {
  const obj = c.object_(value, path, 'ipBlock');
  if (!obj) return undefined;
  c.knownKeys(obj, path, ['cidr', 'except'], { excepts: 'except', CIDR: 'cidr' });
  const text = obj.cidr;
  if (typeof text !== 'string' || text === '') {
    c.error('invalid-ipblock', [...path, 'cidr'], 'cidr is required');
    return undefined;
  }
  const cidr = parseCidr(text);
  if (!cidr) {
    c.error('invalid-ipblock', [...path, 'cidr'], `"${text}" is not a valid CIDR`);
    return undefined;
  }
  if (cidr.hostBitsSet) c.report('warning', 'invalid-ipblock', [...path, 'cidr'], `"${text}" has bits set beyond the prefix length; it means the whole network (newer API servers reject it)`);
  if (cidr.leadingZeros) c.report('warning', 'invalid-ipblock', [...path, 'cidr'], `"${text}" has octets with leading zeros; they are read as decimal`);
  const [lo, hi] = cidrRange(cidr);
  const except: string[] = [];
  const list = c.array(obj.except, [...path, 'except'], 'except') ?? [];
  list.forEach((e, i) => {
    const p = [...path, 'except', i];
    const sub = typeof e === 'string' ? parseCidr(e) : null;
    if (!sub) {
      c.error('invalid-ipblock', p, `${describe(e)} is not a valid CIDR`);
      return;
    }
    const [slo, shi] = cidrRange(sub);
    if (sub.family !== cidr.family || sub.prefix <= cidr.prefix || slo < lo || shi > hi) {
      c.error('invalid-ipblock', p, `"${e}" must be a strict subset of cidr "${text}"`);
      return;
    }
    except.push(e as string);
  });
  return { cidr: text, except };
}

const IANA_SVC_NAME = /^(?=.*[a-z])(?!-)(?!.*--)[a-z0-9-]{1,15}(?<!-)$/;

function port(c: ObjectChecker, value: unknown, path: JsonPath): PolicyPort | undefined {
  const obj = value === null ? {} : c.object_(value, path, 'a port');
  if (!obj) return undefined;
  c.knownKeys(obj, path, PORT_KEYS, { endport: 'endPort', targetPort: 'port', containerPort: 'port' });
  let ok = true;
  let protocol: Protocol = 'TCP'; // SetDefaults_NetworkPolicyPort
  if (obj.protocol !== undefined && obj.protocol !== null) {
    if (PROTOCOLS.includes(obj.protocol as Protocol)) protocol = obj.protocol as Protocol;
    else {
      c.error('invalid-port', [...path, 'protocol'], `${describe(obj.protocol)} is not a supported protocol (TCP, UDP or SCTP, upper case)`);
      ok = false;
    }
  }
  const out: PolicyPort = { protocol, path };
  const p = obj.port;
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      c.error('invalid-port', [...path, 'port'], `${p} is not a valid port (1-65535)`);
      ok = false;
    } else out.port = p;
  } else if (typeof p === 'string') {
    if (!IANA_SVC_NAME.test(p)) {
      const why = /^\d+$/.test(p) ? ' (a quoted number is a port name; remove the quotes)' : ' (at most 15 lower-case letters, digits and "-", with at least one letter)';
      c.error('invalid-port', [...path, 'port'], `"${p}" is not a valid port name${why}`);
      ok = false;
    } else out.port = p;
  } else if (p !== undefined && p !== null) {
    c.error('invalid-port', [...path, 'port'], `port must be a number or a name, not ${describe(p)}`);
    ok = false;
  }
  const e = obj.endPort;
  if (e !== undefined && e !== null) {
    if (typeof e !== 'number' || !Number.isInteger(e) || e < 1 || e > 65535) {
      c.error('invalid-port', [...path, 'endPort'], `${describe(e)} is not a valid endPort (1-65535)`);
      ok = false;
    } else if (p === undefined || p === null) {
      c.error('invalid-port', [...path, 'endPort'], 'endPort requires port');
      ok = false;
    } else if (typeof p === 'string') {
      c.error('invalid-port', [...path, 'endPort'], 'endPort cannot be used with a named port');
      ok = false;
    } else if (typeof p === 'number' && e < p) {
      c.error('invalid-port', [...path, 'endPort'], `endPort ${e} must be equal to or greater than port ${p}`);
      ok = false;
    } else out.endPort = e;
  }
  return ok ? out : undefined;
}
