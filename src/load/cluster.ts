import http from 'node:http';
import https from 'node:https';
import { decodeText } from './decode.js';
import { importModule } from './import-module.js';
import type { LoadProblem, LoadResult, RawObject } from './types.js';

/**
 * Reads a running cluster, read-only. The official client (loaded only here, because it costs most of a second)
 * supplies what the kubeconfig says about the server and credentials: tokens, client certificates, exec plugins,
 * OIDC, in-cluster service accounts. The list calls themselves are plain GETs made here, so that paging, time-outs,
 * retries and the wording of every failure are under our control, and nothing but get/list is ever sent.
 */
export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  requestTimeoutMs: number;
  /** Called with a short status line while listing (the CLI shows it only on a terminal). */
  progress?: (line: string) => void;
  /** Attempts per request for 429, 5xx and dropped connections. */
  attempts?: number;
  /** Base of the exponential back-off, in milliseconds. */
  backoffMs?: number;
  pageSize?: number;
}

/** A failure that stops the analysis; its message says what to do. Never contains credentials. */
export class ClusterError extends Error {}

interface Resource {
  path: string;
  kind: string;
  apiVersion: string;
  /** What the analysis cannot do without it; required resources stop the run when they cannot be listed. */
  needed: 'required' | string;
  /** A CRD that may simply not be installed: 404 is skipped quietly. */
  crd?: boolean;
}

const RESOURCES: Resource[] = [
  { path: '/api/v1/namespaces', kind: 'Namespace', apiVersion: 'v1', needed: 'required' },
  { path: '/api/v1/pods', kind: 'Pod', apiVersion: 'v1', needed: 'required' },
  { path: '/apis/networking.k8s.io/v1/networkpolicies', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', needed: 'required' },
  { path: '/api/v1/services', kind: 'Service', apiVersion: 'v1', needed: 'Service checks are skipped' },
  { path: '/apis/apps/v1/replicasets', kind: 'ReplicaSet', apiVersion: 'apps/v1', needed: 'pods are grouped by pod-template-hash only' },
  { path: '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies', kind: 'AdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', needed: 'AdminNetworkPolicies are not listed', crd: true },
  { path: '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies', kind: 'BaselineAdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', needed: 'BaselineAdminNetworkPolicies are not listed', crd: true },
  { path: '/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies', kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', needed: 'ClusterNetworkPolicies are not listed', crd: true },
  { path: '/apis/crd.projectcalico.org/v1/networkpolicies', kind: 'NetworkPolicy', apiVersion: 'crd.projectcalico.org/v1', needed: 'Calico policies are not listed', crd: true },
  { path: '/apis/crd.projectcalico.org/v1/globalnetworkpolicies', kind: 'GlobalNetworkPolicy', apiVersion: 'crd.projectcalico.org/v1', needed: 'Calico policies are not listed', crd: true },
  { path: '/apis/cilium.io/v2/ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', apiVersion: 'cilium.io/v2', needed: 'Cilium policies are not listed', crd: true },
  { path: '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies', kind: 'CiliumClusterwideNetworkPolicy', apiVersion: 'cilium.io/v2', needed: 'Cilium policies are not listed', crd: true },
];

/** The RBAC the live source needs, for error messages and the README. */
export const REQUIRED_RBAC = 'list on namespaces, pods and services (core), replicasets (apps) and networkpolicies (networking.k8s.io), cluster-wide';

interface Connection {
  server: URL;
  context: string;
  request: https.RequestOptions;
}

export async function loadCluster(options: ClusterOptions): Promise<LoadResult & { source: string }> {
  const conn = await connect(options);
  const objects: RawObject[] = [];
  const problems: LoadProblem[] = [];
  const source = `cluster ${conn.context}`;
  for (const r of RESOURCES) {
    let items: Record<string, unknown>[];
    try {
      items = await listAll(conn, r, options);
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      if (err.status === 404 && r.crd) continue; // not installed
      if (r.needed === 'required' || err.status === 401) throw new ClusterError(statusMessage(err, r, conn));
      problems.push({ severity: 'warning', file: source, message: `${statusMessage(err, r, conn)}; continuing: ${r.needed}` });
      continue;
    }
    items.forEach((body, i) => {
      objects.push({ apiVersion: r.apiVersion, kind: r.kind, body: { apiVersion: r.apiVersion, kind: r.kind, ...body }, origin: { file: source, docIndex: 0, docLine: 0, pathPrefix: ['items', i], live: true } });
    });
    options.progress?.('');
  }
  return { objects, problems, source };
}

async function connect(options: ClusterOptions): Promise<Connection> {
  const k8s = await importModule<typeof import('@kubernetes/client-node')>('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const why = err instanceof TypeError ? 'it is empty or not a kubeconfig' : firstLine(err);
    throw new ClusterError(`cannot read the kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ''}: ${why}`);
  }
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ClusterError(`context "${options.context}" is not in the kubeconfig (known: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new ClusterError('no cluster configured: set --kubeconfig or KUBECONFIG, create ~/.kube/config, or run inside a pod; or pipe `kubectl get namespaces,pods,networkpolicies,services -A -o yaml` into netpol with -');
  }
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new ClusterError(`the kubeconfig's server "${cluster.server}" is not a URL`);
  }
  const request: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(request);
  } catch (err) {
    throw new ClusterError(`cannot get credentials for context "${kc.getCurrentContext()}": ${firstLine(err)}`);
  }
  return { server, context: kc.getCurrentContext() || '(in-cluster)', request };
}

class HttpStatusError extends Error {
  constructor(readonly status: number, readonly reason: string, readonly path: string) {
    super(`${status} ${reason}`);
  }
}

async function listAll(conn: Connection, r: Resource, options: ClusterOptions): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let continueToken: string | undefined;
  let restarts = 0;
  do {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? 500) });
    if (continueToken) query.set('continue', continueToken);
    let page: { items?: unknown[]; metadata?: { continue?: string } };
    try {
      page = (await getJson(conn, `${r.path}?${query}`, options)) as typeof page;
    } catch (err) {
      // 410 Gone: the continue token expired while paging a big list; start that list again, a bounded number of times.
      if (err instanceof HttpStatusError && err.status === 410 && restarts++ < 3) {
        items.length = 0;
        continueToken = undefined;
        continue;
      }
      throw err;
    }
    for (const item of page.items ?? []) if (item && typeof item === 'object') items.push(stripNoise(item as Record<string, unknown>));
    continueToken = page.metadata?.continue || undefined;
    options.progress?.(`listing ${r.kind.toLowerCase()}s: ${items.length}`);
  } while (continueToken);
  return items;
}

