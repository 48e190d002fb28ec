import { LineIndex } from './line-index.js';
import type { JsonPath } from './types.js';

/**
 * Finds the text range of a JSON path in JSON text without building a document: it skips over what the path
 * does not enter. Offsets of array elements are indexed once per array, so thousands of lookups into one big
 * `kind: List` stay cheap (the YAML parser would rebuild the whole file as nodes).
 */
export class JsonLocator {
  private readonly elements = new Map<number, number[]>();
  private readonly members = new Map<number, (string | number)[]>();
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  /**
   * [start, end) of the deepest existing node on `prefix` then `path` (two arrays, so that callers need not join
   * an object's place in its file with the path inside it), or undefined when the text is not JSON.
   */
  range(prefix: JsonPath, path: JsonPath = []): [number, number] | undefined {
    let pos = this.skipSpace(0);
    let found = true;
    for (let i = 0; found && i < prefix.length + path.length; i++) {
      const segment = i < prefix.length ? prefix[i] : path[i - prefix.length];
      const next = typeof segment === 'number' ? this.element(pos, segment) : this.member(pos, segment);
      if (next === undefined) found = false;
      else pos = next;
    }
    const end = this.skipValue(pos);
    return end === undefined ? undefined : [pos, end];
  }

  lineColumn(offset: number): { line: number; col: number } {
    return this.lines.lineColumn(offset);
  }

  private element(pos: number, index: number): number | undefined {
    if (this.text[pos] !== '[') return undefined;
    let offsets = this.elements.get(pos);
    if (!offsets) {
      offsets = [];
      let p = this.skipSpace(pos + 1);
      while (p < this.text.length && this.text[p] !== ']') {
        offsets.push(p);
        const end = this.skipValue(p);
        if (end === undefined) break;
        p = this.skipSpace(end);
        if (this.text[p] === ',') p = this.skipSpace(p + 1);
      }
      this.elements.set(pos, offsets);
    }
    return offsets[index];
  }

  /**
   * Where the value of `key` starts in the object at `pos`. Every member is indexed on the first look, as flat
   * [key, offset] pairs: Kubernetes objects have a handful of members, and a search from the end lets the last
   * duplicate win, as in JSON.parse.
   */
  private member(pos: number, key: string): number | undefined {
    if (this.text.charCodeAt(pos) !== 123 /* { */) return undefined;
    let members = this.members.get(pos);
    if (!members) {
      members = [];
      let p = this.skipSpace(pos + 1);
      while (this.text.charCodeAt(p) === 34 /* " */) {
        const keyEnd = this.skipString(p);
        const raw = this.text.slice(p + 1, keyEnd - 1);
        const name = raw.includes('\\') ? (JSON.parse(this.text.slice(p, keyEnd)) as string) : raw;
        p = this.skipSpace(keyEnd);
        if (this.text.charCodeAt(p) !== 58 /* : */) break;
        const value = this.skipSpace(p + 1);
        members.push(name, value);
        const end = this.skipValue(value);
        if (end === undefined) break;
        p = this.skipSpace(end);
        if (this.text.charCodeAt(p) === 44 /* , */) p = this.skipSpace(p + 1);
      }
      this.members.set(pos, members);
    }
    for (let i = members.length - 2; i >= 0; i -= 2) if (members[i] === key) return members[i + 1] as number;
    return undefined;
  }

  private skipSpace(p: number): number {
    for (;;) {
      const c = this.text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13 || c === 10) p++;
      else return p;
    }
  }

  private skipString(p: number): number {
    for (let i = p + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) return i + 1;
    }
    return this.text.length;
  }

  /** End offset (exclusive) of the value at p. */
  private skipValue(p: number): number | undefined {
    const c = this.text[p];
    if (c === '"') return this.skipString(p);
    if (c === '{' || c === '[') {
      let depth = 0;
      for (let i = p; i < this.text.length; i++) {
        const ch = this.text.charCodeAt(i);
        if (ch === 34) i = this.skipString(i) - 1;
        else if (ch === 123 || ch === 91) depth++;
        else if (ch === 125 || ch === 93) {
          depth--;
          if (depth === 0) return i + 1;
        }
      }
      return undefined;
    }
    let i = p;
    while (i < this.text.length && !',}] \t\r\n'.includes(this.text[i])) i++;
    return i > p ? i : undefined;
  }
}
