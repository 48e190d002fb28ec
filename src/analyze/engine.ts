import type { ClusterModel, Direction, IpBlock, Namespace, NetworkPolicy, Peer, PolicyPort, PolicyRule } from '../model/types.js';
import { AddressSpace, addressSetName } from './addresses.js';
import type { EndpointClass } from './classes.js';
import { classifyEndpoints, relevanceOf } from './classes.js';
import { distinctRules } from './policy-rules.js';
import { LabelIndex } from './label-index.js';
import { RowGroups, RowMemo } from './row-memo.js';
import { ConnTable, connOfPorts, hasNamedPorts } from './ports.js';
import { selectorKey, selectorMatches } from './selector.js';

const EMPTY_SELECTOR = { matchLabels: {}, matchExpressions: [] };
const DIRECTIONS = ['ingress', 'egress'] as const;

export interface EngineOptions {
  /** ipBlock peers also match pods whose IPs are known (Calico, upstream e2e); default: external addresses only. */
  ipBlockMatchesPods: boolean;
  /**
   * Which side an egress-isolated row walks: the source's egress peers or the destinations whose ingress names
   * the source. Both give the same rows; `auto` (the default) picks the cheaper one, the others are for tests.
   */
  rowWalk?: 'auto' | 'egress' | 'ingress';
}

/** An external endpoint: a set of addresses every ipBlock treats alike, named readably. */
export interface ExternalEndpoint {
  id: string;
  cidrs: string[];
  node: number;
}

/** A rule of a policy in effect, with its peers resolved to classes. */
export interface CompiledRule {
  id: number;
  policy: number;
  rule: PolicyRule;
  direction: Direction;
  /** `from`/`to` absent or empty: every peer, external addresses included. */
  allPeers: boolean;
  /** Classes matched by at least one peer, ascending. */
  peerNodes: Int32Array;
  /** Connection set id when it does not depend on the destination (no named ports). */
  fixedConn: number;
  named: boolean;
  /** The policy's selected classes: the destinations of an ingress rule, the sources of an egress rule. */
  selected: Int32Array;
}

export interface CompiledPolicy {
  policy: NetworkPolicy;
  /** Pod classes selected by spec.podSelector (never host-network pods, semantics.md N9). */
  selected: Int32Array;
  rules: Record<Direction, CompiledRule[]>;
}

/**
 * The reachability engine (semantics.md §2-3, performance.md §c). It groups endpoints into classes, evaluates
 * every selector once per class, and answers per source class with a row of allowed destinations. All pairs
 * follow from two primitives: `policySelects` and `peerMatches`; the row computation only indexes them.
 */
export class Engine {
  readonly conns = new ConnTable();
  readonly space: AddressSpace;
  readonly nodes: EndpointClass[];
  readonly endpointNodes: number[][];
  readonly externals: ExternalEndpoint[] = [];
  /**
   * 1 for an external class. Rows read it for every destination rather than only when the source is external:
   * externals are the last sources of a listing, and a read first made there costs the optimised listing code
   * (a deoptimisation, then a recompilation that the process waits for when it exits).
   */
  private readonly externalNode: Uint8Array;
  readonly policies: CompiledPolicy[] = [];
  readonly rules: CompiledRule[] = [];
  /** Per class, the compiled policies that select it, per direction. */
  readonly selecting: Record<Direction, number[][]>;
  /**
   * Per source class s, the ingress rules whose peers name it (rules with every peer are in `baseIngress`):
   * `ingressRules[ingressRuleStart[s] .. ingressRuleStart[s + 1])`. One array rather than one per class: classes
   * that no rule names (externals, which come last) would otherwise be empty arrays of another elements kind, and
   * the optimised row code, made for the others, would be thrown away when they come.
   */
  private readonly ingressRuleStart: Int32Array;
  private readonly ingressRules: CompiledRule[] = [];
  /** Per class, a hash of the ingress rules that name it, in their order (see rowInputsHash). */
  private readonly ingressRulesHash: Int32Array;
  private readonly baseIngress: Int32Array;
  private readonly openDestinations: number[] = [];
  private readonly baseIngressDestinations: number[] = [];
  /** Named-port rules resolved per destination class, by the rule's port list (copies of a policy share it). */
  private readonly namedConnMemo = new Map<readonly PolicyPort[], Map<number, number>>();
  private readonly fixedConnMemo = new Map<readonly PolicyPort[], number>();
  private readonly nsSelectorCache = new Map<string, string[]>();
  private namespaceIndex?: LabelIndex<Namespace>;
  /** By selector key, then namespace: both strings are reused, so lookups hash nothing new. */
  private readonly podSelectorCache = new Map<string, Map<string, Int32Array>>();
  private readonly podNodesByNamespace = new Map<string, number[]>();
  /** Where podSelectorNodes gathers a selection before copying it out. */
  private readonly matchScratch: Int32Array;
  private readonly nodesByAtom = new Map<number, number[]>();
  private readonly peerCache = new Map<string, Int32Array>();
  private readonly peerListCache = new Map<Peer[], Int32Array>();
  // Scratch rows for `row`, indexed by class, with a stamp per entry instead of clearing between sources.
  private ingressScratch = new Int32Array(0);
  private egressScratch = new Int32Array(0);
  private ingressStamp = new Int32Array(0);
  private egressStamp = new Int32Array(0);
  private entries = new RowEntries(0);
  private touchedIngress = new ClassList(0);
  private touchedEgress = new ClassList(0);
  private stamp = 0;
  /** Shared row parts (rowSplit): of sources not isolated for egress, and by the set of egress rules to every peer. */
  private unisolatedRow?: SharedRow;
  private readonly openRows = new Map<number, SharedRow>();
  /** Classes whose rows are equal (RowGroups), found when the first row is asked for; each form of row kept by them. */
  private groups?: RowGroups;
  private readonly rowGroups = () => (this.groups ??= new RowGroups(this.nodes.length, (n) => this.rowInputsHash(n), (a, b) => this.sameRowInputs(a, b)));
  private readonly rows = new RowMemo(this.rowGroups, (n) => this.makeRow(n));
  private readonly splits = new RowMemo(this.rowGroups, (n) => this.makeSplit(n));
  private readonly parts = new RowMemo(this.rowGroups, (n) => this.makeParts(n));

