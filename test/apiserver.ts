// An in-process stand-in for the Kubernetes API server: recorded list responses served the way the real one
// serves them (typed lists without item kinds, `continue` paging, Status objects for errors).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export type Handler = (url: URL, req: http.IncomingMessage) => { status: number; body: unknown; delayMs?: number };

export const status = (code: number, reason: string, message: string) => ({
  status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
});

/** A list endpoint that returns `pageSize` items per page, whatever limit the client asks for. */
export function pagedList(kind: string, apiVersion: string, items: unknown[], pageSize = 2): Handler {
  return (url) => {
    const start = Number(url.searchParams.get('continue') ?? 0);
    const next = start + pageSize < items.length ? String(start + pageSize) : undefined;
    return { status: 200, body: { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) }, items: items.slice(start, start + pageSize) } };
  };
}

export class FakeApiServer {
  readonly requests: { method: string; path: string; authorization?: string }[] = [];
  private server?: http.Server;

  constructor(private routes: Record<string, Handler>, private token: string, private tls?: { key: string; cert: string }) {}

  async start(): Promise<string> {
    const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      this.requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization });
      let reply: ReturnType<Handler>;
      if (req.headers.authorization !== `Bearer ${this.token}`) reply = status(401, 'Unauthorized', 'Unauthorized');
      else {
        const route = this.routes[url.pathname];
        reply = route ? route(url, req) : status(404, 'NotFound', 'the server could not find the requested resource');
      }
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    };
    this.server = this.tls ? https.createServer(this.tls, handle) : http.createServer(handle);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export function kubeconfig(contexts: { name: string; server: string; token: string; ca?: string }[], current: string): string {
  const clusterOf = (c: (typeof contexts)[number]) => (c.server.startsWith('http:') ? { server: c.server, 'insecure-skip-tls-verify': true } : { server: c.server, 'certificate-authority-data': Buffer.from(c.ca ?? '').toString('base64') });
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': current,
    clusters: contexts.map((c) => ({ name: c.name, cluster: clusterOf(c) })),
    users: contexts.map((c) => ({ name: c.name, user: { token: c.token } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  });
}
