// The live-cluster source against an in-process API server: full reads, paging, failures, and no secret leaks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import yaml from 'js-yaml';
import { run } from '../src/cli/main.js';
import { FakeApiServer, kubeconfig, pagedList, status, type Handler } from './apiserver.js';
import { examples } from './helpers.js';

const TOKEN = 'sekrit-token-4f9a0c';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cluster-'));
const outputs: string[] = [];

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function netpol(args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run([...args, '--no-color'], { stdout, stderr });
  outputs.push(stdout.text, stderr.text);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

// The recorded cluster: the live-dump example, as the API server would list it (items without kind).
const dump = yaml.load(fs.readFileSync(examples('live-dump/cluster.yaml'), 'utf8')) as { items: Record<string, unknown>[] };
const ofKind = (kind: string) => dump.items.filter((i) => i.kind === kind).map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
const normalRoutes = (): Record<string, Handler> => ({
  '/api/v1/namespaces': pagedList('Namespace', 'v1', ofKind('Namespace')),
  '/api/v1/pods': pagedList('Pod', 'v1', ofKind('Pod')),
  '/apis/networking.k8s.io/v1/networkpolicies': pagedList('NetworkPolicy', 'networking.k8s.io/v1', ofKind('NetworkPolicy')),
  '/api/v1/services': pagedList('Service', 'v1', ofKind('Service')),
  '/apis/apps/v1/replicasets': pagedList('ReplicaSet', 'apps/v1', []),
});

async function withServer(routes: Record<string, Handler>, body: (kubeconfigFile: string, server: FakeApiServer) => Promise<void>, tls?: { key: string; cert: string; ca?: string }) {
  const server = new FakeApiServer(routes, TOKEN, tls);
  const url = await server.start();
  const file = path.join(tmp, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, kubeconfig([{ name: 'test', server: url, token: TOKEN, ca: tls?.ca ?? tls?.cert }, { name: 'down', server: 'http://127.0.0.1:1', token: TOKEN }], 'test'));
  try {
    await body(file, server);
  } finally {
    await server.stop();
  }
}

const offline = async () => (await netpol(['matrix', examples('live-dump/cluster.yaml'), '-o', 'json'])).stdout;

test('a full read gives the same matrix as the same objects from a file', async () => {
  await withServer(normalRoutes(), async (kc) => {
    const live = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '-o', 'json']);
    assert.is(live.code, 0, live.stderr);
    assert.is(live.stdout, await offline());
  });
});

test('lists are read page by page through continue tokens', async () => {
  await withServer(normalRoutes(), async (kc, server) => {
    await netpol(['inspect', '--cluster', '--kubeconfig', kc, '-o', 'json']);
    const podPages = server.requests.filter((r) => r.path === '/api/v1/pods');
    assert.is(podPages.length, Math.ceil(ofKind('Pod').length / 2));
  });
});

test('only GET requests are sent, always with the credentials', async () => {
  await withServer(normalRoutes(), async (kc, server) => {
    await netpol(['matrix', '--cluster', '--kubeconfig', kc]);
    assert.ok(server.requests.length > 5);
    assert.ok(server.requests.every((r) => r.method === 'GET' && r.authorization === `Bearer ${TOKEN}`));
  });
});

test('a CRD that is not installed is skipped quietly', async () => {
  await withServer(normalRoutes(), async (kc, server) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc]);
    assert.ok(server.requests.some((q) => q.path.includes('adminnetworkpolicies')));
    assert.not.match(r.stderr, /adminnetworkpolicies|404/);
  });
});

test('policy CRDs that are served are listed as not analysed yet', async () => {
  const routes = { ...normalRoutes(), '/apis/cilium.io/v2/ciliumnetworkpolicies': pagedList('CiliumNetworkPolicy', 'cilium.io/v2', [{ metadata: { name: 'l7', namespace: 'blog' }, spec: {} }]) };
  await withServer(routes, async (kc) => {
    assert.match((await netpol(['matrix', '--cluster', '--kubeconfig', kc])).stderr, /not analysed yet: 1 CiliumNetworkPolicy/);
  });
});

test('a forbidden optional resource is reported and the analysis continues', async () => {
  const routes = { ...normalRoutes(), '/api/v1/services': () => status(403, 'Forbidden', 'services is forbidden: User "ci" cannot list resource "services"') };
  await withServer(routes, async (kc) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '-o', 'json']);
    assert.is(r.code, 0);
    assert.match(r.stderr, /forbidden \(403\): netpol needs list on services in all namespaces.*continuing: Service checks are skipped/);
  });
});

