import { inspectModel } from '../analyze/inspect.js';
import { inspectJson } from '../report/json.js';
import { inspectText } from '../report/text.js';
import { buildEngine, checkFormat } from './analysis.js';
import type { CommandContext } from './context.js';
import { EXIT_OK, EXIT_USAGE } from './errors.js';

export async function inspectCommand(ctx: CommandContext, paths: string[], opts: { skipInvalid?: boolean }): Promise<number> {
  const format = checkFormat(ctx.options.output, ['text', 'json'], 'text');
  const model = await ctx.load(paths, { strict: false, skipInvalid: opts.skipInvalid });
  const { engine } = buildEngine(model, false);
  const report = inspectModel(engine, (o) => ctx.locate(o));
  const ns = ctx.namespaceFilter;
  if (ns) {
    report.endpoints = report.endpoints.filter((e) => ns.has(e.namespace));
    report.policies = report.policies.filter((p) => ns.has(p.namespace));
    report.isolation = report.isolation.filter((i) => ns.has(i.endpoint.split('/')[0]));
    report.namespaces = report.namespaces.filter((n) => ns.has(n.name));
  }
  ctx.stdout.write(format === 'json' ? inspectJson(report) : inspectText(report, { palette: ctx.palette, colour: ctx.colour, width: ctx.stdout.columns ?? 120 }));
  return ctx.inputErrors && !opts.skipInvalid ? EXIT_USAGE : EXIT_OK;
}
