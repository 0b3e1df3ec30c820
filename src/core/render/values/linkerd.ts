// Values for Linkerd objects: Servers, identities, HTTPRoutes and retry annotations.
import type {PlatformSpec, PortProtocol, ServiceSpec} from '../../config/types.js';
import {timeout} from './istio.js';

const PROXY_PROTOCOL: Record<PortProtocol, string> = {http: 'HTTP/1', http2: 'HTTP/2', grpc: 'gRPC', tcp: 'opaque',
  tls: 'TLS'};

/** Linkerd identities are DNS-like: `<sa>.<ns>.serviceaccount.identity.linkerd.<trust domain>`. */
export function linkerdIdentity(platform: PlatformSpec, namespace: string, serviceAccount: string): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.linkerd.${platform.trustDomain}`;
}

function isHttpPort(protocol: PortProtocol): boolean {
  return protocol === 'http' || protocol === 'http2' || protocol === 'grpc';
}

function routeRules(service: ServiceSpec, port: number) {
  const backend = (name: string) => [{name, port}];
  const requestTimeout = timeout(service);
  const timeouts = requestTimeout ? {request: requestTimeout} : undefined;
  const withTimeouts = (rule: Record<string, unknown>) => (timeouts ? {...rule, timeouts} : rule);
  // A/B: Linkerd routes to whole Services, so subset `b` is the Service `<name>-b`.
  const headerRules = service.headerRoutes.map((route) => withTimeouts({
    matches: [{headers: [{type: 'Exact', name: route.header, value: route.value}]}],
    backendRefs: backend(`${service.name}-${route.subset}`),
  }));
  return [...headerRules, withTimeouts({backendRefs: backend(service.name)})];
}

export function linkerdValues(platform: PlatformSpec, service: ServiceSpec) {
  const servers = service.ports.map((port) => ({name: `${service.name}-${port.name}`, port: port.targetPort,
    proxyProtocol: PROXY_PROTOCOL[port.protocol]})
  );
  const identities = [
    ...new Set(service.callers.map((caller) => linkerdIdentity(platform, caller.namespace, caller.serviceAccount))),
  ].sort();
  const retries = service.retries;
  return {
    servers,
    identities: identities.length > 0 ? identities : undefined,
    authorizedServers: identities.length > 0 ? servers : [],
    routes: service.ports
      .filter((port) => isHttpPort(port.protocol))
      .map((port) => ({name: `${service.name}-${port.name}`, port: port.port, rules: routeRules(service, port.port)})),
    retryAnnotations: retries && retries.attempts > 0
      ? {'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': String(retries.attempts),
        'retry.linkerd.io/timeout': retries.perTryTimeout}
      : undefined,
  };
}

/** What the spec asks for that Linkerd cannot do; reported as notes, not silently dropped. */
export function linkerdGaps(service: ServiceSpec): string[] {
  const gaps: string[] = [];
  if (service.jwt) {
    gaps.push(`${service.name}: Linkerd has no request authentication; validate JWTs at the ingress controller.`);
  }
  if (service.fault) gaps.push(`${service.name}: Linkerd has no fault injection; the fault settings are not rendered.`);
  if (service.loadBalancer.algorithm !== 'least-request') {
    gaps.push(
      `${service.name}: Linkerd always balances by latency (EWMA); load balancer ${service.loadBalancer.algorithm} is not rendered.`,
    );
  }
  if (service.rateLimit) gaps.push(`${service.name}: rate limiting is not rendered for Linkerd.`);
  return gaps;
}
