import { loadPaths, InputError } from '../load/files.js';
import { PositionResolver } from '../load/positions.js';
import { SourceTexts } from '../load/sources.js';
import type { LoadProblem, LoadResult } from '../load/types.js';
import { buildModel } from '../model/build.js';
import type { ClusterModel, Diagnostic } from '../model/types.js';
import { describeRef } from '../model/types.js';
import type { Palette } from '../report/text.js';
import { PLAIN, colourLevel, paletteFor } from './colour.js';
import { UserError } from './errors.js';
import { tuneCompilerFor } from './compiler-tuning.js';

export interface LoadMode {
  /** Errors stop the command (exit 2): commands whose answer would be wrong without the invalid objects. */
  strict: boolean;
  skipInvalid?: boolean;
  /** Diagnostic codes reported as lint findings instead of on stderr. */
  asFindings?: Set<string>;
  /** Files whose objects are left out (configuration `ignorePaths`). */
  ignoreFile?: (file: string) => boolean;
  /** The command reports positions for many objects: keep the texts rather than read them again. */
  keepTexts?: boolean;
}

export interface GlobalOptions {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
  save?: string;
  output?: string;
  namespace?: string[];
  color?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** What every command gets: where to write, how to colour, and how to turn paths into a model. */
export class CommandContext {
  readonly colour: boolean;
  private positions?: PositionResolver;
  /** Errors found by the last load (syntax errors and invalid objects), whether or not they were fatal. */
  inputErrors = 0;
  /** The input's texts, for positions and comment directives (lint keeps them from loading). */
  sources = new SourceTexts();
  /** Namespace from the configuration file, used when -n is not given. */
  configNamespace?: string;

