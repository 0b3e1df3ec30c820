// The typed platform and service spec. Everything rendered comes from these types;
// flags and sparc-mesh.yaml are only two ways of filling them.

export const MESHES = ['istio', 'linkerd'] as const;
export type Mesh = (typeof MESHES)[number];

export const PROFILES = ['default', 'api-gateway', 'video', 'analytics', 'database'] as const;
export type ProfileName = (typeof PROFILES)[number];

export const PORT_PROTOCOLS = ['http', 'http2', 'grpc', 'tcp', 'tls'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export const LB_ALGORITHMS = ['round-robin', 'least-request', 'consistent-hash'] as const;
export type LoadBalancingAlgorithm = (typeof LB_ALGORITHMS)[number];

/** Go-style duration as Istio and Linkerd accept it: `250ms`, `5s`, `10m`, `1h`. */
export type Duration = string;

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: PortProtocol;
}

export interface RetryPolicy {
  attempts: number;
  perTryTimeout: Duration;
  retryOn: string;
}

export interface CircuitBreaker {
  consecutive5xxErrors: number;
  interval: Duration;
  baseEjectionTime: Duration;
  maxEjectionPercent: number;
}

export interface ConnectionPool {
  maxConnections: number;
  connectTimeout: Duration;
  http1MaxPendingRequests?: number;
  http2MaxRequests?: number;
  /** 0 means unlimited (keep-alive); 1 disables keep-alive. */
  maxRequestsPerConnection?: number;
}

export interface LoadBalancer {
  algorithm: LoadBalancingAlgorithm;
  /** For consistent-hash: what a session is keyed on. */
  hashOn?: {header: string} | {cookie: string; ttl: Duration} | {sourceIp: true};
}

/** Requests carrying `header: value` go to subset `subset` (A/B testing). */
export interface HeaderRoute {
  header: string;
  value: string;
  subset: string;
}

export interface FaultInjection {
  delay?: {percent: number; fixedDelay: Duration};
  abort?: {percent: number; httpStatus: number};
}

export interface ResourceList {
  cpu: string;
  memory: string;
}

export interface Resources {
  requests: ResourceList;
  limits: ResourceList;
}

export interface RateLimit {
  requests: number;
  per: 'second' | 'minute' | 'hour';
}

export interface JwtRule {
  issuer: string;
  jwksUri: string;
  audiences: string[];
}

export interface HeaderRules {
  request: {set: Record<string, string>; remove: string[]};
  response: {set: Record<string, string>; remove: string[]};
}

export interface CanaryPolicy {
  enabled: boolean;
  interval: Duration;
  /** Failed checks before rollback. */
  threshold: number;
  stepWeight: number;
  maxWeight: number;
  /** Minimum request success rate, in percent. */
  minSuccessRate: number;
  /** Maximum p99 latency, in milliseconds. */
  maxLatencyMs: number;
  /** The range the metric queries average over (PromQL's `[window]`; Flagger's metric interval). */
  window: Duration;
  /** PromQL templates replacing the mesh's own (Flagger's variables: `{{ namespace }}`, `{{ target }}`, `{{ interval }}`). */
  queries?: {successRate?: string; latency?: string};
}

/** A workload allowed to call a service, by identity. */
export interface Caller {
  namespace: string;
  serviceAccount: string;
}

export interface ServiceSpec {
  name: string;
  namespace: string;
  mesh: Mesh;
  profile: ProfileName;
  serviceAccount: string;
  ports: ServicePort[];
  callers: Caller[];
  /** Hosts on the ingress Gateway that route to this service (api-gateway profile). */
  ingressHosts: string[];
  timeout: Duration;
  retries?: RetryPolicy;
  circuitBreaker: CircuitBreaker;
  connectionPool: ConnectionPool;
  loadBalancer: LoadBalancer;
  headerRoutes: HeaderRoute[];
  fault?: FaultInjection;
  sidecarResources: Resources;
  rateLimit?: RateLimit;
  jwt?: JwtRule;
  headers?: HeaderRules;
  canary: CanaryPolicy;
}

export interface ExternalService {
  name: string;
  hosts: string[];
  ports: {name: string; number: number; protocol: 'HTTPS' | 'HTTP' | 'TLS' | 'TCP' | 'GRPC'}[];
}

export interface IstioControlPlane {
  /** istioctl install profile. */
  profile: 'default' | 'minimal' | 'demo' | 'empty';
  revision?: string;
  hub?: string;
  tag?: string;
  accessLogs: boolean;
  /** REGISTRY_ONLY keeps egress to declared ServiceEntries. */
  outboundTrafficPolicy: 'REGISTRY_ONLY' | 'ALLOW_ANY';
  proxyResources: Resources;
  ingressGateway: {enabled: boolean; namespace: string; replicas: number};
}

export interface LinkerdControlPlane {
  ha: boolean;
  proxyResources: Resources;
  /** Used when a namespace gives no annotation; the platform namespaces always get `deny`. */
  defaultInboundPolicy: 'all-authenticated' | 'cluster-authenticated' | 'deny';
  gatewayClassName: string;
}

export interface Observability {
  prometheusUrl: string;
  tracing: {provider: 'zipkin' | 'opentelemetry'; service: string; port: number; samplingPercent: number};
}

export interface PlatformSpec {
  name: string;
  mesh: Mesh;
  trustDomain: string;
  namespaces: string[];
  istio: IstioControlPlane;
  linkerd: LinkerdControlPlane;
  ingress: {gatewayName: string; hosts: string[]; tlsSecret: string};
  externalServices: ExternalService[];
  observability: Observability;
  jwt?: JwtRule;
  /** Services of the catalogue, as written in the config (resolved against profiles on use). */
  services: ServiceInput[];
}

/**
 * What a user may say about a service, in the config or on flags. Everything is optional
 * except the name; the profile fills the rest.
 */
export interface ServiceInput {
  name: string;
  namespace?: string;
  profile?: string;
  serviceAccount?: string;
  ports?: unknown[];
  callers?: string[];
  ingressHosts?: string[];
  timeout?: string;
  retries?: Partial<RetryPolicy> | null;
  circuitBreaker?: Partial<CircuitBreaker>;
  connectionPool?: Partial<ConnectionPool>;
  loadBalancer?: {algorithm?: string; hashOn?: Record<string, unknown>};
  headerRoutes?: unknown[];
  fault?: Record<string, unknown>;
  sidecarResources?: Partial<Resources>;
  rateLimit?: Partial<RateLimit>;
  jwt?: Partial<JwtRule>;
  headers?: Partial<HeaderRules>;
  canary?: Partial<CanaryPolicy>;
}
