import fs from 'node:fs';
import path from 'node:path';
import type { Position } from '../load/positions.js';
import type { Origin, Severity } from '../load/types.js';
import { formatPath } from '../model/checker.js';
import { annotationKey, type ObjectRef } from '../model/types.js';
import { lint } from '../rules/lint.js';
import { RULES } from '../rules/registry.js';
import { CNI_PROFILES } from '../rules/cni.js';
import type { Finding } from '../rules/types.js';
import { fingerprintOf, summarize, SEVERITY_RANK, type ReportedFinding } from '../report/findings.js';
import { Sink } from '../report/sink.js';
import { checkFormat } from './analysis.js';
import { PLAIN } from './colour.js';
import { findConfig, loadConfig } from './config.js';
import type { CommandContext } from './context.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError } from './errors.js';
import { OutputFile } from './output-file.js';
import { annotationSuppression, DirectiveIndex, IGNORE_ANNOTATION } from './suppress.js';

export interface LintCommandOptions {
  config?: string;
  failOn?: string;
  maxWarnings?: string;
  outputFile?: string;
  baseline?: string;
  updateBaseline?: boolean;
  cni?: string;
  sarifIncludeSuppressed?: boolean;
  sarifCategory?: string;
}

export const LINT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;

export async function lintCommand(ctx: CommandContext, paths: string[], opts: LintCommandOptions, version: string): Promise<number> {
  const format = checkFormat(ctx.options.output, LINT_FORMATS, 'text');
  const failOn = opts.failOn ?? 'error';
  if (!['error', 'warning', 'info', 'none'].includes(failOn)) throw new UserError(`--fail-on: "${failOn}" is not error, warning, info or none`);
  const maxWarnings = opts.maxWarnings === undefined ? undefined : Number(opts.maxWarnings);
  if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0)) throw new UserError(`--max-warnings: "${opts.maxWarnings}" is not a whole number`);
  if (opts.updateBaseline && !opts.baseline) throw new UserError('--update-baseline needs --baseline FILE');

  const config = loadConfig(opts.config ?? findConfig());
  if (opts.cni) {
    if (!CNI_PROFILES[opts.cni]) throw new UserError(`--cni: unknown plugin "${opts.cni}" (known: ${Object.keys(CNI_PROFILES).join(', ')})`);
    config.lint.cni = opts.cni;
  }
  ctx.configNamespace = config.defaultNamespace;
  const ignore = config.ignorePaths.map(globToRegExp);
  const model = await ctx.load(paths, {
    strict: false,
    keepTexts: true,
    asFindings: new Set(RULES.map((r) => r.id)),
    ignoreFile: ignore.length ? (file) => ignore.some((re) => re.test(relative(file))) : undefined,
  });
  const loadErrors = ctx.inputErrors; // model problems that are rules were left out of it
  const result = lint(model, config.lint);

  const directives = new DirectiveIndex(ctx.sources);
  const ns = ctx.namespaceFilter;
  const reported: ReportedFinding[] = [];
  // Only objects that ask to ignore rules: then a finding about any other object costs no key and no lookup.
  const ignoring = new Map([...model.annotations].filter(([, a]) => a[IGNORE_ANNOTATION] !== undefined));
  const namePositions = new Map<Origin, Position | undefined>();
  for (const f of result.findings) {
    if (ns && f.object?.namespace !== undefined && !ns.has(f.object.namespace) && !(f.object.kind === 'Namespace' && ns.has(f.object.name))) continue;
    reported.push(resolve(ctx, f, ignoring, directives, namePositions));
  }
  const baseline = opts.baseline && !opts.updateBaseline ? readBaseline(opts.baseline) : new Set<string>();
  const active = reported.filter((f) => !f.suppressed && !baseline.has(f.fingerprint));
  const suppressed = reported.filter((f) => f.suppressed);
  const baselined = reported.filter((f) => !f.suppressed && baseline.has(f.fingerprint)).length;
  active.sort(inReadingOrder);
  const summary = summarize(active, { suppressed: suppressed.length, baselined, partialNamespaces: result.partialNamespaces, dnsAssumed: result.dnsAssumed });

  if (opts.updateBaseline) {
    writeBaseline(opts.baseline!, active);
    ctx.stderr.write(`note: wrote ${active.length} finding${active.length === 1 ? '' : 's'} to the baseline ${opts.baseline}\n`);
    return loadErrors ? EXIT_USAGE : EXIT_OK;
  }

  const file = opts.outputFile ? OutputFile.open(opts.outputFile) : undefined;
  const sink = new Sink(file ?? ctx.stdout);
  const rules = () => RULES.filter((r) => config.lint.severities[r.id] !== 'off');
  try {
    switch (format) {
      // Each format loads only its own reporter; the JSON ones stream their findings (a big cluster has many).
      case 'json': await (await import('../report/json.js')).writeLintJson(sink, active, summary); break;
      case 'sarif': await (await import('../report/sarif.js')).writeSarifLog(sink, rules(), opts.sarifIncludeSuppressed ? [...active, ...suppressed] : active, { version, cwd: process.cwd(), category: opts.sarifCategory }); break;
      case 'junit': sink.write((await import('../report/junit.js')).junitXml(rules(), active)); break;
      case 'github': sink.write((await import('../report/github.js')).githubAnnotations(active)); break;
      default: sink.write((await import('../report/text.js')).lintText(active, summary, { palette: file ? PLAIN : ctx.palette, colour: !file && ctx.colour, width: 120 }));
    }
    await sink.flush();
  } finally {
    file?.close();
  }

  if (loadErrors) return EXIT_USAGE;
  const threshold = failOn === 'none' ? Infinity : SEVERITY_RANK[failOn as Severity];
  const failing = active.some((f) => SEVERITY_RANK[f.severity] >= threshold);
  const tooManyWarnings = maxWarnings !== undefined && summary.warning > maxWarnings;
  return failing || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * File, line, column, then the more severe first, then rule. Compared field by field: building a key per
 * comparison cost a million short-lived arrays on 52,000 findings.
 */