  constructor(readonly model: ClusterModel, readonly options: EngineOptions) {
    const active = model.policies.filter((p) => !p.invalid);
    const blocks = new Map<string, IpBlock>();
    const rules = distinctRules(active);
    // Indexed loops in the constructor and in what runs once per policy or row: they run a few times each, mostly
    // before V8 optimises them, and an unoptimised for-of allocates a result object per step (18 MB of the large
    // benchmark listing's 121 MB of allocations, with the collections they cost).
    for (let i = 0; i < rules.length; i++) {
      const peers = rules[i].peers;
      if (peers) for (let j = 0; j < peers.length; j++) {
        const { ipBlock } = peers[j];
        if (ipBlock) blocks.set(`${ipBlock.cidr}|${ipBlock.except.join(',')}`, ipBlock);
      }
    }
    this.space = new AddressSpace(blocks.values());
    const { classes, endpointClasses } = classifyEndpoints(model, relevanceOf(active, rules), this.space, options.ipBlockMatchesPods);
    this.nodes = classes;
    this.endpointNodes = endpointClasses;
    this.addExternalNodes([...blocks.values()]);
    this.matchScratch = new Int32Array(this.nodes.length);
    this.externalNode = new Uint8Array(this.nodes.length);
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[i];
      if (n.kind === 'external') this.externalNode[i] = 1;
      if (n.kind === 'pod') push(this.podNodesByNamespace, n.namespace!, n.id);
      for (let j = 0; j < n.atoms.length; j++) push(this.nodesByAtom, n.atoms[j], n.id);
    }

    const count = this.nodes.length;
    const selections: Record<Direction, number[]> = { ingress: [], egress: [] };
    for (let i = 0; i < active.length; i++) this.compilePolicy(active[i], selections);
    this.selecting = { ingress: listsByClass(count, selections.ingress), egress: listsByClass(count, selections.egress) };

