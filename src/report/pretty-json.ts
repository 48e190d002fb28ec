import type { Sink } from './sink.js';

/** Stands in for the streamed array while the rest of the document is stringified; no report holds it. */
const PLACEHOLDER = '\u0000netpol-streamed-array\u0000';
const PLACEHOLDER_TEXT = JSON.stringify(PLACEHOLDER);
/** Elements per JSON.stringify call: enough to spread the call's fixed cost, few enough to die young. */
const BATCH = 512;

/**
 * Writes `JSON.stringify(doc, null, 2)` and a newline, byte for byte, with one big array of the document (the
 * findings of a lint, the results of a SARIF run) stringified a batch of elements at a time. The whole text of a
 * big cluster's lint went past V8's string limit (about 512 MB: the SARIF of 500,000 findings), and as one string
 * it was built, then encoded, then written, with all of it in memory.
 *
 * `items` is the array as it sits in `doc`, found by identity; its elements are `element(item)`, made a batch at
 * a time too, so that neither they nor their text outlive the batch.
 */
export async function writePrettyJson<T>(sink: Sink, doc: object, items: readonly T[], element: (item: T) => unknown, batch = BATCH): Promise<void> {
  const outline = JSON.stringify(doc, (_key, value) => (value === items ? PLACEHOLDER : value), 2);
  const at = outline.indexOf(PLACEHOLDER_TEXT);
  if (at < 0 || outline.indexOf(PLACEHOLDER_TEXT, at + 1) >= 0) {
    // Not in the document, or the placeholder text is some other value's too: the document as one string.
    sink.write(`${JSON.stringify(doc, (_key, value) => (value === items ? items.map(element) : value), 2)}\n`);
    await sink.flush();
    return;
  }
  sink.write(outline.slice(0, at));
  if (items.length === 0) sink.write('[]');
  else {
    // The array's elements sit one level deeper than the line that holds it.
    const depth = lineIndent(outline, at) / 2;
    sink.write('[\n');
    for (let i = 0; i < items.length; i += batch) {
      const elements: unknown[] = [];
      for (let j = i; j < Math.min(items.length, i + batch); j++) elements.push(element(items[j]));
      sink.write(`${i ? ',\n' : ''}${elementsText(elements, depth)}`);
      if (sink.full) await sink.flush();
    }
    sink.write(`\n${' '.repeat(depth * 2)}]`);
  }
  sink.write(`${outline.slice(at + PLACEHOLDER_TEXT.length)}\n`);
  await sink.flush();
}

/** The spaces that start the line holding `at`. */
function lineIndent(text: string, at: number): number {
  const start = text.lastIndexOf('\n', at) + 1;
  let i = start;
  while (text.charCodeAt(i) === 0x20) i++;
  return i - start;
}

/**
 * Non-empty `elements` as JSON.stringify with two-space indentation writes them inside an array whose line is
 * indented by `depth` levels: each on its own lines, indented by `depth + 1` levels, separated by `,\n`.
 * Stringified inside `depth` more arrays, which indents them just so, and then cut out of those arrays, whose
 * opening lines are `[\n`, `  [\n`, ... (level i: 2i + 2 characters), and closing lines the same length.
 */
function elementsText(elements: unknown[], depth: number): string {
  let nested: unknown = elements;
  for (let i = 0; i < depth; i++) nested = [nested];
  const text = JSON.stringify(nested, null, 2);
  const frame = (depth + 1) * (depth + 2);
  return text.slice(frame, text.length - frame);
}
