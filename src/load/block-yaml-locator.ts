import { LineIndex, type Span } from './line-index.js';
import type { JsonPath } from './types.js';

/**
 * A block mapping (keys at column `col`, the first on line `line` at offset `first`, which follows the dash of a
 * sequence item when the mapping is one), a block sequence (dashes at `col`), or a value on one line.
 */
type Node =
  | { kind: 'map'; line: number; col: number; first: number }
  | { kind: 'seq'; line: number; col: number }
  | { kind: 'inline'; start: number; end: number }
  | FlowNode;

/** A flow collection written on one line (`{app: web}`, `[Ingress]`), read whole. */
type FlowNode =
  | { kind: 'flow-map'; start: number; end: number; entries: [string, FlowNode | Scalar][] }
  | { kind: 'flow-seq'; start: number; end: number; items: (FlowNode | Scalar)[] };
type Scalar = { kind: 'inline'; start: number; end: number };

/** The parts of a `key: value` line: the key's text and where the value starts, if on the same line. */
interface KeyLine {
  key: string;
  /** Offset of the value on the key's line, or -1 when the value is on the lines below (or empty). */
  value: number;
}

/** What the fast reading cannot answer: the caller asks the YAML parser instead. */
const UNSURE = undefined;
/** A segment that the node does not have: the answer is the node itself, as the parser-based locator gives. */
const ABSENT = null;

/**
 * Finds where a JSON path lies in a block-style YAML document from the indentation of its lines alone, without
 * parsing it: Kubernetes manifests are written that way, and a lint of a big folder asks for tens of thousands of
 * positions. Content off the path is skipped by indentation, which YAML requires of everything inside a block
 * node. Anything on the path that it does not read fully (flow collections, quoted or merged keys, anchors,
 * aliases, tags, block scalars, values over several lines, empty values) makes it answer undefined, and the
 * caller falls back to the parser. Where it answers, it gives the same range as YamlLocator (a test holds it
 * to that on every node of the fixtures and examples).
 */