    this.baseIngress = new Int32Array(count);
    const bySamePeersAndPorts = new Map<Int32Array, Map<readonly PolicyPort[] | null, CompiledRule[]>>();
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i];
      if (r.direction !== 'ingress') continue;
      if (r.allPeers) {
        const { selected } = this.policies[r.policy];
        for (let j = 0; j < selected.length; j++) this.baseIngress[selected[j]] = this.conns.union(this.baseIngress[selected[j]], this.connOf(r, selected[j]));
      } else {
        let byPorts = bySamePeersAndPorts.get(r.peerNodes);
        if (!byPorts) bySamePeersAndPorts.set(r.peerNodes, (byPorts = new Map()));
        const same = byPorts.get(r.rule.ports);
        if (same) same.push(r);
        else byPorts.set(r.rule.ports, [r]);
      }
    }
    const merged: CompiledRule[] = [];
    for (const byPorts of bySamePeersAndPorts.values()) {
      for (const same of byPorts.values()) merged.push(same.length === 1 ? same[0] : destinationsMerged(same));
    }
    this.ingressRuleStart = new Int32Array(count + 1);
    for (let i = 0; i < merged.length; i++) {
      const { peerNodes } = merged[i];
      for (let j = 0; j < peerNodes.length; j++) this.ingressRuleStart[peerNodes[j] + 1]++;
    }
    for (let s = 0; s < count; s++) this.ingressRuleStart[s + 1] += this.ingressRuleStart[s];
    const fill = this.ingressRuleStart.slice(0, count);
    this.ingressRules.length = this.ingressRuleStart[count];
    this.ingressRulesHash = new Int32Array(count);
    for (let i = 0; i < merged.length; i++) {
      const { peerNodes } = merged[i];
      for (let j = 0; j < peerNodes.length; j++) {
        const s = peerNodes[j];
        this.ingressRules[fill[s]++] = merged[i];
        this.ingressRulesHash[s] = Math.imul(this.ingressRulesHash[s] ^ (i + 1), 0x01000193);
      }
    }
    for (let d = 0; d < count; d++) {
      if (this.selecting.ingress[d].length === 0) this.openDestinations.push(d);
      else if (this.baseIngress[d] !== ConnTable.EMPTY) this.baseIngressDestinations.push(d);
    }
  }

  /** True when the class is isolated for the direction: some policy in effect selects it (M2). */
  isolated(node: number, direction: Direction): boolean {
    return this.selecting[direction][node].length > 0;
  }

  /**
   * Does this policy select the class (M2)? Host-network pods never are (N9); `asPod` asks whether the labels
   * would match if the pod were an ordinary one, for the rule that warns about exactly that.
   */
  policySelects(policy: NetworkPolicy, node: EndpointClass, asPod = false): boolean {
    const kindOk = node.kind === 'pod' || (asPod && node.kind === 'host');
    return kindOk && node.namespace === policy.namespace && selectorMatches(policy.podSelector, node.labels);
  }

  /** Does one peer of a policy's rule match the class on the other side (M3, M5)? `asPod` as for policySelects. */
  peerMatches(peer: Peer, policy: NetworkPolicy, node: EndpointClass, asPod = false): boolean {
    if (peer.ipBlock) {
      if (node.atoms.length === 0) return false;
      const inside = new Set(this.space.atomsOf(peer.ipBlock));
      return node.kind === 'external' ? inside.has(node.atoms[0]) : node.atoms.some((a) => inside.has(a));
    }
    if (node.kind !== 'pod' && !(asPod && node.kind === 'host')) return false;
    if (peer.namespaceSelector) {
      const ns = this.model.namespaces.get(node.namespace!);
      if (!ns || !selectorMatches(peer.namespaceSelector, ns.labels)) return false;
    } else if (node.namespace !== policy.namespace) return false;
    return !peer.podSelector || selectorMatches(peer.podSelector, node.labels);
  }

  /** The ports a rule admits towards a destination class; named ports resolve on destination pods only (M4). */
  connOf(rule: CompiledRule, destination: number): number {
    if (!rule.named) return rule.fixedConn;
    const node = this.nodes[destination];
    const ports = rule.rule.ports!;
    let byDestination = this.namedConnMemo.get(ports);
    if (!byDestination) this.namedConnMemo.set(ports, (byDestination = new Map()));
    const key = node.kind === 'pod' ? destination : -1;
    let id = byDestination.get(key);
    if (id === undefined) {
      id = this.conns.intern(connOfPorts(ports, node.kind === 'pod' ? node.ports : null));
      byDestination.set(key, id);
    }
    return id;
  }

  /**
   * Allowed destinations of one source class: egress of the source (E1) intersected with ingress of each
   * destination (E2), ascending by destination class, connection sets never EMPTY.
   */
  row(source: number): Row {
    return this.rows.get(source);
  }

  private makeRow(source: number): Row {
    const { openConn, entries } = this.rowEntries(source);
    const externalNode = this.externalNode;
    const fromExternal = externalNode[source];
    if (openConn !== ConnTable.EMPTY) {
      const open = this.openDestinations;
      for (let i = 0; i < open.length; i++) if (!entries.has(open[i]) && (fromExternal & externalNode[open[i]]) === 0) entries.set(open[i], openConn);
    }
    const { destinations, conns } = entries.sorted();
    return new Row(destinations, conns);
  }

  /**
   * A row in two parts, so that what most rows share costs nothing per destination: `openConn` goes to every
   * ingress-open destination (externals excepted when the source is external), and `destinations`/`conns`
   * (ascending by destination, never EMPTY) override it.
   */
  rowParts(source: number): RowParts {
    return this.parts.get(source);
  }

  private makeParts(source: number): RowParts {
    const { openConn, entries } = this.rowEntries(source);
    return { openConn, ...entries.sorted() };
  }

  /** Destination classes no policy isolates for ingress (every pod class with no ingress policy, hosts, externals). */
  get ingressOpen(): readonly number[] {
    return this.openDestinations;
  }

  /**
   * A row as a part that many rows share and this row's own entries, which take precedence (ascending, never
   * EMPTY). Sources not isolated for egress share one part: every ingress-open class with everything, and every
   * class that rules open to every peer admit into with what they admit; their own entries are the classes whose
   * ingress rules name them. Sources with an egress rule to every peer share the ingress-open classes with what
   * those rules admit. An external source reaches no external class, whatever the shared part says.
   */
  rowSplit(source: number): RowSplit {
    return this.splits.get(source);
  }

  private makeSplit(source: number): RowSplit {
    const { openConn, entries, unisolated } = this.rowEntries(source, false);
    const own = entries.sorted();
    if (unisolated) return { shared: (this.unisolatedRow ??= this.sharedRow(ConnTable.ALL, true)), ...own };
    if (openConn === ConnTable.EMPTY) return { shared: undefined, ...own };
    let shared = this.openRows.get(openConn);
    if (!shared) this.openRows.set(openConn, (shared = this.sharedRow(openConn, false)));
    return { shared, ...own };
  }

  /**
   * What a row depends on besides the destinations: whether the source is external (an external reaches no
   * external), the policies that select it for egress (none when it is not isolated for egress), and the ingress
   * rules that name it. A hash of them here, compared in full by `sameRowInputs`.
   */
  private rowInputsHash(n: number): number {
    let h = this.ingressRulesHash[n] ^ this.externalNode[n];
    const egress = this.egressPolicies(n);
    for (let i = 0; i < egress.length; i++) h = Math.imul(h ^ egress[i], 0x01000193);
    return h;
  }

  private sameRowInputs(a: number, b: number): boolean {
    if (this.externalNode[a] !== this.externalNode[b]) return false;
    const ea = this.egressPolicies(a);
    const eb = this.egressPolicies(b);
    if (ea.length !== eb.length) return false;
    for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return false;
    const start = this.ingressRuleStart;
    if (start[a + 1] - start[a] !== start[b + 1] - start[b]) return false;
    for (let k = 0; k < start[a + 1] - start[a]; k++) if (this.ingressRules[start[a] + k] !== this.ingressRules[start[b] + k]) return false;
    return true;
  }

  /** The policies whose egress rules decide a source's row: none for a source not isolated for egress. */
  private egressPolicies(n: number): readonly number[] {
    return this.nodes[n].kind === 'pod' ? this.selecting.egress[n] : NO_CLASSES;
  }

  /** The shared part `openConn` to every ingress-open class and, with `base`, each rule-open class's own set. */
  private sharedRow(openConn: number, base: boolean): SharedRow {
    const conns = new Int32Array(this.nodes.length);
    for (let i = 0; i < this.openDestinations.length; i++) conns[this.openDestinations[i]] = openConn;
    if (base) for (let i = 0; i < this.baseIngressDestinations.length; i++) conns[this.baseIngressDestinations[i]] = this.baseIngress[this.baseIngressDestinations[i]];
    return { conns };
  }

  /**
   * The two parts of a row: `openConn` for every ingress-open destination, and entries that override it. Touches
   * only destinations some rule names, so the cost follows the size of the answer rather than classes squared.
   */
  private rowEntries(source: number, withBase = true): { openConn: number; entries: RowEntries; unisolated: boolean } {
    const t = this.conns;
    const count = this.nodes.length;
    if (this.ingressScratch.length !== count) {
      this.ingressScratch = new Int32Array(count);
      this.egressScratch = new Int32Array(count);
      this.ingressStamp = new Int32Array(count);
      this.egressStamp = new Int32Array(count);
      this.touchedIngress = new ClassList(count);
      this.touchedEgress = new ClassList(count);
      this.entries = new RowEntries(count);
    }
    const stamp = ++this.stamp;
    const inConn = this.ingressScratch;
    const inStamp = this.ingressStamp;
    const touchedIngress = this.touchedIngress;
    touchedIngress.clear();
    const ingressRules = this.ingressRules;
    for (let k = this.ingressRuleStart[source]; k < this.ingressRuleStart[source + 1]; k++) {
      const r = ingressRules[k];
      this.accumulate(r, r.selected, inConn, inStamp, stamp, touchedIngress);
    }
    // Only for ingress-isolated destinations: the open ones admit everything.
    const ingress = (d: number) => t.union(this.baseIngress[d], inStamp[d] === stamp ? inConn[d] : ConnTable.EMPTY);
    const src = this.nodes[source];
    const entries = this.entries;
    entries.clear();

    if (src.kind !== 'pod' || this.selecting.egress[source].length === 0) {
      // Without the base, what the base gives every such source is left to the shared part (rowSplit).
      const base = this.baseIngressDestinations;
      if (withBase) for (let i = 0; i < base.length; i++) entries.set(base[i], ingress(base[i]));
      for (let i = 0; i < touchedIngress.size; i++) entries.set(touchedIngress.items[i], ingress(touchedIngress.items[i]));
      return { openConn: ConnTable.ALL, entries, unisolated: true };
    }
    const egConn = this.egressScratch;
    const egStamp = this.egressStamp;
    const touchedEgress = this.touchedEgress;
    touchedEgress.clear();
    const toAll: CompiledRule[] = [];
    const egressRules: CompiledRule[] = [];
    let egressWork = 0;
    const selecting = this.selecting.egress[source];
    for (let i = 0; i < selecting.length; i++) {
      const rules = this.policies[selecting[i]].rules.egress;
      for (let j = 0; j < rules.length; j++) {
        const r = rules[j];
        if (r.allPeers) toAll.push(r);
        else {
          egressRules.push(r);
          egressWork += r.peerNodes.length;
        }
      }
    }
    const isolatedIngress = (d: number) => this.selecting.ingress[d].length > 0;
    const emit = (d: number, e: number) => {
      const c = isolatedIngress(d) ? t.intersect(e, ingress(d)) : e;
      if (c !== ConnTable.EMPTY) entries.set(d, c);
    };
    if (toAll.length === 0) {
      // Only destinations both sides name can be allowed: walk the smaller side. Broad egress (a whole
      // namespace selector) against narrow ingress is common, and the other way round too.
      const ingressSide = this.openDestinations.length + this.baseIngressDestinations.length + touchedIngress.size;
      const walk = this.options.rowWalk ?? 'auto';
      if (walk === 'ingress' || (walk === 'auto' && ingressSide * Math.max(1, egressRules.length) * 4 < egressWork)) {
        const visit = (d: number) => {
          let e = ConnTable.EMPTY;
          for (let i = 0; i < egressRules.length; i++) if (sortedIncludes(egressRules[i].peerNodes, d)) e = t.union(e, this.connOf(egressRules[i], d));
          if (e !== ConnTable.EMPTY) emit(d, e);
        };
        const open = this.openDestinations;
        const base = this.baseIngressDestinations;
        for (let i = 0; i < open.length; i++) visit(open[i]);
        for (let i = 0; i < base.length; i++) if (inStamp[base[i]] !== stamp) visit(base[i]);
        for (let i = 0; i < touchedIngress.size; i++) visit(touchedIngress.items[i]);
        return { openConn: ConnTable.EMPTY, entries, unisolated: false };
      }
      for (let i = 0; i < egressRules.length; i++) this.accumulate(egressRules[i], egressRules[i].peerNodes, egConn, egStamp, stamp, touchedEgress);
      for (let i = 0; i < touchedEgress.size; i++) emit(touchedEgress.items[i], egConn[touchedEgress.items[i]]);
      return { openConn: ConnTable.EMPTY, entries, unisolated: false };
    }
    for (let i = 0; i < egressRules.length; i++) this.accumulate(egressRules[i], egressRules[i].peerNodes, egConn, egStamp, stamp, touchedEgress);
    if (toAll.some((r) => r.named)) {
      // Named ports resolve per destination: no shared part.
      for (let d = 0; d < count; d++) {
        let e = egStamp[d] === stamp ? egConn[d] : ConnTable.EMPTY;
        for (const r of toAll) e = t.union(e, this.connOf(r, d));
        emit(d, e);
      }
      return { openConn: ConnTable.EMPTY, entries, unisolated: false };
    }
    let openConn = ConnTable.EMPTY;
    for (const r of toAll) openConn = t.union(openConn, r.fixedConn);
    for (let d = 0; d < count; d++) {
      if (isolatedIngress(d)) emit(d, egStamp[d] === stamp ? t.union(egConn[d], openConn) : openConn);
    }
    for (let i = 0; i < touchedEgress.size; i++) {
      const d = touchedEgress.items[i];
      if (isolatedIngress(d)) continue;
      const c = t.union(egConn[d], openConn);
      if (c !== openConn) entries.set(d, c);
    }
    return { openConn, entries, unisolated: false };
  }

  /** Adds what a rule admits towards each destination to a scratch row, noting which entries this row touched. */
  private accumulate(r: CompiledRule, destinations: Int32Array, conn: Int32Array, stamps: Int32Array, stamp: number, touched: ClassList): void {
    // One path for a first and a repeated touch: a branch taken for the first time after V8 has optimised this
    // loop (a destination named twice, late in a listing) would cost the optimised code.
    const t = this.conns;
    for (let i = 0; i < destinations.length; i++) {
      const d = destinations[i];
      const seen = stamps[d] === stamp;
      if (!seen) touched.add(d);
      stamps[d] = stamp;
      conn[d] = t.union(seen ? conn[d] : ConnTable.EMPTY, this.connOf(r, d));
    }
  }

  /**
   * The connection set from one class to another, by the same rules as `row` but for one pair: the source's
   * egress rules that name the destination, intersected with the destination's ingress rules that name the source.
   */
  pair(source: number, destination: number): number {
    const t = this.conns;
    const src = this.nodes[source];
    const dst = this.nodes[destination];
    if (src.kind === 'external' && dst.kind === 'external') return ConnTable.EMPTY;
    const side = (subject: number, direction: Direction, other: number) => {
      if (this.nodes[subject].kind !== 'pod' || this.selecting[direction][subject].length === 0) return ConnTable.ALL;
      let c = ConnTable.EMPTY;
      for (const p of this.selecting[direction][subject]) {
        for (const r of this.policies[p].rules[direction]) if (r.allPeers || sortedIncludes(r.peerNodes, other)) c = t.union(c, this.connOf(r, destination));
      }
      return c;
    };
    const egress = side(source, 'egress', destination);
    return egress === ConnTable.EMPTY ? egress : t.intersect(egress, side(destination, 'ingress', source));
  }

  /** Compiles one policy; the classes it selects go to `selections` as (class, policy) pairs, per direction. */
  private compilePolicy(policy: NetworkPolicy, selections: Record<Direction, number[]>): void {
    const index = this.policies.length;
    const selected = this.podSelectorNodes(policy.namespace, policy.podSelector);
    const compiled: CompiledPolicy = { policy, selected, rules: { ingress: NO_RULES, egress: NO_RULES } };
    this.policies.push(compiled);
    for (let k = 0; k < DIRECTIONS.length; k++) {
      const direction = DIRECTIONS[k];
      if (!policy.policyTypes[direction]) continue; // rules of a direction not in policyTypes are ignored (N2)
      const pairs = selections[direction];
      for (let i = 0; i < selected.length; i++) pairs.push(selected[i], index);
      // Made by map, at their exact size: see listsByClass.
      compiled.rules[direction] = policy[direction].map((rule) => {
        const named = hasNamedPorts(rule.ports);
        const compiledRule: CompiledRule = {
          id: this.rules.length, policy: index, rule, direction,
          allPeers: rule.peers === null,
          peerNodes: rule.peers === null ? new Int32Array(0) : this.peerNodesOf(rule.peers, policy),
          fixedConn: named ? ConnTable.EMPTY : this.fixedConnOf(rule.ports),
          named,
          selected,
        };
        this.rules.push(compiledRule);
        return compiledRule;
      });
    }
  }

  /** The connection set of a port list without names, once per list (copies of a policy share theirs). */
  private fixedConnOf(ports: readonly PolicyPort[] | null): number {
    if (ports === null) return ConnTable.ALL;
    let id = this.fixedConnMemo.get(ports);
    if (id === undefined) this.fixedConnMemo.set(ports, (id = this.conns.intern(connOfPorts(ports, null))));
    return id;
  }

  private peerNodesOf(peers: Peer[], policy: NetworkPolicy): Int32Array {
    if (peers.length === 0) return new Int32Array(0);
    // Peers that say which namespaces (or addresses) they mean read the same in every copy of a policy, and
    // copies share their normalised peer list: one lookup instead of a key text per peer and a merge per rule.
    const anyNamespace = peers.every((p) => p.ipBlock || p.namespaceSelector);
    const cached = anyNamespace ? this.peerListCache.get(peers) : undefined;
    if (cached) return cached;
    let nodes = this.nodesOfPeer(peers[0], policy);
    for (let i = 1; i < peers.length; i++) nodes = mergeSorted(nodes, this.nodesOfPeer(peers[i], policy));
    if (anyNamespace) this.peerListCache.set(peers, nodes);
    return nodes;
  }

  /** Classes one peer matches, cached by what the peer means: copies of a policy across namespaces share it. */
  nodesOfPeer(peer: Peer, policy: NetworkPolicy): Int32Array {
    const { ipBlock, namespaceSelector } = peer;
    const podSelector = peer.podSelector ?? EMPTY_SELECTOR;
    if (ipBlock) {
      return this.cachedPeer(`ip\u0000${ipBlock.cidr}\u0000${ipBlock.except.join(',')}`, (nodes) => {
        for (const a of this.space.atomsOf(ipBlock)) for (const n of this.nodesByAtom.get(a) ?? []) nodes.add(n);
      });
    }
    if (namespaceSelector) {
      return this.cachedPeer(`${selectorKey(namespaceSelector)}\u0000${peer.podSelector ? selectorKey(peer.podSelector) : ''}`, (nodes) => {
        const namespaces = this.namespacesMatching(namespaceSelector);
        for (let i = 0; i < namespaces.length; i++) {
          const selected = this.podSelectorNodes(namespaces[i], podSelector);
          for (let j = 0; j < selected.length; j++) nodes.add(selected[j]);
        }
      });
    }
    // The policy's own namespace: its selection, already cached by selector and namespace.
    return this.podSelectorNodes(policy.namespace, podSelector);
  }

  private cachedPeer(key: string, collect: (nodes: Set<number>) => void): Int32Array {
    let cached = this.peerCache.get(key);
    if (!cached) {
      const nodes = new Set<number>();
      collect(nodes);
      cached = Int32Array.from([...nodes].sort((a, b) => a - b));
      this.peerCache.set(key, cached);
    }
    return cached;
  }

  namespacesMatching(selector: NonNullable<Peer['namespaceSelector']>): string[] {
    const key = selectorKey(selector);
    let names = this.nsSelectorCache.get(key);
    if (!names) {
      this.namespaceIndex ??= new LabelIndex([...this.model.namespaces.values()], (ns) => ns.labels);
      names = this.namespaceIndex.matching(selector).map((ns) => ns.name);
      this.nsSelectorCache.set(key, names);
    }
    return names;
  }

  /** Pod classes of a namespace that a selector matches, ascending; shared by every policy that asks the same. */
  private podSelectorNodes(namespace: string, selector: NetworkPolicy['podSelector']): Int32Array {
    const key = selectorKey(selector);
    let byNamespace = this.podSelectorCache.get(key);
    if (!byNamespace) this.podSelectorCache.set(key, (byNamespace = new Map()));
    let nodes = byNamespace.get(namespace);
    if (!nodes) {
      // Matches marked, then copied at their count: no intermediate array per (selector, namespace).
      const candidates = this.podNodesByNamespace.get(namespace) ?? NO_CLASSES;
      const matches = this.matchScratch;
      let n = 0;
      for (let i = 0; i < candidates.length; i++) if (selectorMatches(selector, this.nodes[candidates[i]].labels)) matches[n++] = candidates[i];
      nodes = matches.slice(0, n);
      byNamespace.set(namespace, nodes);
    }
    return nodes;
  }

  /** External classes: atoms grouped by which ipBlocks contain them, per address family. */
  private addExternalNodes(blocks: IpBlock[]): void {
    const signatures: string[][] = Array.from({ length: this.space.size }, () => []);
    blocks.forEach((b, i) => {
      for (const a of this.space.atomsOf(b)) signatures[a].push(String(i));
    });
    const groups = new Map<string, number[]>();
    for (let a = 0; a < this.space.size; a++) push(groups, `${this.space.familyOf(a)}:${signatures[a].join(',')}`, a);
    const used = new Set<string>();
    for (const atoms of groups.values()) {
      const cidrs = this.space.cidrsOf(atoms);
      let id = addressSetName(this.space.familyOf(atoms[0]), cidrs);
      for (let n = 2; used.has(id); n++) id = `${addressSetName(this.space.familyOf(atoms[0]), cidrs)} #${n}`;
      used.add(id);
      const node = this.nodes.length;
      // The fields of a pod class, in its order: rows read both kinds in the same loops (see matrixEndpoints).
      this.nodes.push({ id: node, kind: 'external', namespace: undefined, labels: {}, ports: [], atoms });
      this.externals.push({ id, cidrs, node });
    }
    this.externals.sort((a, b) => (a.node === b.node ? 0 : this.space.familyOf(this.nodes[a.node].atoms[0]) - this.space.familyOf(this.nodes[b.node].atoms[0]) || this.nodes[a.node].atoms[0] - this.nodes[b.node].atoms[0]));
  }
}

