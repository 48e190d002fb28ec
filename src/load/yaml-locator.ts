import yaml from 'js-yaml';
import { LineIndex } from './line-index.js';
import type { JsonPath } from './types.js';

/**
 * Finds where a JSON path lies in one YAML document, from js-yaml's composition events: the same parser as the
 * loader (so the same reading of the text), at its speed, which is many times that of a full concrete syntax
 * tree. Nodes are numbered in the order they open; a mapping's children come as key, value, key, value...; a
 * sequence's as its items. Flat arrays rather than an object per node: a List dump has millions of nodes.
 */
export class YamlLocator {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per node: 0 a scalar, 1 a sequence, 2 a mapping. Composed values are not kept: they would pin whole trees. */
  private readonly kinds: number[] = [];
  /** Per node: the scalar's text, for matching mapping keys; undefined for collections. */
  private readonly scalars: (string | undefined)[] = [];
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly lines: LineIndex;
  private readonly items = new Map<number, number[]>();

  /**
   * `schema` FAILSAFE reads every scalar as text, which skips the resolution of numbers, booleans and timestamps
   * that positions never need; keys written as plain text (all of Kubernetes) read the same either way.
   */
  constructor(private readonly text: string, schema: yaml.Schema = yaml.DEFAULT_SCHEMA) {
    this.lines = new LineIndex(text);
    const { starts, ends, kinds, scalars } = this;
    const parents: number[] = [];
    const open: number[] = [];
    yaml.load(text, {
      schema,
      listener(event, state) {
        if (event === 'open') {
          open.push(starts.length);
          parents.push(open.length > 1 ? open[open.length - 2] : -1);
          starts.push(state.position);
          ends.push(state.position);
          kinds.push(0);
          scalars.push(undefined);
        } else {
          const id = open.pop()!;
          const value = state.result;
          ends[id] = state.position;
          if (Array.isArray(value)) kinds[id] = 1;
          else if (value !== null && typeof value === 'object') kinds[id] = 2;
          else scalars[id] = String(value);
        }
      },
    });
    this.firstChild = new Int32Array(starts.length).fill(-1);
    this.nextSibling = new Int32Array(starts.length).fill(-1);
    for (let i = starts.length - 1; i > 0; i--) {
      const p = parents[i];
      if (p < 0) continue;
      this.nextSibling[i] = this.firstChild[p];
      this.firstChild[p] = i;
    }
  }

  /**
   * The range of the deepest node on the path that exists (a missing field is reported at its parent); with
   * `key`, of the mapping key that the path ends at, for messages about the key itself.
   */
  range(path: JsonPath, key = false): [number, number] | undefined {
    if (this.starts.length === 0) return undefined;
    let node = this.unwrap(0);
    for (const [i, segment] of path.entries()) {
      const next = this.child(node, segment, key && i === path.length - 1);
      if (next < 0) break;
      node = this.unwrap(next);
    }
    const start = skipSpace(this.text, this.starts[node]);
    return [start, Math.max(start, trimEnd(this.text, this.ends[node]))];
  }

  /**
   * The parser composes an item of a block sequence twice, as a node holding the real one over the same text
   * (`- {port: 80}`); the real one has the children.
   */
  private unwrap(node: number): number {
    for (;;) {
      const only = this.firstChild[node];
      if (only < 0 || this.nextSibling[only] >= 0 || this.starts[only] !== this.starts[node] || this.ends[only] !== this.ends[node]) return node;
      node = only;
    }
  }

  private child(node: number, segment: string | number, key = false): number {
    const kind = this.kinds[node];
    if (kind === 1) {
      if (typeof segment !== 'number') return -1;
      let items = this.items.get(node);
      if (!items) {
        items = [];
        for (let c = this.firstChild[node]; c >= 0; c = this.nextSibling[c]) items.push(c);
        this.items.set(node, items);
      }
      return items[segment] ?? -1;
    }
    if (kind !== 2 || typeof segment === 'number') return -1;
    // The last occurrence of a key wins, as when the document is loaded.
    let found = -1;
    for (let k = this.firstChild[node]; k >= 0; ) {
      const v = this.nextSibling[k];
      if (v < 0) break;
      if (this.scalars[k] === segment) found = key ? k : v;
      k = this.nextSibling[v];
    }
    return found;
  }

  lineColumn(offset: number): { line: number; col: number } {
    return this.lines.lineColumn(offset);
  }
}

/** Composition starts before the separating spaces, line breaks and comments; a node starts after them. */
function skipSpace(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
    else if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', pos);
      pos = eol < 0 ? text.length : eol + 1;
    } else break;
  }
  return pos;
}

/** Composition ends after the line break that closes a block node; the node ends before it. */
function trimEnd(text: string, pos: number): number {
  while (pos > 0) {
    const c = text.charCodeAt(pos - 1);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos--;
    else break;
  }
  return pos;
}
