// Which container logs a support bundle reads: the mesh proxy of every pod in the bundled
// namespaces, and every container of the control plane's pods (istiod in istio-system;
// Linkerd's destination, identity and proxy-injector in linkerd). A container that restarted
// also gets its previous instance's log, as `istioctl bug-report` reads it. Each lands in
// `logs/NAMESPACE/POD/CONTAINER.log` (`.previous.log`).
import {ISTIO_NAMESPACE} from '../analyze/istio/create-context.js';
import {asArray, asInteger, asRecord, asString, at} from '../analyze/istio/query/fields.js';
import {containersOf, PROXY_CONTAINER} from '../analyze/istio/query/workload.js';
import {LINKERD_NAMESPACE} from '../install/linkerd-install.js';
import type {KubeObject} from '../objects.js';
import {LINKERD_PROXY_CONTAINER} from './pod-status.js';

/** Where the control planes' pods are and which of them are read whole. */
export const CONTROL_PLANE_PODS: readonly {namespace: string; labelSelectors: readonly string[]}[] = [
  {namespace: ISTIO_NAMESPACE, labelSelectors: ['app=istiod']},
  {namespace: LINKERD_NAMESPACE,
    labelSelectors: ['destination', 'identity', 'proxy-injector'].map((component) =>
      `linkerd.io/control-plane-component=${component}`
    )},
];

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  /** The instance before the last restart (`kubectl logs --previous`). */
  previous: boolean;
  /** The file in the archive. */
  file: string;
}

function matchesSelector(pod: KubeObject, selector: string): boolean {
  const [key = '', value] = selector.split('=');
  return pod.metadata.labels?.[key] === value;
}

function isControlPlane(pod: KubeObject): boolean {
  return CONTROL_PLANE_PODS.some(({namespace, labelSelectors}) =>
    pod.metadata.namespace === namespace && labelSelectors.some((selector) => matchesSelector(pod, selector))
  );
}

/** The pod's containers that run for its lifetime: its containers and native sidecars (init containers that always restart). */
function runningContainers(pod: KubeObject): string[] {
  const spec = asRecord(pod.spec) ?? {};
  const sidecars = containersOf(spec, true).slice(containersOf(spec, false).length)
    .filter((container) => container.raw.restartPolicy === 'Always');
  return [...containersOf(spec, false), ...sidecars].map((container) => container.name);
}

function restarted(pod: KubeObject, container: string): boolean {
  const statuses = [...asArray(at(pod, 'status', 'containerStatuses')),
    ...asArray(at(pod, 'status', 'initContainerStatuses'))];
  return statuses.some((status) =>
    asString(at(status, 'name')) === container && (asInteger(at(status, 'restartCount')) ?? 0) > 0
  );
}

/** The logs to read from `pods` (the bundled namespaces' and the control planes'), in file order. */
export function logTargets(pods: readonly KubeObject[], namespaces: readonly string[]): LogTarget[] {
  const seen = new Set<string>();
  const targets: LogTarget[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    if (seen.has(`${namespace}/${name}`)) continue;
    seen.add(`${namespace}/${name}`);
    const containers = isControlPlane(pod)
      ? runningContainers(pod)
      : namespaces.includes(namespace)
      ? runningContainers(pod).filter((container) =>
        container === PROXY_CONTAINER || container === LINKERD_PROXY_CONTAINER
      )
      : [];
    for (const container of containers) {
      const base = `logs/${namespace}/${name}/${container}`;
      targets.push({namespace, pod: name, container, previous: false, file: `${base}.log`});
      if (restarted(pod, container)) {
        targets.push({namespace, pod: name, container, previous: true, file: `${base}.previous.log`});
      }
    }
  }
  return targets.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