/** A part of rows that many sources share: the connection set id per destination class, EMPTY outside it. */
export interface SharedRow {
  conns: Int32Array;
}

/** A row as `rowSplit` returns it: `destinations`/`conns` (never EMPTY) take precedence over the shared part. */
export interface RowSplit {
  shared: SharedRow | undefined;
  destinations: Int32Array;
  conns: Int32Array;
}

/** A row as `rowParts` returns it: entries are never EMPTY and take precedence over the open part. */
export interface RowParts {
  openConn: number;
  destinations: Int32Array;
  conns: Int32Array;
}

/** One row of the matrix over classes: destinations ascending, each with its connection set id (never EMPTY). */
export class Row {
  constructor(readonly destinations: Int32Array, readonly conns: Int32Array) {}

  get size(): number {
    return this.destinations.length;
  }

  /** The connection set id towards a destination class, EMPTY when nothing is allowed. */
  get(destination: number): number {
    const i = sortedIndexOf(this.destinations, destination);
    return i < 0 ? ConnTable.EMPTY : this.conns[i];
  }
}

/**
 * The entries of the row being computed, dense by destination class with a stamp per entry, so that a row costs
 * what it touches rather than a Map insertion per destination. Reused from row to row; `sorted` copies out.
 */
class RowEntries {
  private readonly conn: Int32Array;
  private readonly stamps: Int32Array;
  private readonly touched: ClassList;
  private stamp = 0;

