// The walks and lists that rules share (src/rules/helpers.ts): what they visit, and in which order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { directionsInEffect, eachPeer, eachPort, eachRule } from '../src/rules/helpers.js';
import { engineOf, ns, policy } from './helpers.js';

const twoPolicies = ns('a') +
  policy('a', 'first', {
    podSelector: {}, policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 80 }] }],
    egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }],
  }) +
  policy('a', 'second', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}], egress: [{ to: [{ namespaceSelector: {} }] }] });

test('eachRule visits policies in order, ingress rules before egress, and skips directions policyTypes leaves out', () => {
  const { engine } = engineOf(twoPolicies);
  const seen: string[] = [];
  eachRule({ engine }, (r, cp) => seen.push(`${cp.policy.name} ${r.direction} ${r.rule.index}`));
  assert.equal(seen, ['first ingress 0', 'first egress 0', 'second egress 0']);
});

test('eachPeer visits every written peer and none of a rule that admits every peer', () => {
  const { engine } = engineOf(twoPolicies);
  const seen: string[] = [];
  eachPeer({ engine }, (peer, r, cp) => seen.push(`${cp.policy.name} ${r.direction} ${peer.path.join('.')}`));
  assert.equal(seen, ['first ingress spec.ingress.0.from.0', 'first ingress spec.ingress.0.from.1', 'second egress spec.egress.0.to.0']);
});

test('eachPort visits every written port entry and none of a rule for every port', () => {
  const { engine } = engineOf(twoPolicies);
  const seen: string[] = [];
  eachPort({ engine }, (port, _r, cp) => seen.push(`${cp.policy.name} ${port.protocol}/${port.port}`));
  assert.equal(seen, ['first TCP/80', 'first UDP/53', 'first TCP/53']);
});

test('directionsInEffect lists the directions of policyTypes, one shared list per combination', () => {
  const { engine } = engineOf(twoPolicies);
  const [first, second] = engine.policies.map((cp) => cp.policy);
  assert.equal(directionsInEffect(first), ['ingress', 'egress']);
  assert.equal(directionsInEffect(second), ['egress']);
  assert.is(directionsInEffect(second), directionsInEffect({ ...second }));
});

test.run();
