import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSource } from '../src/load/parse.js';
import { buildModel } from '../src/model/build.js';
import type { ClusterModel } from '../src/model/types.js';
import { Engine } from '../src/analyze/engine.js';
import { matrixEndpoints, connections, type MatrixEndpoint } from '../src/analyze/matrix.js';
import { formatConn } from '../src/analyze/ports.js';

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const examples = (name: string) => path.join(root, 'examples', name);
export const fixture = (name: string) => path.join(root, 'test', 'fixtures', name);

/** A model from inline YAML, as the CLI would build it. */
export function modelOf(yaml: string, defaultNamespace = 'default'): ClusterModel {
  const { objects, problems } = parseSource('inline.yaml', yaml, false);
  if (problems.some((p) => p.severity === 'error')) throw new Error(problems.map((p) => p.message).join('\n'));
  return buildModel(objects, { defaultNamespace });
}

export function engineOf(yaml: string, ipBlockMatchesPods = false): { engine: Engine; endpoints: MatrixEndpoint[] } {
  const engine = new Engine(modelOf(yaml), { ipBlockMatchesPods });
  return { engine, endpoints: matrixEndpoints(engine) };
}

/** The matrix as `SRC => DST : CONN` lines, the way people read it. */
export function matrixLines(yaml: string, ipBlockMatchesPods = false): string[] {
  const { engine, endpoints } = engineOf(yaml, ipBlockMatchesPods);
  return [...connections(engine, endpoints)].map((c) => `${c.src.id} => ${c.dst.id} : ${formatConn(c.conn)}`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/netpol as a user would, with a clean colour environment unless told otherwise. */
export function netpol(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string; nodeArgs?: string[] } = {}): CliResult {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), path.join(root, 'bin', 'netpol'), ...args], {
    cwd: options.cwd ?? root, input: options.input ?? '', encoding: 'utf8', env: { ...env, ...options.env }, maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A namespace, pods and policies in a few lines: `pod('a', 'web', {app: 'web'})`. */
export function ns(name: string, labels: Record<string, string> = {}): string {
  return `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;
}

export function pod(namespace: string, name: string, labels: Record<string, string>, extra: { ports?: { name?: string; containerPort: number; protocol?: string }[]; ip?: string; hostNetwork?: boolean } = {}): string {
  return `---\n${JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels },
    spec: { hostNetwork: extra.hostNetwork ?? false, containers: [{ name: 'c', image: 'x', ports: extra.ports ?? [] }] },
    status: extra.ip ? { phase: 'Running', podIP: extra.ip } : {},
  })}\n`;
}

export function policy(namespace: string, name: string, spec: unknown): string {
  return `---\n${JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec })}\n`;
}
