// What the pod itself says: its phase and readiness, each container's state and restarts,
// which mesh proxy runs in it and from which release, and the control plane's release.
import type {KubeObject} from '../objects.js';
import {asArray, asInteger, asRecord, asString, asStringMap, at} from '../analyze/istio/query/fields.js';
import {containersOf, PROXY_CONTAINER} from '../analyze/istio/query/workload.js';

export const LINKERD_PROXY_CONTAINER = 'linkerd-proxy';

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restarts: number;
  /** `running`, `waiting: CrashLoopBackOff`, `terminated: Error (exit 1)`. */
  state: string;
  /** Why it last stopped, when it restarted: `OOMKilled`, `Error (exit 137)`. */
  lastTermination?: string;
}

export interface ProxyStatus {
  mesh: 'istio' | 'linkerd' | 'none';
  container?: string;
  /** The proxy's release: the tag of its image. */
  version?: string;
  /** The release of the control plane serving the mesh, when its pods were found. */
  controlPlaneVersion?: string;
  running: boolean;
  ready: boolean;
}

export interface PodStatus {
  phase: string;
  ready: boolean;
  node?: string;
  containers: ContainerStatus[];
  proxy: ProxyStatus;
}

function terminationText(terminated: unknown): string {
  const reason = asString(at(terminated, 'reason')) ?? 'terminated';
  const code = asInteger(at(terminated, 'exitCode'));
  return code === undefined ? reason : `${reason} (exit ${code})`;
}

function stateText(state: unknown): string {
  if (asRecord(at(state, 'running'))) return 'running';
  const waiting = asRecord(at(state, 'waiting'));
  if (waiting) return `waiting: ${asString(waiting.reason) ?? 'unknown'}`;
  const terminated = asRecord(at(state, 'terminated'));
  return terminated ? `terminated: ${terminationText(terminated)}` : 'unknown';
}

function containerStatuses(pod: KubeObject): ContainerStatus[] {
  const statuses = [...asArray(at(pod, 'status', 'initContainerStatuses')),
    ...asArray(at(pod, 'status', 'containerStatuses'))];
  return statuses.flatMap((entry) => {
    const name = asString(at(entry, 'name'));
    if (name === undefined) return [];
    const status: ContainerStatus = {name, ready: at(entry, 'ready') === true,
      restarts: asInteger(at(entry, 'restartCount')) ?? 0, state: stateText(at(entry, 'state'))};
    const last = asRecord(at(entry, 'lastState', 'terminated'));
    if (last) status.lastTermination = terminationText(last);
    return [status];
  });
}

/** The tag of an image reference (`docker.io/istio/proxyv2:1.30.3` → `1.30.3`), without a digest. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(colon + 1) : undefined;
}

function imageOf(pod: KubeObject, containerName: string): string | undefined {
  const spec = asRecord(pod.spec) ?? {};
  return containersOf(spec, true).find((container) => container.name === containerName)?.image;
}

/** The release of the control plane: istiod's `discovery` container, or Linkerd's destination pod's proxy. */
function controlPlaneVersion(mesh: ProxyStatus['mesh'], controlPlanePods: readonly KubeObject[]): string | undefined {
  for (const pod of controlPlanePods) {
    const labels = asStringMap(pod.metadata.labels);
    const image = mesh === 'istio' && labels.app === 'istiod'
      ? imageOf(pod, 'discovery')
      : mesh === 'linkerd' && labels['linkerd.io/control-plane-component'] === 'destination'
      ? imageOf(pod, LINKERD_PROXY_CONTAINER)
      : undefined;
    const tag = image && imageTag(image);
    if (tag) return tag;
  }
  return undefined;
}

export function podStatusOf(pod: KubeObject, controlPlanePods: readonly KubeObject[]): PodStatus {
  const containers = containerStatuses(pod);
  const spec = asRecord(pod.spec) ?? {};
  const names = new Set(containersOf(spec, true).map((container) => container.name));
  const proxyName = names.has(PROXY_CONTAINER)
    ? PROXY_CONTAINER
    : names.has(LINKERD_PROXY_CONTAINER)
    ? LINKERD_PROXY_CONTAINER
    : undefined;
  const mesh = proxyName === PROXY_CONTAINER ? 'istio' : proxyName ? 'linkerd' : 'none';
  const proxyContainer = containers.find((container) => container.name === proxyName);
  const proxy: ProxyStatus = {mesh, running: proxyContainer?.state === 'running',
    ready: proxyContainer?.ready ?? false};
  if (proxyName) {
    proxy.container = proxyName;
    const version = imageTag(imageOf(pod, proxyName) ?? '');
    if (version) proxy.version = version;
    const serving = controlPlaneVersion(mesh, controlPlanePods);
    if (serving) proxy.controlPlaneVersion = serving;
  }
  const conditions = asArray(at(pod, 'status', 'conditions'));
  const ready = conditions.some((condition) => at(condition, 'type') === 'Ready' && at(condition, 'status') === 'True');
  const status: PodStatus = {phase: asString(at(pod, 'status', 'phase')) ?? 'Unknown', ready, containers, proxy};
  const node = asString(at(pod, 'spec', 'nodeName'));
  if (node) status.node = node;
  return status;
}
