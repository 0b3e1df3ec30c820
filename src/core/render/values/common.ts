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
    return {controlPlaneNamespace: 'istio-system', controlPlanePorts: [tcp(15012)], metricsPorts: [tcp(15020), tcp(15090)]};
  }
  return {controlPlaneNamespace: 'linkerd', controlPlanePorts: [tcp(8080), tcp(8086), tcp(8090)], metricsPorts: [tcp(4191)]};
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
  return [...byNamespace.keys()].sort().map((namespace) => ({namespace, apps: [...(byNamespace.get(namespace) ?? [])].sort()}));
}

export interface GatewayPeer {
  namespace: string;
  podLabels: Record<string, string>;
}

export function networkValues(service: ServiceSpec, gateway: GatewayPeer | undefined) {
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
    callerNamespaces: callerNamespaces(service),
  };
}
