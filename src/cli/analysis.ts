import { Engine } from '../analyze/engine.js';
import type { MatrixEndpoint } from '../analyze/matrix.js';
import { endpointMatches, matrixEndpoints } from '../analyze/matrix.js';
import { parseIp } from '../model/cidr.js';
import type { ClusterModel, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import { UserError } from './errors.js';

export function buildEngine(model: ClusterModel, ipBlockMatchesPods: boolean): { engine: Engine; endpoints: MatrixEndpoint[] } {
  const engine = new Engine(model, { ipBlockMatchesPods });
  return { engine, endpoints: matrixEndpoints(engine) };
}

/** Resolves what the user typed for an endpoint: an id, `ns/name`, or an IP address (a pod's, else external). */
export function resolveEndpoint(engine: Engine, endpoints: MatrixEndpoint[], text: string): { endpoint: MatrixEndpoint; node: number } {
  const matches = endpoints.filter((e) => endpointMatches(e, text));
  if (matches.length > 1) throw new UserError(`"${text}" names several endpoints: ${matches.map((e) => e.id).join(', ')}; give the kind, e.g. ${matches[0].id}`);
  if (matches.length === 1) return { endpoint: matches[0], node: matches[0].nodes[0] };
  const ip = parseIp(text);
  if (ip) {
    const pod = endpoints.find((e) => e.endpoint?.members.some((m) => m.ips.some((x) => parseIp(x)?.value === ip.value && parseIp(x)?.family === ip.family)));
    if (pod) return { endpoint: pod, node: pod.nodes[0] };
    const atom = engine.space.atomOf(ip);
    const ext = endpoints.find((e) => e.type === 'external' && engine.nodes[e.nodes[0]].atoms.includes(atom));
    if (ext) return { endpoint: ext, node: ext.nodes[0] };
  }
  const known = endpoints.filter((e) => e.type !== 'external').slice(0, 8).map((e) => e.id);
  throw new UserError(`unknown endpoint "${text}"; use an id such as ${known.join(', ') || '(none loaded)'}, ns/name, or an IP address`);
}

/** `8080`, `53/UDP`, `53/udp`. */
export function parsePortQuery(text: string, protocolFlag?: string): { port: number; protocol?: Protocol } {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text.trim());
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UserError(`--port: "${text}" is not a port (1-65535), optionally with /TCP, /UDP or /SCTP`);
  const proto = (m[2] ?? protocolFlag)?.toUpperCase();
  if (proto !== undefined && !PROTOCOLS.includes(proto as Protocol)) throw new UserError(`protocol "${proto}" is not TCP, UDP or SCTP`);
  return { port, protocol: proto as Protocol | undefined };
}

export function checkFormat(format: string | undefined, allowed: readonly string[], fallback: string): string {
  const f = format ?? fallback;
  if (!allowed.includes(f)) throw new UserError(`-o ${f}: not a format of this command (choose ${allowed.join(', ')})`);
  return f;
}
