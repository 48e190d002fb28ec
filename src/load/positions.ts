import yaml from 'js-yaml';
import { splitYamlDocuments } from './documents.js';
import { BlockYamlLocator } from './block-yaml-locator.js';
import { JsonLocator } from './json-locator.js';
import type { Span } from './line-index.js';
import { SourceTexts } from './sources.js';
import { YamlLocator } from './yaml-locator.js';
import type { JsonPath, Origin } from './types.js';

export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A located piece of a file: a whole document, or one item of a big List, starting at `startLine`. */
interface Located {
  locator: YamlDocumentLocator;
  startLine: number;
}

/**
 * Resolves a JSON path inside a loaded object to a line and column. The fast loader keeps no positions, so
 * this re-reads and re-parses (with position events) only the documents something reports on, once each.
 */
export class PositionResolver {
  private texts = new Map<string, string[] | null>();
  private json = new Map<string, JsonLocator | null>();
  private docs = new Map<string, (Located | null)[]>();
  /** Per file and document: where the items of a big List start, and the items located so far. */
  private listItems = new Map<string, Map<number, { index: ListIndex | null; located: Map<number, Located | null> }>>();

  constructor(private sources = new SourceTexts()) {}

  resolve(origin: Origin, path: JsonPath = []): Position {
    const locator = this.jsonLocator(origin.file);
    if (locator) {
      const range = locator.range(origin.pathPrefix, path);
      if (range) return locator.span(range, 1);
    }
    // An item of a big List that does not stand alone (an alias to an anchor elsewhere) is found in the document.
    const item = this.listItem(origin);
    const inItem = item?.locator.range(path);
    if (item && inItem) return item.locator.span(inItem, item.startLine);
    const doc = this.document(origin);
    const inDoc = doc?.locator.range([...origin.pathPrefix, ...path]);
    return doc && inDoc ? doc.locator.span(inDoc, doc.startLine) : { line: origin.itemLine ?? origin.docLine, column: 1 };
  }

  /** JSON files get the fast locator; YAML (and JSON that fails to parse as such) the YAML parser. */
  private jsonLocator(file: string): JsonLocator | null {
    if (this.json.has(file)) return this.json.get(file)!;
    const pieces = this.sources.isJson(file) ? this.pieces(file) : null;
    const locator = pieces && pieces.length === 1 ? new JsonLocator(pieces[0]) : null;
    this.json.set(file, locator);
    return locator;
  }

  /**
   * One item of a big block-style YAML List (`kubectl get -o yaml`), parsed on its own: the position parser would
   * otherwise rebuild the whole List, which for a dump of tens of megabytes takes minutes and gigabytes. Columns
   * stay the same because the item's "- " becomes two spaces.
   */
  private listItem(origin: Origin): Located | null {
    if (origin.pathPrefix.length !== 2 || origin.pathPrefix[0] !== 'items' || typeof origin.pathPrefix[1] !== 'number') return null;
    const pieces = this.pieces(origin.file);
    const piece = pieces?.[origin.docIndex];
    if (piece === undefined || piece.length < 1_000_000) return null;
    let byDoc = this.listItems.get(origin.file);
    if (!byDoc) this.listItems.set(origin.file, (byDoc = new Map()));
    let list = byDoc.get(origin.docIndex);
    if (!list) byDoc.set(origin.docIndex, (list = { index: indexListItems(piece), located: new Map() }));
    const { index, located } = list;
    const i = origin.pathPrefix[1];
    if (!index || i >= index.starts.length) return null;
    if (located.has(i)) return located.get(i)!;
    const end = i + 1 < index.starts.length ? index.starts[i + 1] : index.end;
    // The item's "- " becomes two spaces, so columns stay the same (indexListItems found the dash).
    const dash = piece.indexOf('-', index.starts[i]);
    const text = `${piece.slice(index.starts[i], dash)} ${piece.slice(dash + 1, end)}`;
    const result = { locator: new YamlDocumentLocator(text), startLine: origin.docLine + index.lines[i] };
    located.set(i, result);
    return result;
  }

  private document(origin: Origin): Located | null {
    // By file, then document index: a text key made per call cost more than the lookup (52,000 findings).
    let byIndex = this.docs.get(origin.file);
    if (!byIndex) this.docs.set(origin.file, (byIndex = []));
    let result = byIndex[origin.docIndex];
    if (result === undefined) {
      const piece = this.pieces(origin.file)?.[origin.docIndex];
      result = piece === undefined ? null : { locator: new YamlDocumentLocator(piece), startLine: origin.docLine };
      byIndex[origin.docIndex] = result;
    }
    return result;
  }

  private pieces(file: string): string[] | null {
    if (this.texts.has(file)) return this.texts.get(file)!;
    let text = this.sources.get(file);
    let pieces: string[] | null = null;
    if (text !== undefined) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const t = text.trimStart();
      pieces = t.startsWith('{') || t.startsWith('[') || file.toLowerCase().endsWith('.json') ? [text] : splitYamlDocuments(text).map((d) => d.text);
    }
    this.texts.set(file, pieces);
    return pieces;
  }
}

/**
 * Positions in one YAML document: block-style YAML is read from its indentation (BlockYamlLocator), and the
 * document is parsed only for a path that that reading leaves open, or never.
 */
class YamlDocumentLocator {
  private readonly block: BlockYamlLocator;
  private parsed?: YamlLocator | null;

  constructor(private readonly text: string) {
    this.block = new BlockYamlLocator(text);
  }

  range(path: JsonPath): [number, number] | undefined {
    const range = this.block.range(path);
    if (range) return range;
    if (this.parsed === undefined) this.parsed = parse(this.text);
    return this.parsed?.range(path);
  }

  span(range: [number, number], firstLine: number): Span {
    return this.block.span(range, firstLine);
  }
}

/** The fast schema first; a document with tags that need the full schema (`!!int`) gets it. */
function parse(text: string): YamlLocator | null {
  for (const schema of [yaml.FAILSAFE_SCHEMA, yaml.DEFAULT_SCHEMA]) {
    try {
      return new YamlLocator(text, schema);
    } catch {
      // try the next schema
    }
  }
  return null;
}

/**
 * Start offsets (and 0-based line numbers within the document) of the items of a block-style `items:` sequence
 * at the top level, or null when the document is not shaped that way.
 */
interface ListIndex {
  starts: number[];
  lines: number[];
  end: number;
}

function indexListItems(text: string): ListIndex | null {
  const itemsLine = /^items:[ \t]*$/m.exec(text);
  if (!itemsLine) return null;
  const starts: number[] = [];
  const lines: number[] = [];
  let indent = -1;
  let line = text.slice(0, itemsLine.index).split('\n').length;
  let pos = text.indexOf('\n', itemsLine.index);
  let end = text.length;
  while (pos >= 0 && pos < text.length) {
    const start = pos + 1;
    let eol = text.indexOf('\n', start);
    if (eol < 0) eol = text.length;
    const raw = text.slice(start, eol);
    const spaces = raw.length - raw.trimStart().length;
    const content = raw.trimStart();
    if (content && !content.startsWith('#')) {
      if (indent < 0) {
        if (!content.startsWith('- ') && content !== '-') return null;
        indent = spaces;
      }
      if (spaces === indent && (content.startsWith('- ') || content === '-')) {
        starts.push(start);
        lines.push(line);
      } else if (spaces < indent || (spaces === indent && !content.startsWith('-'))) {
        end = start;
        break;
      }
    }
    line++;
    pos = eol;
  }
  return starts.length ? { starts, lines, end } : null;
}