export class BlockYamlLocator {
  private readonly lines: LineIndex;
  private readonly lineStarts: number[];
  /** Tabs and carriage returns change what indentation means; such documents go to the parser. */
  private readonly readable: boolean;
  /**
   * Per line, its indentation, negated minus one when the line is blank or only a comment. Read once: a walk
   * asks for the indentation of the same lines again and again, and counting spaces took most of a lint's time
   * on a folder of YAML.
   */
  private indents?: Int32Array;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
    this.lineStarts = this.lines.lineStarts;
    this.readable = !text.includes('\t') && !text.includes('\r');
  }

  lineColumn(offset: number): { line: number; col: number } {
    return this.lines.lineColumn(offset);
  }

  span(range: [number, number], firstLine: number): Span {
    return this.lines.span(range[0], range[1], firstLine);
  }

  range(path: JsonPath): [number, number] | undefined {
    if (!this.readable) return UNSURE;
    const rootLine = this.nextContentLine(0);
    if (rootLine < 0) return UNSURE;
    let node = this.nodeAt(rootLine, this.indent(rootLine), -1);
    if (!node) return UNSURE;
    for (const segment of path) {
      const next = this.child(node, segment);
      if (next === UNSURE) return UNSURE;
      if (next === ABSENT) break;
      node = next;
    }
    return this.extent(node);
  }

  /** The node that starts at offset `at` of `line`, whose parent's entries are at column `parentCol`. */
  private nodeAt(line: number, at: number, parentCol: number): Node | undefined {
    const start = this.lineStarts[line] + at;
    const c = this.text.charCodeAt(start);
    if (c === 45 /* - */ && this.isSpaceOrEnd(start + 1)) return at === this.indent(line) ? { kind: 'seq', line, col: at } : UNSURE;
    const key = this.keyLine(start, this.lineEnd(line));
    if (key === ABSENT) return this.inline(start, line, parentCol);
    if (key === UNSURE) return UNSURE;
    return { kind: 'map', line, col: at, first: start };
  }

  /** A scalar that ends on its own line; quoted and plain scalars only. */
  private inline(start: number, line: number, parentCol: number): Node | undefined {
    const end = this.lineEnd(line);
    const c = this.text.charCodeAt(start);
    let valueEnd: number;
    let flow: FlowNode | undefined;
    if (c === 34 /* " */ || c === 39 /* ' */) {
      valueEnd = quotedEnd(this.text, start, end);
      if (valueEnd < 0 || !this.onlyCommentAfter(valueEnd, end)) return UNSURE;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const read = new FlowReader(this.text, end).value(start);
      if (!read || read.kind === 'inline' || !this.onlyCommentAfter(read.end, end)) return UNSURE;
      flow = read;
      valueEnd = read.end;
    } else {
      if ('&*!|>{[%@`#?,]}'.includes(this.text[start])) return UNSURE;
      valueEnd = this.plainEnd(start, end);
    }
    // A plain or quoted scalar may go on over more indented lines.
    const next = this.nextContentLine(line + 1);
    if (next >= 0 && this.indent(next) > parentCol) return UNSURE;
    return flow ?? { kind: 'inline', start, end: valueEnd };
  }

  private child(node: Node, segment: string | number): Node | null | undefined {
    if (node.kind === 'map') return typeof segment === 'string' ? this.member(node, segment) : ABSENT;
    if (node.kind === 'seq') return typeof segment === 'number' ? this.item(node, segment) : ABSENT;
    if (node.kind === 'flow-map' && typeof segment === 'string') {
      let found: Node | null = ABSENT;
      for (const [key, value] of node.entries) if (key === segment) found = value;
      return found;
    }
    if (node.kind === 'flow-seq' && typeof segment === 'number') return node.items[segment] ?? ABSENT;
    return ABSENT;
  }

  /** The value of `key`; the last of duplicate keys wins, as when the document is loaded. */
  private member(map: Extract<Node, { kind: 'map' }>, key: string): Node | null | undefined {
    const last = this.lastLine(map.line, map.col, false);
    let found: { line: number; value: number } | undefined;
    for (let line = map.line; line <= last; line = this.nextContentLine(line + 1)) {
      if (line < 0) break;
      const start = line === map.line ? map.first : this.lineStarts[line] + map.col;
      if (line !== map.line) {
        const indent = this.indent(line);
        if (indent > map.col) continue;
        // A sequence at the keys' own column is the value of the key above it.
        if (this.isDash(start)) continue;
      }
      const k = this.keyLine(start, this.lineEnd(line));
      if (!k) return UNSURE;
      if (k.key === key) found = { line, value: k.value };
    }
    if (!found) return ABSENT;
    if (found.value >= 0) return this.nodeAt(found.line, found.value - this.lineStarts[found.line], map.col);
    return this.below(found.line, map.col, true);
  }

  /** Item `index` of a sequence. */
  private item(seq: Extract<Node, { kind: 'seq' }>, index: number): Node | null | undefined {
    const last = this.lastLine(seq.line, seq.col, true);
    let n = 0;
    for (let line = seq.line; line >= 0 && line <= last; line = this.nextContentLine(line + 1)) {
      if (this.indent(line) !== seq.col) continue;
      if (n++ < index) continue;
      const dash = this.lineStarts[line] + seq.col;
      let at = dash + 1;
      while (this.text.charCodeAt(at) === 32) at++;
      if (at >= this.lineEnd(line) || this.text.charCodeAt(at) === 35 /* # */) return this.below(line, seq.col, false);
      // `- - x`: a sequence inside an item, on the same line.
      if (this.isDash(at)) return UNSURE;
      return this.nodeAt(line, at - this.lineStarts[line], seq.col);
    }
    return ABSENT;
  }

  /** A value that starts on the lines after its key or dash, at column `col`; a sequence may share a key's column. */
  private below(line: number, col: number, sharesColumn: boolean): Node | undefined {
    const next = this.nextContentLine(line + 1);
    if (next < 0) return UNSURE;
    const indent = this.indent(next);
    if (indent > col) return this.nodeAt(next, indent, col);
    if (sharesColumn && indent === col && this.isDash(this.lineStarts[next] + indent)) return { kind: 'seq', line: next, col };
    return UNSURE; // an empty value
  }

  private extent(node: Node): [number, number] {
    if (node.kind !== 'map' && node.kind !== 'seq') return [node.start, node.end];
    const start = node.kind === 'map' ? node.first : this.lineStarts[node.line] + node.col;
    const last = this.lastLine(node.line, node.col, node.kind === 'seq');
    const after = this.nextContentLine(last + 1);
    // The parser closes a block node where the next one starts, so comments in between belong to it.
    return [start, trimEnd(this.text, after < 0 ? this.text.length : this.lineStarts[after])];
  }

  /**
   * The last content line of the block node whose entries are at `col` and start on `line`. A mapping goes on
   * while lines are indented at least as much as its keys; a sequence at a key's column ends at the next key.
   */
  private lastLine(line: number, col: number, isSeq: boolean): number {
    let last = line;
    for (let l = this.nextContentLine(line + 1); l >= 0; l = this.nextContentLine(l + 1)) {
      const indent = this.indent(l);
      if (indent < col) break;
      if (isSeq && indent === col && !this.isDash(this.lineStarts[l] + col)) break;
      last = l;
    }
    return last;
  }

  /**
   * Reads `key:` at `start`: undefined when the line holds something this reader does not follow (a quoted,
   * complex or merge key), null when it is no key at all (a scalar).
   */
  private keyLine(start: number, end: number): KeyLine | null | undefined {
    const c = this.text[start];
    if (c === '"' || c === "'" || c === '?' || c === '&' || c === '!' || c === '*') return UNSURE;
    if ('{[|>%@`#,]}'.includes(c)) return ABSENT;
    let colon = -1;
    for (let i = start; i < end; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 58 /* : */ && (i + 1 === end || this.text.charCodeAt(i + 1) === 32)) {
        colon = i;
        break;
      }
      if (ch === 35 /* # */ && this.text.charCodeAt(i - 1) === 32) break;
    }
    if (colon < 0) return ABSENT;
    const key = this.text.slice(start, colon).trimEnd();
    if (key === '<<') return UNSURE;
    let value = colon + 1;
    while (value < end && this.text.charCodeAt(value) === 32) value++;
    if (value >= end || this.text.charCodeAt(value) === 35 /* # */) value = -1;
    return { key, value };
  }

  /** Where a plain scalar ends: before a comment or the end of the line, without trailing spaces. */
  private plainEnd(start: number, end: number): number {
    let stop = end;
    for (let i = start + 1; i < end; i++) {
      if (this.text.charCodeAt(i) === 35 /* # */ && this.text.charCodeAt(i - 1) === 32) {
        stop = i;
        break;
      }
    }
    while (stop > start && this.text.charCodeAt(stop - 1) === 32) stop--;
    return stop;
  }

  private onlyCommentAfter(pos: number, end: number): boolean {
    let i = pos;
    while (i < end && this.text.charCodeAt(i) === 32) i++;
    return i === end || (i > pos && this.text.charCodeAt(i) === 35);
  }

  private isDash(pos: number): boolean {
    return this.text.charCodeAt(pos) === 45 && this.isSpaceOrEnd(pos + 1);
  }

  private isSpaceOrEnd(pos: number): boolean {
    const c = this.text.charCodeAt(pos);
    return c === 32 || c === 10 || Number.isNaN(c);
  }

  /** The first line at or after `line` that holds content (not blank, not only a comment), or -1. */
  private nextContentLine(line: number): number {
    const indents = this.indents ?? this.readIndents();
    for (let l = line; l < indents.length; l++) if (indents[l] >= 0) return l;
    return -1;
  }

  private indent(line: number): number {
    const indent = (this.indents ?? this.readIndents())[line];
    return indent >= 0 ? indent : -indent - 1;
  }

  private readIndents(): Int32Array {
    const indents = new Int32Array(this.lineStarts.length);
    for (let l = 0; l < indents.length; l++) {
      const start = this.lineStarts[l];
      const end = this.lineEnd(l);
      let i = start;
      while (i < end && this.text.charCodeAt(i) === 32) i++;
      indents[l] = i < end && this.text.charCodeAt(i) !== 35 /* # */ ? i - start : -(i - start) - 1;
    }
    this.indents = indents;
    return indents;
  }

  private lineEnd(line: number): number {
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
  }
}

