import yaml from 'js-yaml';
import { collect, collectListItem, loadYamlDocument, type DocOrigin } from './parse.js';
import type { LoadProblem, RawObject } from './types.js';

/**
 * Files from this size on are read as bytes and cut into pieces that parse on their own. V8 strings stop at
 * about 512 MB (536,870,888 characters), and `kubectl get pods -A -o json` of a cluster at the Kubernetes limit
 * (150,000 pods, about 5 KB each) is some 750 MB; the items of its List are small.
 */
export const BIG_FILE_BYTES = 256 * 1024 * 1024;

/** A document or List item of at most this many bytes becomes one string. */
const PIECE_BYTES = 64 * 1024 * 1024;

const NL = 0x0a;

/** Objects of a file too big for one string: the items of a JSON List, or YAML documents and block List items. */
export function parseBigSource(file: string, buf: Buffer, pieceBytes = PIECE_BYTES): { objects: RawObject[]; problems: LoadProblem[] } {
  const objects: RawObject[] = [];
  const problems: LoadProblem[] = [];
  let start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (start < buf.length && isSpace(buf[start])) start++;
  if (buf[start] === 0x7b /* { */) parseJsonList(file, buf, start, objects, problems);
  else parseYamlStream(file, buf, pieceBytes, objects, problems);
  return { objects, problems };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function tooBig(file: string, buf: Buffer, what: string): LoadProblem {
  return { severity: 'error', file, line: 1, column: 1, message: `file of ${Math.round(buf.length / 2 ** 20)} MB is too big to read whole, and ${what}; split it into smaller files` };
}

/**
 * A JSON object whose `items` array is read element by element. One pass over the bytes finds, at depth 1, the
 * key `items`, and at depth 2 where each element starts and ends; strings are skipped with their escapes.
 */
function parseJsonList(file: string, buf: Buffer, start: number, objects: RawObject[], problems: LoadProblem[]): void {
  const elements: { start: number; end: number; line: number }[] = [];
  let depth = 0;
  let line = 1;
  let expectKey = false;
  let lastKey = '';
  let itemsOpen = -1;
  let itemsClose = -1;
  let element = -1;
  let elementLine = 0;
  const inItems = () => itemsOpen >= 0 && itemsClose < 0;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x22 /* " */) {
      if (inItems() && depth === 2 && element < 0) {
        element = i;
        elementLine = line;
      }
      const from = i + 1;
      for (i++; i < buf.length && buf[i] !== 0x22; i++) if (buf[i] === 0x5c /* \ */) i++;
      if (depth === 1 && expectKey) lastKey = buf.toString('utf8', from, i);
      continue;
    }
    if (c === NL) line++;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (inItems() && depth === 2 && element < 0) {
        element = i;
        elementLine = line;
      }
      if (depth === 1 && c === 0x5b && !expectKey && lastKey === 'items' && itemsOpen < 0) itemsOpen = i;
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (inItems() && depth === 1) {
        if (element >= 0) elements.push({ start: element, end: i, line: elementLine });
        element = -1;
        itemsClose = i;
      }
    } else if (c === 0x2c /* , */) {
      if (inItems() && depth === 2) {
        if (element >= 0) elements.push({ start: element, end: i, line: elementLine });
        element = -1;
      }
      if (depth === 1) expectKey = true;
    } else if (c === 0x3a /* : */) {
      if (depth === 1) expectKey = false;
    } else if (!isSpace(c) && inItems() && depth === 2 && element < 0) {
      element = i;
      elementLine = line;
    }
  }
  if (itemsOpen < 0 || itemsClose < 0) {
    problems.push(tooBig(file, buf, 'it is not a JSON List with `items`'));
    return;
  }
  let list: Record<string, unknown>;
  try {
    list = JSON.parse(buf.toString('utf8', start, itemsOpen + 1) + buf.toString('utf8', itemsClose)) as Record<string, unknown>;
  } catch (err) {
    problems.push({ severity: 'error', file, line: 1, column: 1, message: `invalid JSON: ${(err as Error).message}` });
    return;
  }
  const kind = typeof list.kind === 'string' ? list.kind : '';
  if (!kind.endsWith('List')) {
    problems.push(tooBig(file, buf, 'it is not a List'));
    return;
  }
  const meta = { kind, apiVersion: typeof list.apiVersion === 'string' ? list.apiVersion : '' };
  elements.forEach((e, index) => {
    let item: unknown;
    try {
      item = JSON.parse(buf.toString('utf8', e.start, e.end));
    } catch (err) {
      problems.push({ severity: 'error', file, line: e.line, column: 1, message: `invalid JSON in items[${index}]: ${(err as Error).message}` });
      return;
    }
    collectListItem(item, index, meta, { file, docIndex: 0, docLine: 1, itemLine: e.line }, objects, problems);
  });
}

/** Line starts and ends of a byte range, without decoding it. */
function* lines(buf: Buffer, from: number, to: number): Generator<{ start: number; end: number; next: number }> {
  for (let pos = from; pos < to; ) {
    let eol = buf.indexOf(NL, pos);
    if (eol < 0 || eol > to) eol = to;
    yield { start: pos, end: eol > pos && buf[eol - 1] === 0x0d ? eol - 1 : eol, next: eol + 1 };
    pos = eol + 1;
  }
}

const startsWith = (buf: Buffer, at: number, end: number, text: string) => end - at >= text.length && buf.toString('latin1', at, at + text.length) === text;
const onlySpaces = (buf: Buffer, from: number, to: number) => {
  for (let i = from; i < to; i++) if (buf[i] !== 0x20 && buf[i] !== 0x09) return false;
  return true;
};