  constructor(size: number) {
    this.conn = new Int32Array(size);
    this.stamps = new Int32Array(size);
    this.touched = new ClassList(size);
  }

  clear(): void {
    this.stamp++;
    this.touched.clear();
  }

  has(d: number): boolean {
    return this.stamps[d] === this.stamp;
  }

  set(d: number, conn: number): void {
    if (this.stamps[d] !== this.stamp) {
      this.stamps[d] = this.stamp;
      this.touched.add(d);
    }
    this.conn[d] = conn;
  }

  /** The non-EMPTY entries, ascending by destination. */
  sorted(): { destinations: Int32Array; conns: Int32Array } {
    const all = this.touched.items.slice(0, this.touched.size);
    // Rows are mostly gathered in order already (a whole namespace, every open destination): a check in one pass
    // is cheaper than sorting them (about 0.1 s of the 25-million-pair dense listing).
    let ascending = true;
    for (let i = 1; i < all.length && ascending; i++) ascending = all[i - 1] < all[i];
    if (!ascending) all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i++) if (this.conn[all[i]] !== ConnTable.EMPTY) all[n++] = all[i];
    // Entries are rarely EMPTY, and a view costs more to make than the copy it saves.
    const destinations = n === all.length ? all : all.slice(0, n);
    const conns = new Int32Array(n);
    for (let i = 0; i < n; i++) conns[i] = this.conn[destinations[i]];
    return { destinations, conns };
  }
}

