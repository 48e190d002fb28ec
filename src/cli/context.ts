import { loadPaths, InputError } from '../load/files.js';
import { PositionResolver } from '../load/positions.js';
import type { LoadProblem } from '../load/types.js';
import { buildModel } from '../model/build.js';
import type { ClusterModel, Diagnostic } from '../model/types.js';
import { describeRef } from '../model/types.js';
import type { ChalkInstance } from 'chalk';
import { colourLevel, makeChalk } from './colour.js';
import { UserError } from './errors.js';

export interface GlobalOptions {
  output?: string;
  namespace?: string[];
  color?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** What every command gets: where to write, how to colour, and how to turn paths into a model. */
export class CommandContext {
  readonly chalk: ChalkInstance;
  readonly colour: boolean;
  private positions?: PositionResolver;

  constructor(readonly options: GlobalOptions, readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stdout, readonly stderr: NodeJS.WritableStream = process.stderr) {
    const level = colourLevel(options.color === false, process.env, !!(stdout as { isTTY?: boolean }).isTTY);
    this.chalk = makeChalk(level);
    this.colour = level > 0;
  }

  get defaultNamespace(): string {
    return this.options.namespace?.[0] ?? 'default';
  }

  /** Namespaces given with -n, used to limit what is shown; undefined when none were given. */
  get namespaceFilter(): Set<string> | undefined {
    return this.options.namespace?.length ? new Set(this.options.namespace) : undefined;
  }

  /**
   * Loads paths into a model and prints what went wrong or was skipped. `strict` makes errors fatal (exit 2):
   * commands whose answer would be wrong without the invalid objects. `skipInvalid` turns them into warnings.
   */
  async load(paths: string[], mode: { strict: boolean; skipInvalid?: boolean }): Promise<ClusterModel> {
    let loaded;
    try {
      loaded = await loadPaths(paths);
    } catch (err) {
      if (err instanceof InputError) throw new UserError(err.message);
      throw err;
    }
    this.positions = new PositionResolver(loaded.stdinText);
    const model = buildModel(loaded.objects, { defaultNamespace: this.defaultNamespace });
    const problems: Diagnostic[] = [...loaded.problems.map(fromLoadProblem), ...model.diagnostics];
    let errors = 0;
    for (const d of problems) {
      const demoted = mode.skipInvalid && d.severity === 'error';
      if (d.severity === 'error' && !demoted) errors++;
      if (this.options.quiet && d.severity !== 'error') continue;
      this.printDiagnostic(d, demoted ? 'skipped' : undefined);
    }
    if (mode.skipInvalid) {
      const skipped = model.policies.filter((p) => p.invalid).length;
      if (skipped) this.stderr.write(`note: ${skipped} invalid NetworkPolic${skipped === 1 ? 'y' : 'ies'} left out of the analysis (--skip-invalid)\n`);
    }
    if (errors && mode.strict) {
      throw new UserError(`${errors} error${errors === 1 ? '' : 's'} in the input; the analysis would be wrong without the objects above (use --skip-invalid to analyse the rest)`);
    }
    return model;
  }

  /** `file:line:col: severity: message [code]`, with the position resolved only now. */
  formatDiagnostic(d: Diagnostic, label?: string): string {
    let where = '';
    if (d.file) where = `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: `;
    else if (d.origin) {
      const pos = this.positions?.resolve(d.origin, d.path ?? []);
      where = `${d.origin.helmSource ? `${d.origin.helmSource} (rendered ` : ''}${d.origin.file}:${pos?.line ?? d.origin.docLine}:${pos?.column ?? 1}${d.origin.helmSource ? ')' : ''}: `;
    }
    const c = this.stderrChalk;
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

  private get stderrChalk(): ChalkInstance {
    const level = colourLevel(this.options.color === false, process.env, !!(this.stderr as { isTTY?: boolean }).isTTY);
    return makeChalk(level);
  }
}

function fromLoadProblem(p: LoadProblem): Diagnostic {
  return { severity: p.severity, code: p.severity === 'error' ? 'invalid-input' : 'skipped', message: p.message, file: p.file, line: p.line, column: p.column };
}
