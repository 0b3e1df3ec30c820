// Which pod and port a connection to a Service's port reaches when it is forwarded through the
// API server, as `kubectl port-forward svc/NAME PORT` decides: the Service port by number or
// name, its targetPort (a number, or a container port's name looked up in the pod), and a ready
// pod among those its selector picks.
import type {KubeObject} from './objects.js';
import {asArray, asInteger, asString, asStringMap, at} from './analyze/istio/query/fields.js';
import {servicePorts} from './analyze/istio/query/ports.js';

export interface ServiceBackend {
  /** The pod's name, in the Service's namespace. */
  pod: string;
  /** The port of the pod that a connection to the Service port lands on. */
  podPort: number;
}

/** Why a Service port leads to no pod; `reason` tells the caller's wording apart. */
export class ServiceBackendError extends Error {
  constructor(message: string, readonly reason: 'no-service' | 'no-such-port' | 'no-selector' | 'no-ready-pod') {
    super(message);
    this.name = 'ServiceBackendError';
  }
}

/** The Service's selector as a label selector (`a=b,c=d`); undefined when it selects nothing by itself. */
export function serviceSelector(service: KubeObject): string | undefined {
  const selector = Object.entries(asStringMap(at(service, 'spec', 'selector')));
  return selector.length ? selector.map(([key, value]) => `${key}=${value}`).join(',') : undefined;
}

/** Running, Ready, and not on its way out. */
function isReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp !== undefined || at(pod, 'status', 'phase') !== 'Running') return false;
  return asArray(at(pod, 'status', 'conditions')).some((condition) =>
    at(condition, 'type') === 'Ready' && at(condition, 'status') === 'True'
  );
}

/** The number of a container port of the pod by its name. */
function namedContainerPort(pod: KubeObject, name: string): number | undefined {
  for (const container of asArray(at(pod, 'spec', 'containers'))) {
    for (const port of asArray(at(container, 'ports'))) {
      if (asString(at(port, 'name')) === name) return asInteger(at(port, 'containerPort'));
    }
  }
  return undefined;
}

/**
 * The first ready pod (by name) among `pods` (those the Service's selector picks) that has the
 * port the Service port targets. `port` is a Service port's number or name.
 */
export function serviceBackend(service: KubeObject, pods: readonly KubeObject[],
  port: number | string): ServiceBackend
{
  const name = `Service ${service.metadata.namespace ?? ''}/${service.metadata.name ?? ''}`;
  const ports = servicePorts(service);
  const entry = ports.find((candidate) => (typeof port === 'number' ? candidate.port : candidate.name) === port);
  if (!entry) {
    const known = ports.map((candidate) => candidate.name ? `${candidate.port} (${candidate.name})` : candidate.port);
    throw new ServiceBackendError(`${name} has no port ${port} (it has: ${known.join(', ') || 'none'})`,
      'no-such-port');
  }
  if (!serviceSelector(service)) {
    throw new ServiceBackendError(`${name} has no selector, so no pod backs it`, 'no-selector');
  }
  const target = entry.targetPort ?? entry.port;
  const numeric = asInteger(target);
  const ready = pods.filter(isReady).map((pod) => [pod.metadata.name ?? '', pod] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [podName, pod] of ready) {
    const podPort = numeric ?? namedContainerPort(pod, String(target));
    if (podPort !== undefined) return {pod: podName, podPort};
  }
  const what = numeric === undefined ? ` with a container port named ${target}` : '';
  throw new ServiceBackendError(
    `${name} port ${entry.port}: none of its ${pods.length} selected pod${
      pods.length === 1 ? ' is' : 's are'
    } ready${what}`,
    'no-ready-pod',
  );
}