/**
 * YAML documents split by the same rules as `splitYamlDocuments` (so document numbers agree with positions),
 * each parsed whole when it fits in a string, else as a block-style List item by item.
 */
function parseYamlStream(file: string, buf: Buffer, pieceBytes: number, objects: RawObject[], problems: LoadProblem[]): void {
  let docStart = 0;
  let docLine = 1;
  let lineNo = 1;
  let index = 0;
  let helmSource: string | undefined;
  const flush = (end: number) => {
    parseYamlPiece(file, buf, docStart, end, { file, docIndex: index, docLine, helmSource }, pieceBytes, objects, problems);
    index++;
    helmSource = undefined;
  };
  for (const l of lines(buf, 0, buf.length)) {
    if (startsWith(buf, l.start, l.end, '---') && (l.end - l.start === 3 || buf[l.start + 3] === 0x20 || buf[l.start + 3] === 0x09)) {
      // Content after `--- ` on the same line belongs to the new document.
      if (l.start > docStart || index > 0) flush(l.start);
      docStart = l.start + 3;
      docLine = lineNo;
    } else if (startsWith(buf, l.start, l.end, '...') && onlySpaces(buf, l.start + 3, l.end)) {
      flush(l.start);
      docStart = Math.min(buf.length, l.next);
      docLine = lineNo + 1;
    } else if (buf[l.start] === 0x23 /* # */ && helmSource === undefined) {
      const m = /^#\s*Source:\s*(\S.*?)\s*$/.exec(buf.toString('utf8', l.start, l.end));
      if (m) helmSource = m[1];
    }
    lineNo++;
  }
  if (docStart < buf.length) flush(buf.length);
}

function parseYamlPiece(file: string, buf: Buffer, start: number, end: number, at: DocOrigin, pieceBytes: number, objects: RawObject[], problems: LoadProblem[]): void {
  if (end - start <= pieceBytes) {
    const value = loadYamlDocument(file, buf.toString('utf8', start, end), at.docLine, problems);
    if (value !== null && value !== undefined) collect(value, at, objects, problems);
    return;
  }
  const items = blockListItems(buf, start, end);
  if (!items) {
    problems.push({ ...tooBig(file, buf, 'a document in it is neither small enough nor a block-style List'), line: at.docLine });
    return;
  }
  let list: unknown;
  try {
    list = yaml.load(buf.toString('utf8', start, items.itemsLine) + buf.toString('utf8', items.end, end));
  } catch (err) {
    problems.push({ severity: 'error', file, line: at.docLine, column: 1, message: `YAML syntax error: ${(err as Error).message}` });
    return;
  }
  const kind = list && typeof list === 'object' && typeof (list as { kind?: unknown }).kind === 'string' ? (list as { kind: string }).kind : '';
  if (!kind.endsWith('List')) {
    problems.push({ ...tooBig(file, buf, 'a document in it is not a List'), line: at.docLine });
    return;
  }
  const apiVersion = (list as { apiVersion?: unknown }).apiVersion;
  const meta = { kind, apiVersion: typeof apiVersion === 'string' ? apiVersion : '' };
  items.starts.forEach((itemStart, i) => {
    const itemEnd = i + 1 < items.starts.length ? items.starts[i + 1] : items.end;
    const line = at.docLine + items.lines[i];
    // The item's "- " becomes two spaces, so that it parses alone with the same columns.
    const dash = buf.indexOf(0x2d /* - */, itemStart);
    const text = `${buf.toString('utf8', itemStart, dash)} ${buf.toString('utf8', dash + 1, itemEnd)}`;
    const value = loadYamlDocument(file, text, line, problems);
    if (value !== null && value !== undefined) collectListItem(value, i, meta, { ...at, itemLine: line }, objects, problems);
  });
}

/**
 * The items of a top-level block sequence `items:` (as `kubectl get -o yaml` writes it): byte offsets of each
 * item's first line, their line numbers counted from the document's first line (0-based), and where the sequence
 * ends. The same rules as positions use for big Lists.
 */
function blockListItems(buf: Buffer, start: number, end: number): { itemsLine: number; starts: number[]; lines: number[]; end: number } | null {
  let itemsLine = -1;
  let indent = -1;
  const starts: number[] = [];
  const lineNumbers: number[] = [];
  let n = 0;
  let stop = end;
  for (const l of lines(buf, start, end)) {
    if (itemsLine < 0) {
      if (startsWith(buf, l.start, l.end, 'items:') && onlySpaces(buf, l.start + 6, l.end)) itemsLine = l.start;
      n++;
      continue;
    }
    let first = l.start;
    while (first < l.end && buf[first] === 0x20) first++;
    const blank = first === l.end || buf[first] === 0x23;
    if (!blank) {
      const spaces = first - l.start;
      const dash = buf[first] === 0x2d && (first + 1 === l.end || buf[first + 1] === 0x20);
      if (indent < 0) {
        if (!dash) return null;
        indent = spaces;
      }
      if (spaces === indent && dash) {
        starts.push(l.start);
        lineNumbers.push(n);
      } else if (spaces < indent || (spaces === indent && !dash)) {
        stop = l.start;
        break;
      }
    }
    n++;
  }
  return itemsLine >= 0 && starts.length ? { itemsLine, starts, lines: lineNumbers, end: stop } : null;
}
