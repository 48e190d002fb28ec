import { explainPair } from '../analyze/explain.js';
import { explanationJson } from '../report/json.js';
import { explanationText } from '../report/text.js';
import { buildEngine, checkFormat, parsePortQuery, resolveEndpoint } from './analysis.js';
import type { CommandContext } from './context.js';
import { EXIT_OK } from './errors.js';

export interface ExplainOptions {
  port?: string;
  protocol?: string;
  ipblockMatchesPods?: boolean;
  skipInvalid?: boolean;
}

export async function explainCommand(ctx: CommandContext, src: string, dst: string, paths: string[], opts: ExplainOptions): Promise<number> {
  const format = checkFormat(ctx.options.output, ['text', 'json'], 'text');
  const port = opts.port ? parsePortQuery(opts.port, opts.protocol) : undefined;
  if (!port && opts.protocol) parsePortQuery('1', opts.protocol); // validates the protocol
  const model = await ctx.load(paths, { strict: true, skipInvalid: opts.skipInvalid });
  const { engine, endpoints } = buildEngine(model, !!opts.ipblockMatchesPods);
  const s = resolveEndpoint(engine, endpoints, src);
  const d = resolveEndpoint(engine, endpoints, dst);
  const query = port ? { port: port.port, protocol: port.protocol ?? 'TCP' } : undefined;
  const x = explainPair(engine, s.node, d.node, query);
  if (format === 'json') ctx.stdout.write(explanationJson(s.endpoint.id, d.endpoint.id, x));
  else {
    const locate = (p: { origin: Parameters<typeof ctx.locate>[0] }, path: (string | number)[] = []) => {
      const l = ctx.locate(p.origin, path);
      return l ? `${l.file}:${l.line}` : '?';
    };
    ctx.stdout.write(explanationText(s.endpoint.id, d.endpoint.id, x, { palette: ctx.palette, colour: ctx.colour, width: ctx.stdout.columns ?? 120 }, locate));
  }
  return EXIT_OK;
}
