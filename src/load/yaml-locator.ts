import yaml from 'js-yaml';
import type { JsonPath } from './types.js';

/** A node as js-yaml composed it: where it starts and ends, its value, and its child nodes in source order. */
interface YamlNode {
  start: number;
  end: number;
  value: unknown;
  children: YamlNode[];
}

/**
 * Finds where a JSON path lies in one YAML document, from js-yaml's composition events: the same parser as the
 * loader (so the same reading of the text), at its speed, which is many times that of a full concrete syntax
 * tree. A mapping's children come as key, value, key, value...; a sequence's as its items.
 */
export class YamlLocator {
  private readonly root: YamlNode | null;
  private lineStarts: number[] | null = null;

  constructor(private readonly text: string) {
    const open: { start: number; children: YamlNode[] }[] = [];
    let root: YamlNode | null = null;
    yaml.load(text, {
      listener(event, state) {
        if (event === 'open') {
          open.push({ start: state.position, children: [] });
          return;
        }
        const frame = open.pop()!;
        const node = { start: skipSpace(text, frame.start), end: trimEnd(text, state.position), value: state.result, children: frame.children };
        if (open.length) open[open.length - 1].children.push(node);
        else root = node;
      },
    });
    this.root = root;
  }

  /** The range of the deepest node on the path that exists (a missing field is reported at its parent). */
  range(path: JsonPath): [number, number] | undefined {
    let node = this.root;
    if (!node) return undefined;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      node = next;
    }
    return [node.start, Math.max(node.start, node.end)];
  }

  lineColumn(offset: number): { line: number; col: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo] + 1 };
  }
}

function child(node: YamlNode, segment: string | number): YamlNode | undefined {
  if (Array.isArray(node.value)) return typeof segment === 'number' ? node.children[segment] : undefined;
  if (node.value === null || typeof node.value !== 'object' || typeof segment === 'number') return undefined;
  // The last occurrence of a key wins, as when the document is loaded.
  let found: YamlNode | undefined;
  for (let i = 0; i + 1 < node.children.length; i += 2) if (String(node.children[i].value) === segment) found = node.children[i + 1];
  return found;
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
