import { LineIndex, type Span } from './line-index.js';
import type { JsonPath } from './types.js';

/**
 * Finds the text range of a JSON path in JSON text without building a document. One pass over the text pairs
 * every `{` and `[` with its closing bracket (ContainerIndex), so skipping a value that the path does not enter
 * is a lookup rather than a rescan: tens of thousands of findings in one big `kind: List` each cost a few jumps,
 * not a walk over everything before them at every level of their path.
 */
export class JsonLocator {
  private readonly elements = new Map<number, number[]>();
  private readonly lines: LineIndex;
  private containers?: ContainerIndex;

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

  span(range: [number, number], firstLine: number): Span {
    return this.lines.span(range[0], range[1], firstLine);
  }

  /**
   * Where element `index` of the array at `pos` starts. Near the front it is walked to; further in, the array's
   * element offsets are indexed once, so that thousands of lookups into the items of one List stay cheap.
   */
  private element(pos: number, index: number): number | undefined {
    if (this.text.charCodeAt(pos) !== 91 /* [ */) return undefined;
    if (index < WALKED_ELEMENTS) {
      let p: number | undefined = this.skipSpace(pos + 1);
      for (let i = 0; p !== undefined && p < this.text.length && this.text.charCodeAt(p) !== 93 /* ] */; i++) {
        if (i === index) return p;
        p = this.next(p);
      }
      return undefined;
    }
    let offsets = this.elements.get(pos);
    if (!offsets) {
      offsets = [];
      for (let p: number | undefined = this.skipSpace(pos + 1); p !== undefined && p < this.text.length && this.text.charCodeAt(p) !== 93 /* ] */; p = this.next(p)) {
        offsets.push(p);
      }
      this.elements.set(pos, offsets);
    }
    return offsets[index];
  }

  /**
   * Where the value of `key` starts in the object at `pos`, found by walking the members: Kubernetes objects have a
   * handful, each skipped with a lookup, and walking allocates nothing. The last duplicate wins, as in JSON.parse.
   */
  private member(pos: number, key: string): number | undefined {
    const text = this.text;
    if (text.charCodeAt(pos) !== 123 /* { */) return undefined;
    let found: number | undefined;
    let p = this.skipSpace(pos + 1);
    while (text.charCodeAt(p) === 34 /* " */) {
      const keyEnd = skipString(text, p);
      const matches = isKey(text, p, keyEnd, key);
      p = this.skipSpace(keyEnd);
      if (text.charCodeAt(p) !== 58 /* : */) break;
      const value = this.skipSpace(p + 1);
      if (matches) found = value;
      const next = this.next(value);
      if (next === undefined) break;
      p = next;
    }
    return found;
  }

  /** Where the next member or element starts after the value at p (past its comma), or undefined if it never ends. */
  private next(p: number): number | undefined {
    const end = this.skipValue(p);
    if (end === undefined) return undefined;
    const after = this.skipSpace(end);
    return this.text.charCodeAt(after) === 44 /* , */ ? this.skipSpace(after + 1) : after;
  }

  private skipSpace(p: number): number {
    for (;;) {
      const c = this.text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13 || c === 10) p++;
      else return p;
    }
  }

  /** End offset (exclusive) of the value at p. */
  private skipValue(p: number): number | undefined {
    const c = this.text.charCodeAt(p);
    if (c === 34 /* " */) return skipString(this.text, p);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      this.containers ??= new ContainerIndex(this.text);
      const close = this.containers.closeOf(p);
      return close < 0 ? undefined : close + 1;
    }
    let i = p;
    while (i < this.text.length && !SCALAR_END.has(this.text.charCodeAt(i))) i++;
    return i > p ? i : undefined;
  }
}

/** Elements before this index are walked to; past it, the array gets an index of its elements. */
const WALKED_ELEMENTS = 16;

/**
 * Whether the JSON string [start, end) (quotes included) is `key`. Most keys are compared in place; only a key
 * written with escapes is decoded.
 */