/** managedFields are large and say nothing about connectivity; dropping them keeps --save files readable. */
function stripNoise(item: Record<string, unknown>): Record<string, unknown> {
  const meta = item.metadata as Record<string, unknown> | undefined;
  if (meta && 'managedFields' in meta) {
    const { managedFields: _dropped, ...rest } = meta;
    return { ...item, metadata: rest };
  }
  return item;
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN']);

async function getJson(conn: Connection, path: string, options: ClusterOptions): Promise<unknown> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await getOnce(conn, path, options.requestTimeoutMs);
    } catch (err) {
      const retryable = (err instanceof HttpStatusError && (err.status === 429 || err.status >= 500)) || RETRYABLE_CODES.has((err as NodeJS.ErrnoException).code ?? '');
      if (!retryable || attempt >= attempts) {
        if (err instanceof HttpStatusError || err instanceof ClusterError) throw err;
        throw new ClusterError(networkMessage(err as NodeJS.ErrnoException, conn, options));
      }
      await new Promise((resolve) => setTimeout(resolve, (options.backoffMs ?? 250) * 2 ** (attempt - 1)));
    }
  }
}

function getOnce(conn: Connection, path: string, timeoutMs: number): Promise<unknown> {
  const url = new URL(path, conn.server);
  const base = conn.server.pathname.replace(/\/$/, '');
  if (base) url.pathname = base + url.pathname;
  const client = url.protocol === 'http:' ? http : https;
  const headers = { ...(conn.request.headers as Record<string, string> | undefined), Accept: 'application/json', 'User-Agent': 'netpol' };
  return new Promise((resolve, reject) => {
    const req = client.request(url, { ...conn.request, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = decodeText(Buffer.concat(chunks));
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          let reason = res.statusMessage ?? '';
          try {
            reason = JSON.parse(text).message ?? reason;
          } catch {
            /* not a Status object */
          }
          reject(new HttpStatusError(status, reason, url.pathname));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new ClusterError(`the API server sent something that is not JSON for ${url.pathname}`));
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'NETPOL_TIMEOUT' })));
    req.on('error', reject);
    req.end();
  });
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

function networkMessage(err: NodeJS.ErrnoException, conn: Connection, options: ClusterOptions): string {
  const where = conn.server.origin;
  const code = err.code ?? '';
  if (code === 'NETPOL_TIMEOUT') return `the API server at ${where} did not answer within ${options.requestTimeoutMs / 1000}s (raise --request-timeout)`;
  if (TLS_CODES.test(code)) return `TLS problem talking to ${where}: ${err.message} (${code}); check certificate-authority in the kubeconfig for context "${conn.context}"`;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
    return `cannot reach the API server at ${where} (${code}); is the cluster running, and is context "${conn.context}" the right one?`;
  }
  return `request to ${where} failed: ${firstLine(err)}`;
}

function statusMessage(err: HttpStatusError, r: Resource, conn: Connection): string {
  const what = `${r.kind === 'NetworkPolicy' && r.apiVersion !== 'networking.k8s.io/v1' ? `${r.apiVersion} ` : ''}${r.path.split('/').pop()}`;
  const group = r.apiVersion.includes('/') ? ` (${r.apiVersion.split('/')[0]})` : '';
  switch (err.status) {
    case 401:
      return `the API server at ${conn.server.origin} rejected the credentials of context "${conn.context}" (401 Unauthorized): they are missing or expired; log in again`;
    case 403:
      return `forbidden (403): netpol needs list on ${what}${group} in all namespaces${r.needed === 'required' ? ', without which no matrix can be computed' : ''}; it needs ${REQUIRED_RBAC} (see examples/rbac/clusterrole.yaml)`;
    case 404:
      return `the API server has no ${what}${group} (404)`;
    default:
      return `listing ${what} failed: ${err.status} ${err.reason}`;
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}
