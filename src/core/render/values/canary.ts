// Flagger's view of a service: Istio lets Flagger own the VirtualService and
// DestinationRules (so the traffic policy moves into the Canary); Linkerd goes
// through the Gateway API, with the Service itself as the route's parent.
import type {PlatformSpec, ServiceSpec} from '../../config/types.js';
import {flaggerAnalysis} from '../../canary/flagger-analysis.js';
import {headers, retries, timeout, trafficPolicy} from './istio.js';

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Flagger's Canary API (v1beta1) has no TCP connection pool: the rest of the policy carries over. */
function flaggerTrafficPolicy(service: ServiceSpec): Record<string, unknown> {
  const policy = trafficPolicy(service);
  const {tcp: _tcp, ...pool} = policy.connectionPool as Record<string, unknown>;
  return Object.keys(pool).length > 0
    ? {...policy, connectionPool: pool}
    : {loadBalancer: policy.loadBalancer, outlierDetection: policy.outlierDetection};
}

/** What Flagger cannot carry, said out loud. */
export function canaryGaps(service: ServiceSpec): string[] {
  if (!service.canary.enabled || service.mesh !== 'istio') return [];
  return [
    `${service.name}: Flagger's Canary has no TCP connection pool; maxConnections and connectTimeout apply only without --enable-canary.`,
  ];
}

export function canaryValues(platform: PlatformSpec, service: ServiceSpec) {
  const port = service.ports[0]!;
  if (service.mesh === 'istio') {
    const exposed = service.ingressHosts.length > 0;
    return {
      provider: 'istio',
      analysis: flaggerAnalysis(service.canary, service.mesh),
      service: compact({
        port: port.port,
        targetPort: port.targetPort,
        portName: port.name,
        gateways: exposed
          ? [`${platform.istio.ingressGateway.namespace}/${platform.ingress.gatewayName}`, 'mesh']
          : undefined,
        hosts: exposed ? service.ingressHosts : undefined,
        trafficPolicy: flaggerTrafficPolicy(service),
        timeout: timeout(service),
        retries: retries(service),
        headers: headers(service),
      }),
    };
  }
  return {
    provider: 'gatewayapi:v1',
    analysis: flaggerAnalysis(service.canary, service.mesh),
    service: {
      port: port.port,
      targetPort: port.targetPort,
      gatewayRefs: [{name: service.name, namespace: service.namespace, group: 'core', kind: 'Service',
        port: port.port}],
    },
  };
}
