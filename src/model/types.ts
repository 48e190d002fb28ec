import type { JsonPath, Origin, Severity } from '../load/types.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
export type Direction = 'ingress' | 'egress';
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

export type Labels = Record<string, string>;

export interface SelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** A metav1.LabelSelector after validation: matchLabels as requirements too would lose the YAML shape. */
export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: SelectorRequirement[];
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** A finding of the loader or the model: bad input, something skipped, something assumed. */
export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `invalid-port`; validation codes double as lint rule ids. */
  code: string;
  message: string;
  object?: ObjectRef;
  origin?: Origin;
  /** JSON path inside the object (relative to origin.pathPrefix). */
  path?: JsonPath;
  /** Known position (load problems); otherwise resolved from origin + path when reported. */
  file?: string;
  line?: number;
  column?: number;
}

export interface Namespace {
  name: string;
  /** Labels including `kubernetes.io/metadata.name`, which is always the name. */
  labels: Labels;
  /** Not declared in the input; only its automatic label is known. */
  synthesized: boolean;
  origin?: Origin;
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** One pod, or the template that a workload stamps its pods from. */
export interface PodShape {
  /** Pod name for real pods; absent for a workload template. */
  podName?: string;
  labels: Labels;
  ports: ContainerPort[];
  hostNetwork: boolean;
  ips: string[];
}

/**
 * A row or column of the matrix: a bare Pod, or a workload with its pods. Workloads from manifests have one
 * member (the template); workloads from a live dump have one member per running pod.
 */
export interface Endpoint {
  /** `namespace/name[Kind]`, e.g. `shop/api[Deployment]`. */
  id: string;
  kind: string;
  namespace: string;
  name: string;
  members: PodShape[];
  /** Declared replica count; null when it depends on the cluster (DaemonSet) or is unknown. */
  replicas: number | null;
  origin: Origin;
}

export interface IpBlock {
  cidr: string;
  except: string[];
}

export interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
  path: JsonPath;
}

export interface PolicyPort {
  protocol: Protocol;
  /** Absent: every port of the protocol. */
  port?: number | string;
  endPort?: number;
  path: JsonPath;
}

export interface PolicyRule {
  direction: Direction;
  index: number;
  /** null: `from`/`to` absent or empty, which admits every peer, external addresses included. */
  peers: Peer[] | null;
  /** null: `ports` absent or empty, which admits every port of every protocol. */
  ports: PolicyPort[] | null;
  path: JsonPath;
}

/** `absent`: no key; `empty`: `[]` or null; `rules`: at least one rule. */
export type SectionShape = 'absent' | 'empty' | 'rules';

export interface NetworkPolicy {
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  /** policyTypes after API-server defaulting. */
  policyTypes: { ingress: boolean; egress: boolean };
  /** True when policyTypes was absent or empty and the defaulting rule decided it. */
  policyTypesDefaulted: boolean;
  /** How the manifest wrote what defaulting fills in, for the rules that warn about defaults. */
  written: { namespace: boolean; ingress: SectionShape; egress: SectionShape };
  /** All rules as written; only those of a direction in policyTypes take effect. */
  ingress: PolicyRule[];
  egress: PolicyRule[];
  origin: Origin;
  /** True when the API server would reject the object; such policies are not analysed. */
  invalid: boolean;
}

export interface Service {
  namespace: string;
  name: string;
  selector: Labels | null;
  ports: { name?: string; port: number; targetPort: number | string; protocol: Protocol }[];
  /** spec.clusterIP(s), when the input has them (live dumps). */
  clusterIPs: string[];
  origin: Origin;
}

export interface ClusterModel {
  defaultNamespace: string;
  namespaces: Map<string, Namespace>;
  endpoints: Endpoint[];
  policies: NetworkPolicy[];
  services: Service[];
  diagnostics: Diagnostic[];
  /** Objects of kinds the model keeps but does not analyse, counted by kind. */
  otherKinds: Map<string, number>;
  /** metadata.annotations of every object, by `Kind/namespace/name` (for suppressions). */
  annotations: Map<string, Record<string, string>>;
}

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
export const endpointId = (namespace: string, name: string, kind: string): string => `${namespace}/${name}[${kind}]`;
export const refOf = (kind: string, namespace: string | undefined, name: string): ObjectRef => ({ kind, namespace, name });
export const annotationKey = (r: ObjectRef): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
export const describeRef = (r: ObjectRef): string => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
