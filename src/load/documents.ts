/**
 * Splits a YAML stream into documents without parsing it, so that each document keeps the line it starts on
 * and the Helm `# Source:` comment in front of it. Parsing each piece separately also keeps one bad document
 * from hiding the others.
 */
export interface DocumentText {
  index: number;
  /** 1-based line of the first line of this piece. */
  startLine: number;
  text: string;
  helmSource?: string;
}

const SEPARATOR = /^---(?:[ \t].*)?$/;
const END_MARKER = /^\.\.\.[ \t]*$/;
const HELM_SOURCE = /^#\s*Source:\s*(\S.*?)\s*$/;

export function splitYamlDocuments(text: string): DocumentText[] {
  const docs: DocumentText[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let pos = 0;
  let helmSource: string | undefined;
  const push = (end: number, nextStart: number, nextLine: number) => {
    docs.push({ index: docs.length, startLine, text: text.slice(start, end), helmSource });
    start = nextStart;
    startLine = nextLine;
    helmSource = undefined;
  };
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const raw = text.charCodeAt(eol - 1) === 13 ? text.slice(pos, eol - 1) : text.slice(pos, eol);
    if (raw.startsWith('---') && SEPARATOR.test(raw)) {
      // Content after `--- ` on the same line belongs to the new document; keep the line in it.
      if (pos > start || docs.length > 0) push(pos, pos + 3, line);
      else { start = pos + 3; startLine = line; }
    } else if (raw.startsWith('...') && END_MARKER.test(raw)) {
      push(pos, eol + 1, line + 1);
    } else if (raw.startsWith('#') && helmSource === undefined) {
      const m = HELM_SOURCE.exec(raw);
      if (m) helmSource = m[1];
    }
    pos = eol + 1;
    line++;
  }
  if (start < text.length) docs.push({ index: docs.length, startLine, text: text.slice(start), helmSource });
  return docs;
}