  /** Decides colour for stdout and for stderr (one may be a terminal while the other is piped). */
  static async create(options: GlobalOptions, stdout: CommandContext['stdout'] = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<CommandContext> {
    const levelOf = (stream: NodeJS.WritableStream) => colourLevel(options.color === false, process.env, !!(stream as { isTTY?: boolean }).isTTY);
    return new CommandContext(options, stdout, stderr, await paletteFor(levelOf(stdout)), await paletteFor(levelOf(stderr)));
  }

  private constructor(
    readonly options: GlobalOptions,
    readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    readonly stderr: NodeJS.WritableStream,
    readonly palette: Palette,
    private readonly stderrPalette: Palette,
  ) {
    this.colour = palette !== PLAIN;
  }

  get defaultNamespace(): string {
    return this.options.namespace?.[0] ?? this.configNamespace ?? 'default';
  }

  /** Resolves a position for reports (lint findings), or undefined for objects without a file. */
  position(origin: Diagnostic['origin'], path: (string | number)[] = []) {
    if (!origin || origin.live) return undefined;
    return this.positions?.resolve(origin, path);
  }

  /** Namespaces given with -n, used to limit what is shown; undefined when none were given. */
  get namespaceFilter(): Set<string> | undefined {
    return this.options.namespace?.length ? new Set(this.options.namespace) : undefined;
  }

  /**
   * Loads paths into a model and prints what went wrong or was skipped. `strict` makes errors fatal (exit 2):
   * commands whose answer would be wrong without the invalid objects. `skipInvalid` turns them into warnings.
   */
  async load(paths: string[], mode: LoadMode): Promise<ClusterModel> {
    const loaded = this.options.cluster ? await this.loadLive(paths) : await this.loadFiles(paths, !!mode.keepTexts);
    this.sources = new SourceTexts({ kept: loaded.texts, stdinText: loaded.stdinText, json: loaded.jsonSources });
    this.positions = new PositionResolver(this.sources);
    const objects = mode.ignoreFile ? loaded.objects.filter((o) => !mode.ignoreFile!(o.origin.file)) : loaded.objects;
    await tuneCompilerFor(objects.length);
    const model = buildModel(objects, { defaultNamespace: this.defaultNamespace });
    // Codes that the lint rules report as findings are not repeated as diagnostics.
    const problems: Diagnostic[] = [...loaded.problems.map(fromLoadProblem), ...model.diagnostics.filter((d) => !mode.asFindings?.has(d.code))];
    let errors = 0;
    for (const d of this.sortByPosition(problems)) {
      const demoted = mode.skipInvalid && d.severity === 'error';
      if (d.severity === 'error' && !demoted) errors++;
      if (this.options.quiet && d.severity !== 'error') continue;
      this.printDiagnostic(d, demoted ? 'skipped' : undefined);
    }
    this.inputErrors = problems.filter((d) => d.severity === 'error').length;
    if (mode.skipInvalid) {
      const skipped = model.policies.filter((p) => p.invalid).length;
      if (skipped) this.stderr.write(`note: ${skipped} invalid NetworkPolic${skipped === 1 ? 'y' : 'ies'} left out of the analysis (--skip-invalid)\n`);
    }
    if (errors && mode.strict) {
      throw new UserError(`${errors} error${errors === 1 ? '' : 's'} in the input; the analysis would be wrong without the objects above (use --skip-invalid to analyse the rest)`);
    }
    return model;
  }

  /** Diagnostics in reading order (file, line, column); those without a place keep their order, last. */
  private sortByPosition(list: Diagnostic[]): Diagnostic[] {
    const placed = list.map((d, i) => ({ d, i, at: this.where(d) }));
    placed.sort((a, b) => {
      if (!a.at || !b.at) return (a.at ? 0 : 1) - (b.at ? 0 : 1) || a.i - b.i;
      return a.at.file < b.at.file ? -1 : a.at.file > b.at.file ? 1 : a.at.line - b.at.line || a.at.column - b.at.column || a.i - b.i;
    });
    return placed.map((p) => p.d);
  }

  private where(d: Diagnostic): { file: string; line: number; column: number } | undefined {
    if (d.file) return { file: d.file, line: d.line ?? 0, column: d.column ?? 0 };
    if (!d.origin) return undefined;
    if (d.origin.live) return { file: d.origin.file, line: 0, column: 0 };
    const pos = this.positions?.resolve(d.origin, d.path ?? []);
    return { file: d.origin.file, line: pos?.line ?? d.origin.docLine, column: pos?.column ?? 1 };
  }

  private async loadFiles(paths: string[], keepTexts: boolean): Promise<LoadResult> {
    if (this.options.save) throw new UserError('--save goes with --cluster');
    try {
      return await loadPaths(paths, { keepTexts });
    } catch (err) {
      if (err instanceof InputError) throw new UserError(err.message);
      throw err;
    }
  }

  private async loadLive(paths: string[]): Promise<LoadResult> {
    if (paths.length) throw new UserError('give manifest paths or --cluster, not both');
    const { loadCluster, ClusterError } = await import('../load/cluster.js');
    const tty = !!(this.stderr as { isTTY?: boolean }).isTTY;
    try {
      const result = await loadCluster({
        kubeconfig: this.options.kubeconfig,
        context: this.options.context,
        requestTimeoutMs: parseDuration(this.options.requestTimeout ?? '30s'),
        progress: tty ? (line) => this.stderr.write(`\r${line}\u001b[K`) : undefined,
      });
      if (this.options.save) {
        const { saveAsList } = await import('../load/save.js');
        saveAsList(this.options.save, result.objects);
        if (!this.options.quiet) this.stderr.write(`note: saved ${result.objects.length} objects from ${result.source} to ${this.options.save}\n`);
      }
      return result;
    } catch (err) {
      if (err instanceof ClusterError) throw new UserError(err.message);
      throw err;
    }
  }

  /** `file:line:col: severity: message [code]`, with the position resolved only now. */
  formatDiagnostic(d: Diagnostic, label?: string): string {
    let where = '';
    const at = this.where(d);
    if (at) {
      const place = `${at.file}${at.line ? `:${at.line}:${at.column || 1}` : ''}`;
      where = d.origin?.helmSource ? `${d.origin.helmSource} (rendered ${place}): ` : `${place}: `;
    }
    const c = this.stderrPalette;
    const sev = label ?? d.severity;
    const colourSev = d.severity === 'error' && !label ? c.red(sev) : d.severity === 'warning' || label ? c.yellow(sev) : c.cyan('note');
    const object = d.object && d.origin ? ` (${describeRef(d.object)})` : '';
    return `${where}${colourSev}: ${d.message}${object} ${c.dim(`[${d.code}]`)}`;
  }

  printDiagnostic(d: Diagnostic, label?: string): void {
    this.stderr.write(`${this.formatDiagnostic(d, label)}\n`);
  }

  /** Position of an object (or a path in it) for reports: `file:line`. */
  locate(origin: Diagnostic['origin'], path: (string | number)[] = []): { file: string; line: number; column: number } | undefined {
    if (!origin) return undefined;
    const pos = this.positions?.resolve(origin, path);
    return { file: origin.file, line: pos?.line ?? origin.docLine, column: pos?.column ?? 1 };
  }

}

/** `30s`, `2m`, `500ms`, or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new UserError(`--request-timeout: "${text}" is not a duration such as 30s, 2m or 500ms`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

function fromLoadProblem(p: LoadProblem): Diagnostic {
  return { severity: p.severity, code: p.severity === 'error' ? 'invalid-input' : 'skipped', message: p.message, file: p.file, line: p.line, column: p.column };
}
