import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import type { MatrixEndpoint, SourceConnections } from '../src/analyze/matrix.js';
import { ALL_CONN, formatConn, type ConnSet } from '../src/analyze/ports.js';
import { endpointJson, writeMatrixJson } from '../src/report/json.js';
import { Sink } from '../src/report/sink.js';

/** External endpoints with the given ids: the writer reads only id, index and type from them. */
function endpoints(ids: string[]): MatrixEndpoint[] {
  return ids.map((id, index) => ({ index, id, type: 'external', nodes: [index], endpoint: undefined, external: { id, cidrs: [id], node: index }, hostNetwork: false }));
}

/** Every endpoint to every other one, source by source, as the lister hands them over. */
function* everyPair(all: MatrixEndpoint[]): Generator<SourceConnections> {
  for (const src of all) {
    const dsts = all.filter((e) => e !== src).map((e) => e.index);
    yield { src, dsts, conns: dsts.map(() => ALL_CONN), endpoints: all };
  }
}

async function matrixJson(ids: string[]): Promise<{ endpoints: { id: string }[]; connections: { src: string; dst: string }[] }> {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(Buffer.from(chunk)); done(); } });
  const all = endpoints(ids);
  await writeMatrixJson(new Sink(stream, 1 << 12), all, everyPair(all));
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

test('matrix JSON keeps ids that need escaping or are not ASCII exactly as they are', async () => {
  const ids = ['plain/a[Pod]', 'quote"d', 'back\\slash', 'tab\there', 'café', 'emoji 😀', 'lone \ud800 surrogate', 'line\u2028separator'];
  const doc = await matrixJson(ids);
  assert.equal(doc.endpoints.map((e) => e.id), ids);
  assert.is(doc.connections.length, ids.length * (ids.length - 1));
  const pairs = new Set(doc.connections.map((c) => `${c.src}\u0000${c.dst}`));
  for (const a of ids) for (const b of ids) if (a !== b) assert.ok(pairs.has(`${a}\u0000${b}`), `${a} -> ${b}`);
});

test('matrix JSON names every source and destination right past the first chunk of encoded ids', async () => {
  const ids = Array.from({ length: 1100 }, (_, i) => (i % 97 === 0 ? `é-${i}` : `ns-${i}/app[Deployment]`));
  const all = endpoints(ids);
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(Buffer.from(chunk)); done(); } });
  // A few sources, each to a spread of destinations, so that pieces are asked for out of order.
  function* someSources(): Generator<SourceConnections> {
    for (const s of [1099, 0, 513, 97]) {
      const dsts = [5, 511, 512, 1023, 1024, 1098].filter((d) => d !== s);
      yield { src: all[s], dsts, conns: dsts.map(() => ALL_CONN), endpoints: all };
    }
  }
  await writeMatrixJson(new Sink(stream, 1 << 12), all, someSources());
  const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { connections: { src: string; dst: string }[] };
  const expected = [1099, 0, 513, 97].flatMap((s) => [5, 511, 512, 1023, 1024, 1098].filter((d) => d !== s).map((d) => ({ src: ids[s], dst: ids[d] })));
  assert.equal(doc.connections.map(({ src, dst }) => ({ src, dst })), expected);
});

test('matrix JSON gives every line its own connection set when sets other than the first line\'s come and go', async () => {
  const ids = Array.from({ length: 6 }, (_, i) => `ns/app-${i}[Deployment]`);
  const all = endpoints(ids);
  const web: ConnSet = { TCP: [80, 80, 8080, 8090], UDP: [], SCTP: [] };
  const dns: ConnSet = { TCP: [53, 53], UDP: [53, 53], SCTP: [] };
  // The first line's set, then others, then the first again, for destinations met before under another set.
  const plan: ConnSet[][] = [[ALL_CONN, web, ALL_CONN, dns, ALL_CONN], [web, web, ALL_CONN, ALL_CONN, dns], [dns, ALL_CONN, web, dns, ALL_CONN]];
  function* sources(): Generator<SourceConnections> {
    for (let s = 0; s < plan.length; s++) {
      const dsts = all.filter((e) => e.index !== s).map((e) => e.index);
      yield { src: all[s], dsts, conns: plan[s], endpoints: all };
    }
  }
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(Buffer.from(chunk)); done(); } });
  await writeMatrixJson(new Sink(stream, 1 << 12), all, sources());
  const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { connections: { src: string; dst: string; protocols: Record<string, number[][]>; summary: string }[] };
  const expected = plan.flatMap((conns, s) => all.filter((e) => e.index !== s).map((e, i) => ({ src: ids[s], dst: e.id, summary: formatConn(conns[i]) })));
  assert.equal(doc.connections.map(({ src, dst, summary }) => ({ src, dst, summary })), expected);
  assert.equal(doc.connections[1].protocols, { TCP: [[80, 80], [8080, 8090]], UDP: [], SCTP: [] });
});

/** A Deployment endpoint of the matrix whose pods carry these labels. */
function workload(podLabels: Record<string, string>[]): MatrixEndpoint {
  const members = podLabels.map((labels) => ({ labels, ports: [], hostNetwork: false, ips: [] }));
  const endpoint = { id: 'a/web[Deployment]', kind: 'Deployment', namespace: 'a', name: 'web', members, replicas: null, origin: { file: 'x', docIndex: 0, docLine: 1, pathPrefix: [] } };
  return { index: 0, id: endpoint.id, type: 'workload', nodes: [0], endpoint, hostNetwork: false };
}

test('an endpoint\'s labels are those all its pods have with the same value, shared label objects or not', () => {
  const shared = { app: 'web', 'pod-template-hash': 'h1' };
  assert.equal(endpointJson(workload([shared, shared])).labels, shared);
  assert.equal(endpointJson(workload([{ app: 'web', v: '1' }, { app: 'web', v: '2' }, { v: '1', app: 'web' }])).labels, { app: 'web' });
});

test('a grouped endpoint names its group last', () => {
  assert.equal(Object.keys(endpointJson(workload([{ app: 'web' }]), 'g1')), ['id', 'type', 'namespace', 'name', 'kind', 'labels', 'group']);
});

test.run();