/** End (after the closing quote) of the quoted scalar at `start` when it closes before `limit`, or -1. */
function quotedEnd(text: string, start: number, limit: number): number {
  const quote = text.charCodeAt(start);
  for (let i = start + 1; i < limit; i++) {
    const ch = text.charCodeAt(i);
    if (quote === 34 /* " */ && ch === 92 /* \ */) i++;
    else if (ch === quote) {
      if (quote === 39 /* ' */ && text.charCodeAt(i + 1) === 39) i++; // '' inside single quotes
      else return i + 1;
    }
  }
  return -1;
}

function trimEnd(text: string, pos: number): number {
  while (pos > 0) {
    const c = text.charCodeAt(pos - 1);
    if (c === 0x20 || c === 0x0a) pos--;
    else break;
  }
  return pos;
}

/**
 * Reads a flow collection that closes before `limit` (the end of its line): plain and quoted scalars, nested
 * collections. Undefined for anything else (anchors, tags, explicit or quoted keys, a pair inside a sequence).
 */
class FlowReader {
  constructor(private readonly text: string, private readonly limit: number) {}

  value(pos: number): FlowNode | Scalar | undefined {
    const c = this.text.charCodeAt(pos);
    if (c === 123 /* { */) return this.map(pos);
    if (c === 91 /* [ */) return this.seq(pos);
    if (c === 34 || c === 39) return this.quoted(pos);
    return this.plain(pos);
  }

