import { connections } from '../analyze/matrix.js';
import { writeMatrixCsv } from '../report/csv.js';
import { writeMatrixDot } from '../report/dot.js';
import { writeMatrixJson } from '../report/json.js';
import { writeMatrixMarkdown } from '../report/md.js';
import { Sink } from '../report/sink.js';
import { writeMatrixText } from '../report/text.js';
import { buildEngine, checkFormat, parsePortQuery } from './analysis.js';
import type { CommandContext } from './context.js';
import { EXIT_OK } from './errors.js';

export interface MatrixOptions {
  ipblockMatchesPods?: boolean;
  skipInvalid?: boolean;
  from?: string;
  to?: string;
  port?: string;
  external?: boolean;
}

export const MATRIX_FORMATS = ['table', 'json', 'csv', 'md', 'dot'] as const;

export async function matrixCommand(ctx: CommandContext, paths: string[], opts: MatrixOptions): Promise<number> {
  const format = checkFormat(ctx.options.output, MATRIX_FORMATS, 'table');
  const port = opts.port ? parsePortQuery(opts.port) : undefined;
  const model = await ctx.load(paths, { strict: true, skipInvalid: opts.skipInvalid });
  const { engine, endpoints } = buildEngine(model, !!opts.ipblockMatchesPods);
  const filter = { namespaces: ctx.namespaceFilter, from: opts.from, to: opts.to, port, external: opts.external };
  const conns = connections(engine, endpoints, filter);
  const shown = endpoints.filter((e) => (e.type === 'external' ? opts.external !== false : !filter.namespaces || filter.namespaces.has(e.endpoint!.namespace)));
  const sink = new Sink(ctx.stdout);
  switch (format) {
    case 'json': await writeMatrixJson(sink, shown, conns); break;
    case 'csv': await writeMatrixCsv(sink, conns); break;
    case 'md': await writeMatrixMarkdown(sink, conns); break;
    case 'dot': await writeMatrixDot(sink, shown, conns); break;
    default: await writeMatrixText(sink, shown, conns, { chalk: ctx.chalk, colour: ctx.colour, width: ctx.stdout.columns ?? 120 });
  }
  return EXIT_OK;
}
