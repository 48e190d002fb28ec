import type { RawObject } from '../load/types.js';
import type { ContainerPort, Labels, PodShape, Protocol } from './types.js';
import { PROTOCOLS } from './types.js';

/** Where each workload kind keeps its pod template, and how many pods it runs (semantics.md N7). */
interface WorkloadKind {
  template: (spec: Record<string, any>) => unknown;
  replicas: (spec: Record<string, any>) => number | null;
  /** Labels the controller adds to every pod, which policies may select on. */
  addedLabels?: (name: string) => Labels;
}

const replicasField = (spec: Record<string, any>) => (typeof spec.replicas === 'number' ? spec.replicas : 1);

export const WORKLOAD_KINDS: Record<string, WorkloadKind> = {
  Deployment: { template: (s) => s.template, replicas: replicasField },
  ReplicaSet: { template: (s) => s.template, replicas: replicasField },
  ReplicationController: { template: (s) => s.template, replicas: replicasField },
  StatefulSet: { template: (s) => s.template, replicas: replicasField },
  DaemonSet: { template: (s) => s.template, replicas: () => null },
  Job: {
    template: (s) => s.template,
    replicas: (s) => (typeof s.parallelism === 'number' ? s.parallelism : 1),
    addedLabels: (name) => ({ 'job-name': name, 'batch.kubernetes.io/job-name': name }),
  },
  CronJob: { template: (s) => s.jobTemplate?.spec?.template, replicas: () => null },
};

export function isWorkloadKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(WORKLOAD_KINDS, kind);
}

/**
 * The pod a workload would create, from its template (never from the workload's own labels). `likePorts` (another
 * workload's) is taken instead of a copy when equal: workloads of one chart or team declare the same ports, and
 * 10,000 Deployments otherwise kept 20,000 port objects alike.
 */
export function templateShape(obj: RawObject, likePorts?: ContainerPort[]): { shape: PodShape; replicas: number | null } | undefined {
  const kind = WORKLOAD_KINDS[obj.kind];
  const spec = asObject(obj.body.spec);
  const template = asObject(kind.template(spec));
  const meta = asObject(template.metadata);
  const name = String(asObject(obj.body.metadata).name ?? '');
  const labels = labelsOf(meta.labels);
  const added = kind.addedLabels?.(name);
  if (added) Object.assign(labels, added);
  return { shape: podSpecShape(labels, asObject(template.spec), NO_IPS, likePorts), replicas: kind.replicas(spec) };
}

/**
 * A real pod's shape: its labels, ports, host networking and IPs. When `like` (another pod of the same
 * controller) has equal labels or ports, the shape takes its objects instead of copies: the pods of one
 * ReplicaSet agree on both, a dump has one object per pod, and classifying knows shared objects as equal at once.
 */
export function podShape(obj: RawObject, like?: PodShape): PodShape {
  const meta = asObject(obj.body.metadata);
  const status = asObject(obj.body.status);
  const ips: string[] = [];
  if (Array.isArray(status.podIPs)) for (const p of status.podIPs) if (typeof p?.ip === 'string') ips.push(p.ip);
  if (ips.length === 0 && typeof status.podIP === 'string' && status.podIP) ips.push(status.podIP);
  const labels = like && hasLabels(meta.labels, like.labels) ? like.labels : labelsOf(meta.labels);
  const shape = podSpecShape(labels, asObject(obj.body.spec), ips, like?.ports);
  shape.podName = String(meta.name ?? '');
  return shape;
}

/** The addresses of a pod that has none (a template's): one list for all of them, never added to. */
const NO_IPS: string[] = [];

function podSpecShape(labels: Labels, spec: Record<string, any>, ips: string[], likePorts?: ContainerPort[]): PodShape {
  const ports: ContainerPort[] = [];
  addContainerPorts(spec.containers, ports);
  addContainerPorts(spec.initContainers, ports);
  // Else a copy of the exact size: the list filled by push has room for 17, kept for as long as the model.
  const kept = likePorts && samePorts(ports, likePorts) ? likePorts : ports.slice();
  return { labels, ports: kept, hostNetwork: spec.hostNetwork === true, ips };
}

/** Whether `labelsOf(value)` would equal `labels`. */
function hasLabels(value: unknown, labels: Labels): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return keyCount(labels) === 0;
  let count = 0;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v === null || v === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== String(v)) return false;
    count++;
  }
  return count === keyCount(labels);
}

function keyCount(labels: Labels): number {
  let n = 0;
  for (const _ in labels) n++;
  return n;
}

function samePorts(a: ContainerPort[], b: ContainerPort[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].name !== b[i].name || a[i].port !== b[i].port || a[i].protocol !== b[i].protocol) return false;
  return true;
}

// Indexed loops: this runs once per workload and pod, mostly before V8 optimises it, and an unoptimised for-of
// allocates a result object per step.
function addContainerPorts(containers: unknown, ports: ContainerPort[]): void {
  if (!Array.isArray(containers)) return;
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i];
    if (!Array.isArray(c?.ports)) continue;
    for (let j = 0; j < c.ports.length; j++) {
      const p = c.ports[j];
      const port = typeof p?.containerPort === 'number' ? p.containerPort : Number(p?.containerPort);
      if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
      const protocol: Protocol = PROTOCOLS.includes(p.protocol) ? p.protocol : 'TCP';
      ports.push(typeof p.name === 'string' && p.name ? { name: p.name, port, protocol } : { port, protocol });
    }
  }
}

export function labelsOf(value: unknown): Labels {
  const out: Labels = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== null && v !== undefined) out[k] = String(v);
    }
  }
  return out;
}

export function asObject(value: unknown): Record<string, any> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : {};
}