function inReadingOrder(a: ReportedFinding, b: ReportedFinding): number {
  return compare(a.file ?? '\uffff', b.file ?? '\uffff') || compare(a.line ?? 0, b.line ?? 0) || compare(a.column ?? 0, b.column ?? 0)
    || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compare(a.rule, b.rule);
}

function compare<T extends string | number>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const relativeNames = new Map<string, string>();
const relative = (file: string) => {
  let name = relativeNames.get(file);
  if (name === undefined) {
    name = file.startsWith('<') || file.startsWith('cluster ') ? file : path.relative(process.cwd(), path.resolve(file)) || file;
    relativeNames.set(file, name);
  }
  return name;
};

/** Shared by the findings that have no related places (nearly all): nothing adds to it. */
const NO_RELATED: ReportedFinding['related'] = [];

/**
 * `namePositions` keeps where each object's name is: findings about a whole object point there, and an object often
 * has several (a workload not isolated for ingress, nor for egress, ...), each a walk through its file otherwise.
 */
function resolve(ctx: CommandContext, f: Finding, annotations: Map<string, Record<string, string>>, directives: DirectiveIndex, namePositions: Map<Origin, Position | undefined>): ReportedFinding {
  let pos: Position | undefined;
  if (f.path?.length) pos = ctx.position(f.origin, f.path);
  else if (f.origin) {
    pos = namePositions.get(f.origin);
    // A finding about a whole object points at its name: a small region that a pull request can annotate.
    if (pos === undefined && !namePositions.has(f.origin)) namePositions.set(f.origin, (pos = ctx.position(f.origin, ['metadata', 'name'])));
  }
  const file = f.origin ? relative(f.origin.file) : undefined;
  const pathText = f.path?.length ? formatPath(f.path) : '';
  const related = f.related?.length ? f.related.map((r) => {
    const p = ctx.position(r.origin, r.path ?? []);
    return { message: r.message, ...(r.origin ? { file: relative(r.origin.file) } : {}), ...(p ? { line: p.line, column: p.column } : {}), ...(r.object ? { object: r.object } : {}) };
  }) : NO_RELATED;
  // One literal with every field, absent ones undefined: set one by one afterwards, they went to a property store
  // that grew twice, and spread from small objects, they made four throwaway objects per finding.
  const out: ReportedFinding = {
    rule: f.rule, severity: f.severity, message: f.message,
    file: file && f.origin?.file !== '(assumed)' ? file : undefined,
    line: pos?.line, column: pos?.column, endLine: pos?.endLine, endColumn: pos?.endColumn,
    template: f.origin?.helmSource || undefined,
    object: f.object,
    path: pathText, related, fingerprint: fingerprintOf(f.rule, file, f.object, pathText, f.discriminator),
    suppressed: undefined,
  };
  const byAnnotation = f.object && annotations.size ? annotationSuppression(annotations.get(annotationKey(f.object as ObjectRef)), f.rule) : undefined;
  if (byAnnotation) out.suppressed = { kind: 'annotation', ...byAnnotation };
  else if (f.origin && !f.origin.live && pos) {
    // Most files have no directives: then the object's own position is not worth resolving.
    if (directives.has(f.origin.file)) {
      const objectStart = ctx.position(f.origin, [])?.line ?? pos.line;
      const byComment = directives.match(f.origin.file, f.rule, [pos.line, objectStart]);
      if (byComment) out.suppressed = { kind: 'comment', ...byComment };
    }
  }
  return out;
}

function readBaseline(file: string): Set<string> {
  let doc: { version?: number; findings?: { fingerprint?: string }[] };
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new UserError(`--baseline: ${file} is not a netpol baseline (${(err as Error).message})`);
  }
  if (doc.version !== 1 || !Array.isArray(doc.findings)) throw new UserError(`--baseline: ${file} is not a netpol baseline (version 1)`);
  return new Set(doc.findings.map((f) => String(f.fingerprint)));
}

function writeBaseline(file: string, findings: ReportedFinding[]): void {
  const doc = { version: 1, findings: findings.map((f) => ({ fingerprint: f.fingerprint, rule: f.rule, object: f.object ?? null, path: f.path, file: f.file ?? null })) };
  try {
    fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  } catch (err) {
    throw new UserError(`--baseline: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** `charts/**\/tests/*` style patterns against paths relative to the working folder. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`);
}