/**
 * Class numbers gathered for one row, each at most once (stamps decide), reused from row to row: emptied by its
 * size, where an array emptied with `length = 0` would give up its storage and grow it again for every row.
 */
class ClassList {
  readonly items: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
  }

  add(n: number): void {
    this.items[this.size++] = n;
  }

  clear(): void {
    this.size = 0;
  }
}

/**
 * Ingress rules with one peer list and one port list (copies of a policy across namespaces share both, as the
 * normalised spec and the peer cache give them) as one rule over all their destinations: what a source may reach
 * through them is the same per destination whichever copy selects it. Rows read them per source: merged, the
 * medium benchmark's index holds 5,550 rules instead of 112,800 (up to 150 per source instead of 8,400).
 */
function destinationsMerged(same: CompiledRule[]): CompiledRule {
  const first = same[0];
  const all: number[] = [];
  for (let i = 0; i < same.length; i++) {
    const { selected } = same[i];
    for (let j = 0; j < selected.length; j++) all.push(selected[j]);
  }
  const sorted = Int32Array.from(all).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (n === 0 || sorted[n - 1] !== sorted[i]) sorted[n++] = sorted[i];
  return {
    id: first.id, policy: first.policy, rule: first.rule, direction: first.direction, allPeers: first.allPeers,
    peerNodes: first.peerNodes, fixedConn: first.fixedConn, named: first.named, selected: sorted.subarray(0, n),
  };
}

