import yaml from 'js-yaml';
import { splitYamlDocuments } from './documents.js';
import { expandedSize, MAX_EXPANDED_NODES } from './expansion.js';
import type { LoadProblem, RawObject } from './types.js';

/**
 * Parses one source (a file or stdin) into Kubernetes objects. Bad documents become problems with a line and
 * column; the other documents of the same file are still used.
 */
export function parseSource(file: string, text: string, asJson: boolean): { objects: RawObject[]; problems: LoadProblem[] } {
  const objects: RawObject[] = [];
  const problems: LoadProblem[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (asJson || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // JSON is valid YAML, but JSON.parse is several times faster; fall back to YAML only when it fails
    // and the file does not claim to be JSON (a flow-style YAML document also starts with `{`).
    try {
      collect(JSON.parse(text), { file, docIndex: 0, docLine: 1 }, objects, problems);
      return { objects, problems };
    } catch (err) {
      if (asJson) {
        problems.push({ severity: 'error', file, ...jsonErrorPosition(text, err), message: `invalid JSON: ${jsonErrorReason(err)}` });
        return { objects, problems };
      }
    }
  }
  for (const doc of splitYamlDocuments(text)) {
    let value: unknown;
    try {
      value = yaml.load(doc.text, { filename: file });
    } catch (err) {
      const e = err as yaml.YAMLException;
      const line = (e.mark?.line ?? 0) + doc.startLine;
      const column = (e.mark?.column ?? 0) + 1;
      problems.push({ severity: 'error', file, line, column, message: `YAML syntax error: ${e.reason ?? e.message}` });
      continue;
    }
    if (value === null || value === undefined) continue; // empty or comment-only document
    if (/[&*]/.test(doc.text) && expandedSize(value) > MAX_EXPANDED_NODES) {
      problems.push({
        severity: 'error', file, line: doc.startLine, column: 1,
        message: `document refused: its YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?)`,
      });
      continue;
    }
    collect(value, { file, docIndex: doc.index, docLine: doc.startLine, helmSource: doc.helmSource }, objects, problems);
  }
  return { objects, problems };
}

type DocOrigin = { file: string; docIndex: number; docLine: number; helmSource?: string };

/** Turns one parsed document into objects, expanding `kind: List` and typed lists such as `PodList`. */
function collect(value: unknown, at: DocOrigin, objects: RawObject[], problems: LoadProblem[]): void {
  const where = { severity: 'warning' as const, file: at.file, line: at.docLine, column: 1 };
  if (Array.isArray(value)) {
    problems.push({ ...where, message: 'skipped: the document is a list, not a Kubernetes object' });
    return;
  }
  if (typeof value !== 'object' || value === null) {
    problems.push({ ...where, message: `skipped: the document is a ${typeof value}, not a Kubernetes object` });
    return;
  }
  const body = value as Record<string, unknown>;
  const kind = body.kind;
  if (typeof kind !== 'string' || kind === '') {
    problems.push({ ...where, message: 'skipped: the document has no `kind`, so it is not a Kubernetes object' });
    return;
  }
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  if (kind.endsWith('List') && Array.isArray(body.items)) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    body.items.forEach((item, i) => {
      const path = ['items', i];
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push({ ...where, message: `skipped: items[${i}] of the ${kind} is not an object` });
        return;
      }
      const itemBody = item as Record<string, unknown>;
      const k = typeof itemBody.kind === 'string' && itemBody.kind ? itemBody.kind : itemKind;
      if (!k) {
        problems.push({ ...where, message: `skipped: items[${i}] of the List has no \`kind\`` });
        return;
      }
      const v = typeof itemBody.apiVersion === 'string' ? itemBody.apiVersion : apiVersion;
      objects.push({ apiVersion: v, kind: k, body: itemBody, origin: { ...at, pathPrefix: path } });
    });
    return;
  }
  objects.push({ apiVersion, kind, body, origin: { ...at, pathPrefix: [] } });
}

function jsonErrorReason(err: unknown): string {
  return String((err as Error).message ?? err).replace(/^JSON\.parse: /, '');
}

function jsonErrorPosition(text: string, err: unknown): { line: number; column: number } {
  const m = /position (\d+)/.exec(String((err as Error).message));
  const offset = m ? Number(m[1]) : 0;
  return offsetToLineColumn(text, offset);
}

export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
