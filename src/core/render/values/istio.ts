// Values for Istio objects: the spec's knobs translated into Istio's API shapes.
import {durationMs} from '../../config/checks.js';
import type {PlatformSpec, ServiceSpec} from '../../config/types.js';
import {serviceHost} from './common.js';

const INGRESS_SERVICE_ACCOUNT = 'istio-ingressgateway-service-account';

function principal(platform: PlatformSpec, namespace: string, serviceAccount: string): string {
  return `${platform.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

export function ingressPrincipal(platform: PlatformSpec): string {
  return principal(platform, platform.istio.ingressGateway.namespace, INGRESS_SERVICE_ACCOUNT);
}

function isExposed(service: ServiceSpec): boolean {
  return service.ingressHosts.length > 0 || service.profile === 'api-gateway';
}

function authorizationRules(platform: PlatformSpec, service: ServiceSpec) {
  const principals = service.callers.map((caller) => principal(platform, caller.namespace, caller.serviceAccount));
  if (isExposed(service)) principals.push(ingressPrincipal(platform));
  if (principals.length === 0) return undefined;
  const ports = service.ports.map((port) => String(port.targetPort));
  return [{from: [{source: {principals: [...new Set(principals)].sort()}}], to: [{operation: {ports}}]}];
}

function loadBalancer(service: ServiceSpec): Record<string, unknown> {
  const lb = service.loadBalancer;
  if (lb.algorithm === 'round-robin') return {simple: 'ROUND_ROBIN'};
  if (lb.algorithm === 'least-request') return {simple: 'LEAST_REQUEST'};
  const hashOn = lb.hashOn ?? {header: 'x-session-id'};
  if ('header' in hashOn) return {consistentHash: {httpHeaderName: hashOn.header}};
  if ('cookie' in hashOn) return {consistentHash: {httpCookie: {name: hashOn.cookie, ttl: hashOn.ttl}}};
  return {consistentHash: {useSourceIp: true}};
}

function isHttp(service: ServiceSpec): boolean {
  return service.ports.some((port) => port.protocol !== 'tcp' && port.protocol !== 'tls');
}

export function trafficPolicy(service: ServiceSpec): Record<string, unknown> {
  const pool = service.connectionPool;
  const connectionPool: Record<string, unknown> = {
    tcp: {maxConnections: pool.maxConnections, connectTimeout: pool.connectTimeout},
  };
  if (isHttp(service)) {
    const http: Record<string, number> = {};
    if (pool.http1MaxPendingRequests !== undefined) http.http1MaxPendingRequests = pool.http1MaxPendingRequests;
    if (pool.http2MaxRequests !== undefined) http.http2MaxRequests = pool.http2MaxRequests;
    if (pool.maxRequestsPerConnection !== undefined) http.maxRequestsPerConnection = pool.maxRequestsPerConnection;
    connectionPool.http = http;
  }
  const breaker = service.circuitBreaker;
  return {
    loadBalancer: loadBalancer(service),
    connectionPool,
    outlierDetection: {
      consecutive5xxErrors: breaker.consecutive5xxErrors,
      interval: breaker.interval,
      baseEjectionTime: breaker.baseEjectionTime,
      maxEjectionPercent: breaker.maxEjectionPercent,
    },
  };
}

/** A/B subsets are keyed on the `version` label; the default route stays on `stable`. */
function subsets(service: ServiceSpec) {
  if (service.headerRoutes.length === 0) return undefined;
  const names = ['stable', ...service.headerRoutes.map((route) => route.subset).filter((name) => name !== 'stable')];
  return [...new Set(names)].map((name) => ({name, labels: {version: name}}));
}

export function retries(service: ServiceSpec) {
  return service.retries
    ? {attempts: service.retries.attempts, perTryTimeout: service.retries.perTryTimeout,
      retryOn: service.retries.retryOn}
    : undefined;
}

export function timeout(service: ServiceSpec): string | undefined {
  return durationMs(service.timeout) > 0 ? service.timeout : undefined;
}

function headerOperations(side: {set: Record<string, string>; remove: string[]}) {
  const out: Record<string, unknown> = {};
  if (Object.keys(side.set).length > 0) out.set = side.set;
  if (side.remove.length > 0) out.remove = side.remove;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function headers(service: ServiceSpec) {
  if (!service.headers) return undefined;
  const out: Record<string, unknown> = {};
  const request = headerOperations(service.headers.request);
  const response = headerOperations(service.headers.response);
  if (request) out.request = request;
  if (response) out.response = response;
  return Object.keys(out).length > 0 ? out : undefined;
}

function fault(service: ServiceSpec) {
  if (!service.fault) return undefined;
  const out: Record<string, unknown> = {};
  if (service.fault.delay) {
    out.delay = {percentage: {value: service.fault.delay.percent}, fixedDelay: service.fault.delay.fixedDelay};
  }
  if (service.fault.abort) {
    out.abort = {percentage: {value: service.fault.abort.percent}, httpStatus: service.fault.abort.httpStatus};
  }
  return out;
}

function httpRoutes(service: ServiceSpec) {
  if (!isHttp(service)) return undefined;
  const host = serviceHost(service);
  const common = {timeout: timeout(service), retries: retries(service)};
  const withoutUndefined = (route: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(route).filter(([, value]) => value !== undefined));
  const abRoutes = service.headerRoutes.map((route) => withoutUndefined({
    name: `header-${route.subset}`,
    match: [{headers: {[route.header]: {exact: route.value}}}],
    route: [{destination: {host, subset: route.subset}}],
    ...common,
  }));
  const defaultDestination: Record<string, unknown> = {host};
  if (service.headerRoutes.length > 0) defaultDestination.subset = 'stable';
  const defaultRoute = withoutUndefined({
    name: 'default',
    route: [{destination: defaultDestination}],
    ...common,
    fault: fault(service),
    headers: headers(service),
  });
  return [...abRoutes, defaultRoute];
}

function tcpRoutes(service: ServiceSpec) {
  const host = serviceHost(service);
  const ports = service.ports.filter((port) => port.protocol === 'tcp' || port.protocol === 'tls');
  if (ports.length === 0) return undefined;
  return ports.map((port) => ({match: [{port: port.port}], route: [{destination: {host, port: {number: port.port}}}]}));
}

const FILL_INTERVAL = {second: '1s', minute: '60s', hour: '3600s'} as const;

export function istioValues(platform: PlatformSpec, service: ServiceSpec) {
  const gateway = `${platform.istio.ingressGateway.namespace}/${platform.ingress.gatewayName}`;
  const exposed = service.ingressHosts.length > 0;
  return {
    authorization: {rules: authorizationRules(platform, service)},
    ingressPrincipals: [ingressPrincipal(platform)],
    jwtAudiences: service.jwt && service.jwt.audiences.length > 0 ? service.jwt.audiences : undefined,
    trafficPolicy: trafficPolicy(service),
    subsets: subsets(service),
    hosts: [serviceHost(service), ...service.ingressHosts],
    gateways: exposed ? [gateway, 'mesh'] : undefined,
    http: httpRoutes(service),
    tcp: tcpRoutes(service),
    rateLimit: service.rateLimit
      ? {
        tokenBucket: {max_tokens: service.rateLimit.requests, tokens_per_fill: service.rateLimit.requests,
          fill_interval: FILL_INTERVAL[service.rateLimit.per]},
      }
      : undefined,
  };
}
