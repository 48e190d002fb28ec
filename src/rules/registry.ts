import type { Rule } from './types.js';
import invalidResourceShape from './invalid-resource-shape.js';
import invalidPeer from './invalid-peer.js';
import invalidPort from './invalid-port.js';
import invalidIpblock from './invalid-ipblock.js';
import invalidSelectorOrPolicyTypes from './invalid-selector-or-policy-types.js';
import duplicatePolicyName from './duplicate-policy-name.js';
import missingNamespace from './missing-namespace.js';
import rulesIgnoredByPolicyTypes from './rules-ignored-by-policy-types.js';
import implicitPolicyTypes from './implicit-policy-types.js';
import danglingPolicy from './dangling-policy.js';
import danglingPeerSelector from './dangling-peer-selector.js';
import namespaceSelectorLabel from './namespace-selector-label.js';
import peerOrVsAnd from './peer-or-vs-and.js';
import namedPortUnresolved from './named-port-unresolved.js';
import portTargetsServicePort from './port-targets-service-port.js';
import hostnetworkPodSelected from './hostnetwork-pod-selected.js';
import serviceBackendUnreachable from './service-backend-unreachable.js';
import nonIsolatedPod from './non-isolated-pod.js';
import namespaceMissingDefaultDeny from './namespace-missing-default-deny.js';
import ingressOnlyIsolation from './ingress-only-isolation.js';
import allowAllPeers from './allow-all-peers.js';
import allowFromAllNamespaces from './allow-from-all-namespaces.js';
import ipblockWorld from './ipblock-world.js';
import egressToCloudMetadata from './egress-to-cloud-metadata.js';
import broadOrSensitivePorts from './broad-or-sensitive-ports.js';
import blanketPolicySelectsSystemPods from './blanket-policy-selects-system-pods.js';
import egressBlocksDns from './egress-blocks-dns.js';
import dnsRuleMisconfigured from './dns-rule-misconfigured.js';
import targetFullyIsolated from './target-fully-isolated.js';
import redundantPolicyOrRule from './redundant-policy-or-rule.js';
import vacuousOrShadowedDeny from './vacuous-or-shadowed-deny.js';
import redundantSelectorOrPeer from './redundant-selector-or-peer.js';
import cniNoEnforcement from './cni-no-enforcement.js';
import cniUnsupportedField from './cni-unsupported-field.js';
import ipblockTargetsClusterAddresses from './ipblock-targets-cluster-addresses.js';

/** Every lint rule, in catalogue order (validation, dead configuration, posture, DNS, redundancy, CNI). */
export const RULES: readonly Rule[] = [
  invalidResourceShape,
  invalidPeer,
  invalidPort,
  invalidIpblock,
  invalidSelectorOrPolicyTypes,
  duplicatePolicyName,
  missingNamespace,
  rulesIgnoredByPolicyTypes,
  implicitPolicyTypes,
  danglingPolicy,
  danglingPeerSelector,
  namespaceSelectorLabel,
  peerOrVsAnd,
  namedPortUnresolved,
  portTargetsServicePort,
  hostnetworkPodSelected,
  serviceBackendUnreachable,
  nonIsolatedPod,
  namespaceMissingDefaultDeny,
  ingressOnlyIsolation,
  allowAllPeers,
  allowFromAllNamespaces,
  ipblockWorld,
  egressToCloudMetadata,
  broadOrSensitivePorts,
  blanketPolicySelectsSystemPods,
  egressBlocksDns,
  dnsRuleMisconfigured,
  targetFullyIsolated,
  redundantPolicyOrRule,
  vacuousOrShadowedDeny,
  redundantSelectorOrPeer,
  cniNoEnforcement,
  cniUnsupportedField,
  ipblockTargetsClusterAddresses,
];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id);
