/**
 * What each network plugin enforces of NetworkPolicy, for the CNI rules. From the plugins' documentation and
 * issues (lint-rules.md F1-F3, semantics.md M5); `--cni` or the config file picks one.
 */
export interface CniProfile {
  enforces: boolean;
  egress: boolean;
  endPort: boolean;
  sctp: boolean;
  /** ipBlocks match in-cluster pod addresses (Calico) rather than only external ones (Cilium). */
  ipBlockMatchesPods: boolean;
  note?: string;
}

const full = { enforces: true, egress: true, endPort: true, sctp: true, ipBlockMatchesPods: true };

export const CNI_PROFILES: Record<string, CniProfile> = {
  calico: full,
  canal: { ...full, note: 'Canal enforces policy through Calico' },
  cilium: { ...full, ipBlockMatchesPods: false, note: 'CIDR rules apply only outside the cluster; SCTP needs enabling' },
  antrea: full,
  'ovn-kubernetes': full,
  'kube-router': { ...full, endPort: false, sctp: false },
  weave: { ...full, endPort: false, sctp: false },
  'aws-vpc': { ...full, sctp: false, note: 'needs the network policy agent (enableNetworkPolicy)' },
  azure: { ...full, endPort: false, sctp: false, note: 'Azure Network Policy Manager' },
  flannel: { enforces: false, egress: false, endPort: false, sctp: false, ipBlockMatchesPods: false, note: 'Flannel alone enforces no NetworkPolicy' },
  kubenet: { enforces: false, egress: false, endPort: false, sctp: false, ipBlockMatchesPods: false, note: 'kubenet enforces no NetworkPolicy' },
  none: { enforces: false, egress: false, endPort: false, sctp: false, ipBlockMatchesPods: false },
};

/** DaemonSets that show which plugin runs, for inputs that include the cluster's system workloads. */
export const POLICY_ENGINE_DAEMONSETS = ['calico-node', 'cilium', 'antrea-agent', 'kube-router', 'weave-net', 'ovnkube-node', 'aws-node', 'azure-npm'];
