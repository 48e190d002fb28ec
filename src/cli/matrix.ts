import type { GroupedMatrix } from '../analyze/groups.js';
import { groupMatrix } from '../analyze/groups.js';
import { connections, connectionsBySource } from '../analyze/matrix.js';
import { Sink } from '../report/sink.js';
import { buildEngine, checkFormat, parsePortQuery } from './analysis.js';
import type { CommandContext } from './context.js';
import { EXIT_OK, UserError } from './errors.js';

export interface MatrixOptions {
  ipblockMatchesPods?: boolean;
  skipInvalid?: boolean;
  from?: string;
  to?: string;
  port?: string;
  external?: boolean;
  group?: boolean;
}

export const MATRIX_FORMATS = ['table', 'json', 'csv', 'md', 'dot'] as const;
const GROUPED_FORMATS = ['table', 'json', 'md', 'dot'] as const;

export async function matrixCommand(ctx: CommandContext, paths: string[], opts: MatrixOptions): Promise<number> {
  if (opts.group && (opts.from || opts.to)) throw new UserError('--group summarises the matrix between all endpoints shown; use --from/--to without it');
  const format = checkFormat(ctx.options.output, opts.group ? GROUPED_FORMATS : MATRIX_FORMATS, 'table');
  const port = opts.port ? parsePortQuery(opts.port) : undefined;
  const model = await ctx.load(paths, { strict: true, skipInvalid: opts.skipInvalid });
  const { engine, endpoints } = buildEngine(model, !!opts.ipblockMatchesPods);
  if (opts.group) {
    const shown = endpoints.filter((e) => (e.type === 'external' ? opts.external !== false : !ctx.namespaceFilter || ctx.namespaceFilter.has(e.endpoint!.namespace)));
    return writeGrouped(ctx, format, groupMatrix(engine, shown, { port }));
  }
  const filter = { namespaces: ctx.namespaceFilter, from: opts.from, to: opts.to, port, external: opts.external };
  const conns = () => connections(engine, endpoints, filter);
  const shown = endpoints.filter((e) => (e.type === 'external' ? opts.external !== false : !filter.namespaces || filter.namespaces.has(e.endpoint!.namespace)));
  const sink = new Sink(ctx.stdout);
  // Each format loads only its own reporter (the table one pulls in cli-table3).
  switch (format) {
    case 'json': await (await import('../report/json.js')).writeMatrixJson(sink, shown, connectionsBySource(engine, endpoints, filter, { sharedRuns: true })); break;
    case 'csv': await (await import('../report/csv.js')).writeMatrixCsv(sink, connectionsBySource(engine, endpoints, filter)); break;
    case 'md': await (await import('../report/md.js')).writeMatrixMarkdown(sink, conns()); break;
    case 'dot': await (await import('../report/dot.js')).writeMatrixDot(sink, shown, conns()); break;
    default: await (await import('../report/text.js')).writeMatrixText(sink, shown, conns(), { palette: ctx.palette, colour: ctx.colour, width: ctx.stdout.columns ?? 120 });
  }
  return EXIT_OK;
}

async function writeGrouped(ctx: CommandContext, format: string, grouped: GroupedMatrix): Promise<number> {
  const sink = new Sink(ctx.stdout);
  switch (format) {
    case 'json': await (await import('../report/json.js')).writeGroupedMatrixJson(sink, grouped); break;
    case 'md': await (await import('../report/md.js')).writeGroupedMatrixMarkdown(sink, grouped); break;
    case 'dot': await (await import('../report/dot.js')).writeGroupedMatrixDot(sink, grouped); break;
    default: await (await import('../report/text.js')).writeGroupedMatrixText(sink, grouped, { palette: ctx.palette, colour: ctx.colour, width: ctx.stdout.columns ?? 120 });
  }
  return EXIT_OK;
}
