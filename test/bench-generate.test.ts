import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Engine } from '../src/analyze/engine.js';
import { connections, matrixEndpoints } from '../src/analyze/matrix.js';
import { formatConn } from '../src/analyze/ports.js';
import { collect } from '../src/load/parse.js';
import type { RawObject } from '../src/load/types.js';
import { buildModel } from '../src/model/build.js';
import { PROFILES, clusterDump, formsOf } from '../bench/generate.js';

type Obj = Record<string, any>;

function matrixOf(objects: Obj[]): string[] {
  const raw: RawObject[] = [];
  collect({ apiVersion: 'v1', kind: 'List', items: objects }, { file: 'bench.json', docIndex: 0, docLine: 1 }, raw, []);
  const engine = new Engine(buildModel(raw, { defaultNamespace: 'default' }), { ipBlockMatchesPods: false });
  return [...connections(engine, matrixEndpoints(engine))].map((c) => `${c.src.id} => ${c.dst.id} : ${formatConn(c.conn)}`);
}

test('the cluster dump of a profile has a ReplicaSet per Deployment and a Pod per replica, and no Deployments', () => {
  const manifests = PROFILES.small.objects();
  const dump = clusterDump(manifests);
  const count = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind).length;
  assert.is(count(dump, 'Deployment'), 0);
  assert.is(count(dump, 'ReplicaSet'), count(manifests, 'Deployment'));
  assert.is(count(dump, 'Pod'), PROFILES.small.pods);
  assert.is(count(dump, 'NetworkPolicy'), count(manifests, 'NetworkPolicy'));
});

test('pods of the cluster dump are owned by their ReplicaSet, which is owned by the Deployment', () => {
  const dump: Obj[] = clusterDump(PROFILES.small.objects());
  const pod = dump.find((o) => o.kind === 'Pod' && o.metadata.namespace === 'team-0')!;
  const rs = dump.find((o) => o.kind === 'ReplicaSet' && o.metadata.name === pod.metadata.ownerReferences[0].name)!;
  assert.is(rs.metadata.ownerReferences[0].kind, 'Deployment');
  assert.ok(rs.metadata.name.startsWith(`${rs.metadata.ownerReferences[0].name}-`));
  assert.is(pod.metadata.labels['pod-template-hash'], rs.metadata.name.slice(rs.metadata.ownerReferences[0].name.length + 1));
  assert.match(pod.status.podIP, /^10\.\d+\.\d+\.\d+$/);
});

test('the cluster dump is the same every time', () => {
  assert.equal(clusterDump(PROFILES.small.objects()), clusterDump(PROFILES.small.objects()));
});

test('the cluster dump groups back into the manifests\' endpoints: the same matrix, and the profile\'s pair count', () => {
  const manifests = PROFILES.small.objects();
  const fromManifests = matrixOf(manifests);
  assert.equal(matrixOf(clusterDump(manifests)), fromManifests);
  assert.is(fromManifests.length, PROFILES.small.expectedPairs);
});

test('a profile of bare pods has no cluster-dump form', () => {
  assert.ok(formsOf(PROFILES.small).includes('json-dump'));
  assert.not.ok(formsOf(PROFILES.dense).includes('json-dump'));
});

test.run();
