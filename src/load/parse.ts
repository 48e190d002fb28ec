import yaml from 'js-yaml';
import { splitYamlDocuments } from './documents.js';
import { expandedSize, MAX_EXPANDED_NODES } from './expansion.js';
import type { LoadProblem, Origin, RawObject } from './types.js';

/**
 * Parses one source (a file or stdin) into Kubernetes objects. Bad documents become problems with a line and
 * column; the other documents of the same file are still used.
 */
export function parseSource(file: string, text: string, asJson: boolean): { objects: RawObject[]; problems: LoadProblem[]; json: boolean } {
  const objects: RawObject[] = [];
  const problems: LoadProblem[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (asJson || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // JSON is valid YAML, but JSON.parse is several times faster; fall back to YAML only when it fails
    // and the file does not claim to be JSON (a flow-style YAML document also starts with `{`).
    try {
      collect(JSON.parse(text), { file, docIndex: 0, docLine: 1 }, objects, problems);
      return { objects, problems, json: true };
    } catch (err) {
      if (asJson) {
        problems.push({ severity: 'error', file, ...jsonErrorPosition(text, err), message: `invalid JSON: ${jsonErrorReason(err)}` });
        return { objects, problems, json: false };
      }
    }
  }
  for (const doc of splitYamlDocuments(text)) {
    const value = loadYamlDocument(file, doc.text, doc.startLine, problems);
    if (value === null || value === undefined) continue; // empty, comment-only, or refused
    collect(value, { file, docIndex: doc.index, docLine: doc.startLine, helmSource: doc.helmSource }, objects, problems);
  }
  return { objects, problems, json: false };
}

/**
 * One YAML document (or a piece that parses alone, such as one item of a List), with syntax errors and alias
 * bombs turned into problems at `startLine` of the file; undefined when there is nothing to use.
 */
export function loadYamlDocument(file: string, text: string, startLine: number, problems: LoadProblem[]): unknown {
  let value: unknown;
  try {
    value = yaml.load(text, { filename: file });
  } catch (err) {
    const e = err as yaml.YAMLException;
    const line = (e.mark?.line ?? 0) + startLine;
    const column = (e.mark?.column ?? 0) + 1;
    problems.push({ severity: 'error', file, line, column, message: `YAML syntax error: ${e.reason ?? e.message}` });
    return undefined;
  }
  if (value !== null && value !== undefined && /[&*]/.test(text) && expandedSize(value) > MAX_EXPANDED_NODES) {
    problems.push({
      severity: 'error', file, line: startLine, column: 1,
      message: `document refused: its YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?)`,
    });
    return undefined;
  }
  return value;
}

export type DocOrigin = { file: string; docIndex: number; docLine: number; helmSource?: string; itemLine?: number };

/** Turns one parsed document into objects, expanding `kind: List` and typed lists such as `PodList`. */
export function collect(value: unknown, at: DocOrigin, objects: RawObject[], problems: LoadProblem[]): void {
  if (Array.isArray(value)) {
    problems.push(skipped(at, 'skipped: the document is a list, not a Kubernetes object'));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    problems.push(skipped(at, `skipped: the document is a ${typeof value}, not a Kubernetes object`));
    return;
  }
  const body = value as Record<string, unknown>;
  const kind = body.kind;
  if (typeof kind !== 'string' || kind === '') {
    problems.push(skipped(at, 'skipped: the document has no `kind`, so it is not a Kubernetes object'));
    return;
  }
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  if (kind.endsWith('List') && Array.isArray(body.items)) {
    const list = { kind, apiVersion };
    body.items.forEach((item, i) => collectListItem(item, i, list, at, objects, problems));
    return;
  }
  objects.push({ apiVersion, kind, body, origin: { ...at, pathPrefix: [] } });
}

/** Item `index` of a List (or typed list such as `PodList`) whose own kind and apiVersion are `list`. */
export function collectListItem(item: unknown, index: number, list: { kind: string; apiVersion: string }, at: DocOrigin, objects: RawObject[], problems: LoadProblem[]): void {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    problems.push(skipped(at, `skipped: items[${index}] of the ${list.kind} is not an object`));
    return;
  }
  const itemBody = item as Record<string, unknown>;
  const itemKind = list.kind === 'List' ? undefined : list.kind.slice(0, -'List'.length);
  const k = typeof itemBody.kind === 'string' && itemBody.kind ? itemBody.kind : itemKind;
  if (!k) {
    problems.push(skipped(at, `skipped: items[${index}] of the List has no \`kind\``));
    return;
  }
  const v = typeof itemBody.apiVersion === 'string' ? itemBody.apiVersion : list.apiVersion;
  objects.push({ apiVersion: v, kind: k, body: itemBody, origin: itemOrigin(at, index) });
}

/** A warning at the document's first line: what was skipped and why. */
function skipped(at: DocOrigin, message: string): LoadProblem {
  return { severity: 'warning', file: at.file, line: at.docLine, column: 1, message };
}

/**
 * Written out rather than spread from `at`: a dump has hundreds of thousands of items, and an object spread
 * costs several times a literal of known shape, all of it before the model is built.
 */
function itemOrigin(at: DocOrigin, index: number): Origin {
  const origin: Origin = { file: at.file, docIndex: at.docIndex, docLine: at.docLine, pathPrefix: ['items', index] };
  if (at.helmSource !== undefined) origin.helmSource = at.helmSource;
  if (at.itemLine !== undefined) origin.itemLine = at.itemLine;
  return origin;
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