function isKey(text: string, start: number, end: number, key: string): boolean {
  const length = end - start - 2;
  // An escape takes more characters than what it stands for: a key as long as `key` is equal only as written,
  // a shorter one never, a longer one only through escapes.
  if (length === key.length) return text.startsWith(key, start + 1) && !key.includes('\\');
  if (length < key.length) return false;
  for (let i = start + 1; i < end - 1; i++) {
    if (text.charCodeAt(i) === 92 /* \ */) return JSON.parse(text.slice(start, end)) === key;
  }
  return false;
}

/** Characters that end a number, true, false or null. */
const SCALAR_END = new Set([...',}] \t\r\n'].map((ch) => ch.charCodeAt(0)));

/**
 * Every `{` and `[` of a JSON text with the offset of its closing bracket (-1 when the text ends first), in
 * text order: twelve bytes per container, about 3.4 MB for a 7 MB List of 20,000 objects.
 */
class ContainerIndex {
  private opens: Int32Array<ArrayBuffer>;
  private closes: Int32Array<ArrayBuffer>;
  /** Ordinal of the first container that opens after this one closes: its next sibling, if it has one. */
  private after: Int32Array<ArrayBuffer>;
  private count = 0;
  /** Ordinal of the container looked up last: a walk asks next for it again, its first child or its sibling. */
  private last = 0;
  /**
   * Per 64 characters of text, the ordinal of the first container opening there or later: finding a container
   * by its offset reads one bucket instead of binary-searching arrays of megabytes (a cache miss per step).
   */
  private buckets: Int32Array;

  constructor(text: string) {
    // Sized for one container per 16 characters; compact Kubernetes JSON has one per 20-26, indented fewer.
    // Growing from small copied the arrays eight times on a 7 MB List; pages never written to cost no memory.
    const capacity = Math.max(1024, text.length >> 4);
    this.opens = new Int32Array(capacity);
    this.closes = new Int32Array(capacity);
    this.after = new Int32Array(capacity);
    const stack: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) i = skipString(text, i) - 1;
      else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.count === this.opens.length) this.grow();
        this.opens[this.count] = i;
        this.closes[this.count] = -1;
        stack.push(this.count++);
      } else if ((c === 125 /* } */ || c === 93 /* ] */) && stack.length > 0) {
        const k = stack.pop()!;
        this.closes[k] = i;
        this.after[k] = this.count;
      }
    }
    for (const k of stack) this.after[k] = this.count;
    this.buckets = new Int32Array((text.length >> BUCKET_SHIFT) + 2);
    let k = 0;
    for (let b = 0; b < this.buckets.length; b++) {
      while (k < this.count && this.opens[k] >> BUCKET_SHIFT < b) k++;
      this.buckets[b] = k;
    }
  }

  /** Offset of the bracket that closes the container opening at `open`, or -1. */
  closeOf(open: number): number {
    const k = this.ordinalOf(open);
    if (k < 0) return -1;
    this.last = k;
    return this.closes[k];
  }

  private ordinalOf(open: number): number {
    const last = this.last;
    if (this.opens[last] === open) return last;
    if (last + 1 < this.count && this.opens[last + 1] === open) return last + 1;
    const sibling = this.after[last];
    if (sibling < this.count && this.opens[sibling] === open) return sibling;
    const b = open >> BUCKET_SHIFT;
    if (b + 1 >= this.buckets.length) return -1;
    for (let k = this.buckets[b]; k < this.buckets[b + 1]; k++) if (this.opens[k] === open) return k;
    return -1;
  }

  private grow(): void {
    this.opens = grown(this.opens);
    this.closes = grown(this.closes);
    this.after = grown(this.after);
  }
}

const BUCKET_SHIFT = 6;

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * End offset (exclusive) of the string whose opening quote is at p, or the text's length when it never closes.
 * indexOf finds the next quote faster than a loop over characters; a quote after an odd run of backslashes is
 * escaped.
 */
function skipString(text: string, p: number): number {
  let q = text.indexOf('"', p + 1);
  while (q > 0) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}
