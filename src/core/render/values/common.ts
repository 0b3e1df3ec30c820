// Values shared by both meshes: names, labels, selectors and the network-policy view.
import type {Mesh, ServiceSpec} from '../../config/types.js';

export const MANAGED_BY = {'app.kubernetes.io/managed-by': 'sparc-mesh'};
export const SERVICE_LABEL = 'sparc-mesh.io/service';
export const SCOPE_LABEL = 'sparc-mesh.io/scope';

/** Labels on objects owned by one service: offboarding deletes exactly these. */
export function serviceLabels(service: ServiceSpec): Record<string, string> {
  return {...MANAGED_BY, [SERVICE_LABEL]: service.name};
}

/** Labels on per-namespace baseline objects, shared by every service of the namespace. */
export function namespaceLabels(): Record<string, string> {
  return {...MANAGED_BY, [SCOPE_LABEL]: 'namespace'};
}

export function serviceHost(service: ServiceSpec): string {
  return `${service.name}.${service.namespace}.svc.cluster.local`;
}

/** The platform convention: a workload's `app` label equals its service (and service-account) name. */
export function selectorOf(service: ServiceSpec): Record<string, string> {
  return {app: service.name};
}

interface MeshPorts {
  controlPlaneNamespace: string;
  controlPlanePorts: {protocol: 'TCP'; port: number}[];
  metricsPorts: {protocol: 'TCP'; port: number}[];
}

const tcp = (port: number) => ({protocol: 'TCP' as const, port});

/** Where the proxies must be able to reach: istiod's xDS/CA port, or Linkerd's identity, destination and policy APIs. */
export function meshPorts(mesh: Mesh): MeshPorts {
  if (mesh === 'istio') {
    return {controlPlaneNamespace: 'istio-system', controlPlanePorts: [tcp(15012)],
      metricsPorts: [tcp(15020), tcp(15090)]};
  }
  return {controlPlaneNamespace: 'linkerd', controlPlanePorts: [tcp(8080), tcp(8086), tcp(8090)],
    metricsPorts: [tcp(4191)]};
}

export interface CallerNamespace {
  namespace: string;
  apps: string[];
}

/** Callers grouped by namespace, in a stable order. */
export function callerNamespaces(service: ServiceSpec): CallerNamespace[] {
  const byNamespace = new Map<string, Set<string>>();
  for (const caller of service.callers) {
    const apps = byNamespace.get(caller.namespace) ?? new Set<string>();
    apps.add(caller.serviceAccount);
    byNamespace.set(caller.namespace, apps);
  }
  return [...byNamespace.keys()].sort().map((namespace) => ({namespace,
    apps: [...(byNamespace.get(namespace) ?? [])].sort()})
  );
}

export interface GatewayPeer {
  namespace: string;
  podLabels: Record<string, string>;
}

/**
 * Namespaces whose egress the platform baseline denies by default: the platform's own and the
 * service's (onboard renders the baseline there). Only there may a caller get an egress
 * allowance: elsewhere an Egress policy selecting its pods would be the first to isolate them,
 * cutting them off from DNS and everything but this service.
 */
export function egressIsolated(platformNamespaces: readonly string[], service: ServiceSpec): ReadonlySet<string> {
  return new Set([...platformNamespaces, service.namespace]);
}

/** What callers outside the baseline need, said instead of written. */
export function callerEgressNotes(platformNamespaces: readonly string[], service: ServiceSpec): string[] {
  const isolated = egressIsolated(platformNamespaces, service);
  const ports = service.ports.map((port) => port.targetPort).join(', ');
  return callerNamespaces(service).filter(({namespace}) => !isolated.has(namespace)).map(({namespace, apps}) =>
    `no egress policy written in ${namespace} for ${
      apps.join(', ')
    }: that namespace has no sparc-mesh baseline (default deny), and an Egress policy there would cut its pods off from everything else; if its egress is restricted, allow them to reach ${service.name} in ${service.namespace} on port${
      service.ports.length === 1 ? '' : 's'
    } ${ports}`
  );
}

export function networkValues(service: ServiceSpec, gateway: GatewayPeer | undefined, isolated: ReadonlySet<string>) {
  const peers: Record<string, unknown>[] = callerNamespaces(service).map(({namespace, apps}) => ({
    namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': namespace}},
    podSelector: {matchExpressions: [{key: 'app', operator: 'In', values: apps}]},
  }));
  if (gateway) {
    peers.push({
      namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': gateway.namespace}},
      podSelector: {matchLabels: gateway.podLabels},
    });
  }
  return {
    ingressFrom: peers.length > 0 ? peers : undefined,
    ports: service.ports.map((port) => tcp(port.targetPort)),
    callerNamespaces: callerNamespaces(service).filter(({namespace}) => isolated.has(namespace)),
  };
}