/** The union of two ascending lists, ascending and without repeats (either list may be returned as is). */
function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (n === 0 || out[n - 1] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}

function sortedIncludes(list: Int32Array, x: number): boolean {
  return sortedIndexOf(list, x) >= 0;
}

function sortedIndexOf(list: Int32Array, x: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === x) return mid;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** An empty list of classes (or of policies per class); shared, never added to. */
const NO_CLASSES: number[] = [];

/** Rules of a direction a policy does not cover; shared, never added to. */
const NO_RULES: CompiledRule[] = [];

/**
 * Per class, the second numbers of the (class, value) pairs in `pairs`, in their order. Each list is sliced from
 * one array at its exact size: lists filled by push get room for 17 elements at the first, and the engine keeps
 * two per class (a few entries each), which made them the larger part of what it holds.
 */
function listsByClass(count: number, pairs: number[]): number[][] {
  const start = new Int32Array(count + 1);
  for (let i = 0; i < pairs.length; i += 2) start[pairs[i] + 1]++;
  for (let n = 0; n < count; n++) start[n + 1] += start[n];
  const values = pairs.slice(0, pairs.length / 2); // a packed array of the right size, overwritten below
  const fill = start.slice(0, count);
  for (let i = 0; i < pairs.length; i += 2) values[fill[pairs[i]]++] = pairs[i + 1];
  const lists: number[][] = [];
  // Classes without pairs (most, for egress, in a cluster with few egress policies) share one empty list.
  for (let n = 0; n < count; n++) lists.push(start[n] === start[n + 1] ? NO_CLASSES : values.slice(start[n], start[n + 1]));
  return lists;
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