  private map(start: number): FlowNode | undefined {
    const entries: [string, FlowNode | Scalar][] = [];
    let pos = this.space(start + 1);
    while (this.text.charCodeAt(pos) !== 125 /* } */) {
      const key = this.plain(pos);
      if (!key) return undefined;
      pos = this.space(key.end);
      if (this.text.charCodeAt(pos) !== 58 /* : */) return undefined;
      const value = this.value(this.space(pos + 1));
      if (!value) return undefined;
      entries.push([this.text.slice(key.start, key.end), value]);
      pos = this.afterEntry(value.end, 125);
      if (pos < 0) return undefined;
    }
    return { kind: 'flow-map', start, end: pos + 1, entries };
  }

  private seq(start: number): FlowNode | undefined {
    const items: (FlowNode | Scalar)[] = [];
    let pos = this.space(start + 1);
    while (this.text.charCodeAt(pos) !== 93 /* ] */) {
      const item = this.value(pos);
      if (!item) return undefined;
      items.push(item);
      pos = this.afterEntry(item.end, 93);
      if (pos < 0) return undefined;
    }
    return { kind: 'flow-seq', start, end: pos + 1, items };
  }

  /** After an entry: the closing bracket, or the start of the next entry; -1 for anything else. */
  private afterEntry(end: number, close: number): number {
    const pos = this.space(end);
    const c = this.text.charCodeAt(pos);
    if (c === close) return pos;
    if (c !== 44 /* , */) return -1;
    const next = this.space(pos + 1);
    return next < this.limit ? next : -1;
  }

  private quoted(start: number): Scalar | undefined {
    const end = quotedEnd(this.text, start, this.limit);
    return end < 0 ? undefined : { kind: 'inline', start, end };
  }

  /** A plain scalar inside a flow collection: it stops at `,`, brackets and `: `. */
  private plain(start: number): Scalar | undefined {
    if (start >= this.limit || '&*!|>%@`#?,[]{}\'"'.includes(this.text[start])) return undefined;
    let end = start;
    for (let i = start; i < this.limit; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125) break;
      if (ch === 58 /* : */ && ' ,[]{}'.includes(this.text[i + 1] ?? ' ')) break;
      if (ch === 35 /* # */ && this.text.charCodeAt(i - 1) === 32) return undefined;
      if (ch !== 32) end = i + 1;
    }
    return end > start ? { kind: 'inline', start, end } : undefined;
  }

  private space(pos: number): number {
    while (pos < this.limit && this.text.charCodeAt(pos) === 32) pos++;
    return pos;
  }
}