test('a forbidden required resource stops with the permission it needs', async () => {
  const routes = { ...normalRoutes(), '/api/v1/pods': () => status(403, 'Forbidden', 'pods is forbidden') };
  await withServer(routes, async (kc) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc]);
    assert.is(r.code, 2);
    assert.match(r.stderr, /forbidden \(403\): netpol needs list on pods in all namespaces, without which no matrix can be computed/);
    assert.match(r.stderr, /examples\/rbac\/clusterrole\.yaml/);
  });
});

test('an expired token is a clear 401 failure', async () => {
  await withServer(normalRoutes(), async (kc) => {
    fs.writeFileSync(kc, fs.readFileSync(kc, 'utf8').split(TOKEN).join('expired-token'));
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc]);
    assert.is(r.code, 2);
    assert.match(r.stderr, /rejected the credentials of context "test" \(401 Unauthorized\)/);
  });
});

test('an unreachable server is named with its address', async () => {
  await withServer(normalRoutes(), async (kc) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '--context', 'down']);
    assert.is(r.code, 2);
    assert.match(r.stderr, /cannot reach the API server at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  });
});

test('an unknown context lists the known ones', async () => {
  await withServer(normalRoutes(), async (kc) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '--context', 'prod']);
    assert.equal([r.code, r.stderr.trim()], [2, 'netpol: context "prod" is not in the kubeconfig (known: test, down)']);
  });
});

test('a slow API server hits --request-timeout', async () => {
  const routes = { ...normalRoutes(), '/api/v1/pods': () => ({ status: 200, body: {}, delayMs: 2000 }) };
  await withServer(routes, async (kc) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '--request-timeout', '200ms']);
    assert.is(r.code, 2);
    assert.match(r.stderr, /did not answer within 0\.2s \(raise --request-timeout\)/);
  });
});

test('429 and 5xx answers are retried with back-off', async () => {
  let calls = 0;
  const pods = pagedList('Pod', 'v1', ofKind('Pod'), 100);
  const routes = { ...normalRoutes(), '/api/v1/pods': (url: URL, req: any) => (++calls <= 2 ? status(calls === 1 ? 429 : 503, 'Busy', 'try again') : pods(url, req)) };
  await withServer(routes, async (kc) => {
    const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '-o', 'json']);
    assert.is(r.code, 0, r.stderr);
    assert.is(calls, 3);
  });
});

test('--save writes a List that gives the same result offline', async () => {
  await withServer(normalRoutes(), async (kc) => {
    const saved = path.join(tmp, 'saved.yaml');
    const live = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '--save', saved, '-o', 'json']);
    const again = await netpol(['matrix', saved, '-o', 'json']);
    assert.is(again.stdout, live.stdout);
    assert.not.ok(fs.readFileSync(saved, 'utf8').includes(TOKEN));
  });
});

test('lint reads a cluster too, naming objects instead of file positions', async () => {
  await withServer(normalRoutes(), async (kc) => {
    const r = await netpol(['lint', '--cluster', '--kubeconfig', kc, '-o', 'json', '--fail-on', 'none']);
    assert.is(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.findings.length > 0);
    assert.ok(doc.findings.every((f: { file: string; line: null }) => f.file === 'cluster test' && f.line === null));
    const sarif = JSON.parse((await netpol(['lint', '--cluster', '--kubeconfig', kc, '-o', 'sarif', '--fail-on', 'none'])).stdout);
    assert.ok(sarif.runs[0].results.every((x: { locations: { physicalLocation?: unknown }[] }) => !x.locations[0].physicalLocation));
  });
});

test('paths and --cluster together are a usage error', async () => {
  assert.is((await netpol(['matrix', '--cluster', examples('three-tier')])).code, 2);
});

const haveOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function selfSignedCertificate(): { key: string; cert: string } {
  const key = path.join(tmp, `key-${Math.random().toString(36).slice(2)}.pem`);
  const cert = `${key}.crt`;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

if (haveOpenssl) {
  test('HTTPS with the cluster CA from the kubeconfig works', async () => {
    await withServer(normalRoutes(), async (kc) => {
      const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc, '-o', 'json']);
      assert.is(r.code, 0, r.stderr);
      assert.is(r.stdout, await offline());
    }, selfSignedCertificate());
  });

  test('a certificate the kubeconfig does not trust is a TLS problem', async () => {
    const other = selfSignedCertificate();
    await withServer(normalRoutes(), async (kc) => {
      const r = await netpol(['matrix', '--cluster', '--kubeconfig', kc]);
      assert.is(r.code, 2);
      assert.match(r.stderr, /TLS problem talking to https:\/\/127\.0\.0\.1:\d+/);
    }, { ...selfSignedCertificate(), ca: other.cert });
  });
}

test('no output of any test above contains the token', () => {
  assert.ok(outputs.length > 20);
  for (const o of outputs) assert.not.ok(o.includes(TOKEN), o);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
