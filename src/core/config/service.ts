// ServiceInput (from config or flags) + profile → a complete, checked ServiceSpec.
import {PROFILE_DEFAULTS} from './profiles.js';
import {Reader, type SpecIssue} from './reader.js';
import * as rule from './checks.js';
import {protocolOfPortName, type MeshProtocol} from '../protocol.js';
import {queryTemplateProblem} from '../canary/analysis.js';
import {LB_ALGORITHMS, PORT_PROTOCOLS, PROFILES, type Caller, type CanaryPolicy, type CircuitBreaker,
  type ConnectionPool, type FaultInjection, type HeaderRoute, type HeaderRules, type JwtRule, type LoadBalancer,
  type Mesh, type PortProtocol, type RateLimit, type Resources, type RetryPolicy, type ServicePort,
  type ServiceSpec} from './types.js';

const SERVICE_KEYS = [
  'name',
  'namespace',
  'profile',
  'serviceAccount',
  'ports',
  'callers',
  'ingressHosts',
  'timeout',
  'retries',
  'circuitBreaker',
  'connectionPool',
  'loadBalancer',
  'headerRoutes',
  'fault',
  'sidecarResources',
  'rateLimit',
  'jwt',
  'headers',
  'canary',
] as const;

/** Config protocols of Istio's; gRPC-Web counts as gRPC, as Istio's IsGRPC counts it. */
const CONFIG_PROTOCOL: Partial<Record<MeshProtocol, PortProtocol>> = {HTTP: 'http', HTTP2: 'http2', GRPC: 'grpc',
  'GRPC-WEB': 'grpc', TCP: 'tcp', TLS: 'tls'};

/** Istio's port naming convention (`http`, `grpc-web`, `tcp-postgres`), in the protocols the service config knows. */
export function protocolFromPortName(name: string): PortProtocol | undefined {
  const protocol = protocolOfPortName(name);
  return protocol && CONFIG_PROTOCOL[protocol];
}

function readPort(r: Reader): ServicePort | undefined {
  r.rejectUnknown(['name', 'port', 'targetPort', 'protocol']);
  const port = r.number('port', rule.port);
  if (port === undefined) {
    if (!r.has('port')) r.fail('port', 'is required');
    return undefined;
  }
  const name = r.string('name', rule.dns1123Label) ?? 'http';
  const protocol = r.oneOf('protocol', PORT_PROTOCOLS) ?? protocolFromPortName(name) ?? 'http';
  return {name, port, targetPort: r.number('targetPort', rule.port) ?? port, protocol};
}

export function parseCaller(value: string, defaultNamespace: string): Caller | string {
  const parts = value.split('/');
  if (parts.length > 2) return `${JSON.stringify(value)} must be SERVICE_ACCOUNT or NAMESPACE/SERVICE_ACCOUNT`;
  const [namespace, serviceAccount] = parts.length === 2
    ? [parts[0] ?? '', parts[1] ?? '']
    : [defaultNamespace, parts[0] ?? ''];
  const problem = rule.dns1123Label(namespace) ?? rule.dns1123Subdomain(serviceAccount);
  return problem ? `${JSON.stringify(value)} ${problem}` : {namespace, serviceAccount};
}

function readRetries(r: Reader, fallback: RetryPolicy | undefined): RetryPolicy | undefined {
  if (r.raw.retries === null || r.raw.retries === false) return undefined;
  const c = r.child('retries');
  if (!c) return fallback;
  c.rejectUnknown(['attempts', 'perTryTimeout', 'retryOn']);
  const base = fallback ?? {attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable'};
  return {
    attempts: c.number('attempts', (n) => rule.integerInRange(n, 0, 20)) ?? base.attempts,
    perTryTimeout: c.string('perTryTimeout', rule.duration) ?? base.perTryTimeout,
    retryOn: c.string('retryOn') ?? base.retryOn,
  };
}

function readCircuitBreaker(r: Reader | undefined, base: CircuitBreaker): CircuitBreaker {
  if (!r) return base;
  r.rejectUnknown(['consecutive5xxErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent']);
  return {
    consecutive5xxErrors: r.number('consecutive5xxErrors', (n) => rule.integerInRange(n, 1, 1000))
      ?? base.consecutive5xxErrors,
    interval: r.string('interval', rule.duration) ?? base.interval,
    baseEjectionTime: r.string('baseEjectionTime', rule.duration) ?? base.baseEjectionTime,
    maxEjectionPercent: r.number('maxEjectionPercent', (n) => rule.integerInRange(n, 0, 100))
      ?? base.maxEjectionPercent,
  };
}

function readConnectionPool(r: Reader | undefined, base: ConnectionPool): ConnectionPool {
  if (!r) return base;
  r.rejectUnknown(['maxConnections', 'connectTimeout', 'http1MaxPendingRequests', 'http2MaxRequests',
    'maxRequestsPerConnection']);
  const positive = (n: number) => rule.integerInRange(n, 1, 1_000_000);
  const pool: ConnectionPool = {
    maxConnections: r.number('maxConnections', positive) ?? base.maxConnections,
    connectTimeout: r.string('connectTimeout', rule.duration) ?? base.connectTimeout,
  };
  const http1 = r.number('http1MaxPendingRequests', positive) ?? base.http1MaxPendingRequests;
  const http2 = r.number('http2MaxRequests', positive) ?? base.http2MaxRequests;
  const perConnection = r.number('maxRequestsPerConnection', (n) => rule.integerInRange(n, 0, 1_000_000))
    ?? base.maxRequestsPerConnection;
  if (http1 !== undefined) pool.http1MaxPendingRequests = http1;
  if (http2 !== undefined) pool.http2MaxRequests = http2;
  if (perConnection !== undefined) pool.maxRequestsPerConnection = perConnection;
  return pool;
}

function readLoadBalancer(r: Reader | undefined, base: LoadBalancer): LoadBalancer {
  if (!r) return base;
  r.rejectUnknown(['algorithm', 'hashOn']);
  const algorithm = r.oneOf('algorithm', LB_ALGORITHMS) ?? base.algorithm;
  if (algorithm !== 'consistent-hash') return {algorithm};
  const hash = r.child('hashOn');
  if (!hash) return {algorithm, hashOn: base.hashOn ?? {header: 'x-session-id'}};
  hash.rejectUnknown(['header', 'cookie', 'ttl', 'sourceIp']);
  const header = hash.string('header', rule.httpHeaderName);
  if (header) return {algorithm, hashOn: {header}};
  const cookie = hash.string('cookie', rule.dns1123Label);
  if (cookie) return {algorithm, hashOn: {cookie, ttl: hash.string('ttl', rule.duration) ?? '3600s'}};
  if (hash.boolean('sourceIp')) return {algorithm, hashOn: {sourceIp: true}};
  hash.fail('header', 'consistent-hash needs one of hashOn.header, hashOn.cookie or hashOn.sourceIp');
  return {algorithm};
}

function readHeaderRoute(r: Reader): HeaderRoute | undefined {
  r.rejectUnknown(['header', 'value', 'subset']);
  const header = r.string('header', rule.httpHeaderName);
  const value = r.string('value');
  const subset = r.string('subset', rule.dns1123Label);
  if (!header || value === undefined || !subset) {
    if (!r.has('header') || !r.has('value') || !r.has('subset')) r.fail('header', 'needs header, value and subset');
    return undefined;
  }
  return {header, value, subset};
}

function readFault(r: Reader | undefined): FaultInjection | undefined {
  if (!r) return undefined;
  r.rejectUnknown(['delay', 'abort']);
  const fault: FaultInjection = {};
  const delay = r.child('delay');
  if (delay) {
    delay.rejectUnknown(['percent', 'fixedDelay']);
    fault.delay = {percent: delay.number('percent', rule.percent) ?? 100,
      fixedDelay: delay.string('fixedDelay', rule.duration) ?? '1s'};
  }
  const abort = r.child('abort');
  if (abort) {
    abort.rejectUnknown(['percent', 'httpStatus']);
    fault.abort = {percent: abort.number('percent', rule.percent) ?? 100,
      httpStatus: abort.number('httpStatus', (n) => rule.integerInRange(n, 200, 599)) ?? 503};
  }
  return fault.delay || fault.abort ? fault : undefined;
}

function readResources(r: Reader | undefined, base: Resources): Resources {
  if (!r) return base;
  r.rejectUnknown(['requests', 'limits']);
  const list = (key: 'requests' | 'limits') => {
    const c = r.child(key);
    if (c) c.rejectUnknown(['cpu', 'memory']);
    return {cpu: c?.string('cpu', rule.quantity) ?? base[key].cpu,
      memory: c?.string('memory', rule.quantity) ?? base[key].memory};
  };
  return {requests: list('requests'), limits: list('limits')};
}

function readRateLimit(r: Reader | undefined, base: RateLimit | undefined): RateLimit | undefined {
  if (!r) return base;
  r.rejectUnknown(['requests', 'per']);
  return {
    requests: r.number('requests', (n) => rule.integerInRange(n, 1, 1_000_000)) ?? base?.requests ?? 100,
    per: r.oneOf('per', ['second', 'minute', 'hour'] as const) ?? base?.per ?? 'second',
  };
}

export function readJwt(r: Reader | undefined, base: JwtRule | undefined): JwtRule | undefined {
  if (!r) return base;
  r.rejectUnknown(['issuer', 'jwksUri', 'audiences']);
  const issuer = r.string('issuer') ?? base?.issuer;
  const jwksUri = r.string('jwksUri', rule.httpsUrl) ?? base?.jwksUri;
  if (!issuer || !jwksUri) {
    r.fail('issuer', 'JWT needs both issuer and jwksUri');
    return undefined;
  }
  return {issuer, jwksUri, audiences: r.stringList('audiences') ?? base?.audiences ?? []};
}

function readHeaders(r: Reader | undefined, base: HeaderRules | undefined): HeaderRules | undefined {
  if (!r) return base;
  r.rejectUnknown(['request', 'response']);
  const side = (key: 'request' | 'response') => {
    const c = r.child(key);
    if (c) c.rejectUnknown(['set', 'remove']);
    return {
      set: c?.stringMap('set') ?? base?.[key].set ?? {},
      remove: c?.stringList('remove', rule.httpHeaderName) ?? base?.[key].remove ?? [],
    };
  };
  return {request: side('request'), response: side('response')};
}

function readCanaryQueries(r: Reader | undefined, base: CanaryPolicy['queries']): CanaryPolicy['queries'] {
  if (!r) return base;
  r.rejectUnknown(['successRate', 'latency']);
  const queries = {...base};
  for (const key of ['successRate', 'latency'] as const) {
    const template = r.string(key, queryTemplateProblem);
    if (template !== undefined) queries[key] = template;
  }
  return queries;
}

function readCanary(r: Reader | undefined, base: CanaryPolicy): CanaryPolicy {
  if (!r) return base;
  r.rejectUnknown(['enabled', 'interval', 'threshold', 'stepWeight', 'maxWeight', 'minSuccessRate', 'maxLatencyMs',
    'window', 'queries']);
  const queries = readCanaryQueries(r.child('queries'), base.queries);
  return {
    ...(queries ? {queries} : {}),
    enabled: r.boolean('enabled') ?? base.enabled,
    interval: r.string('interval', rule.duration) ?? base.interval,
    threshold: r.number('threshold', (n) => rule.integerInRange(n, 1, 100)) ?? base.threshold,
    stepWeight: r.number('stepWeight', (n) => rule.integerInRange(n, 1, 100)) ?? base.stepWeight,
    maxWeight: r.number('maxWeight', (n) => rule.integerInRange(n, 1, 100)) ?? base.maxWeight,
    minSuccessRate: r.number('minSuccessRate', rule.percent) ?? base.minSuccessRate,
    maxLatencyMs: r.number('maxLatencyMs', (n) => rule.integerInRange(n, 1, 3_600_000)) ?? base.maxLatencyMs,
    window: r.string('window', rule.promqlDuration) ?? base.window,
  };
}

export interface ServiceContext {
  mesh: Mesh;
  defaultNamespace: string;
  platformJwt?: JwtRule;
  /** The platform's ingress hosts: where an api-gateway is exposed unless it says otherwise. */
  platformIngressHosts?: string[];
}

/** Resolves a service against its profile. Problems are added to `issues`; the result is only safe to use when none were. */
export function resolveService(raw: unknown, context: ServiceContext, issues: SpecIssue[], path = ''): ServiceSpec
  | undefined
{
  const r = Reader.root(raw, issues, path);
  r.rejectUnknown(SERVICE_KEYS);
  const name = r.string('name', rule.dns1123Label);
  if (name === undefined) {
    if (!r.has('name')) r.fail('name', 'is required');
    return undefined;
  }
  const profile = r.oneOf('profile', PROFILES) ?? 'default';
  const defaults = PROFILE_DEFAULTS[profile];
  const namespace = r.string('namespace', rule.dns1123Label) ?? context.defaultNamespace;
  const callers: Caller[] = [];
  (r.stringList('callers') ?? []).forEach((value, index) => {
    const caller = parseCaller(value, namespace);
    if (typeof caller === 'string') r.fail(`callers[${index}]`, caller);
    else callers.push(caller);
  });
  const ports = r.list('ports', readPort) ?? defaults.ports;
  const spec: ServiceSpec = {
    name,
    namespace,
    mesh: context.mesh,
    profile,
    serviceAccount: r.string('serviceAccount', rule.dns1123Subdomain) ?? name,
    ports,
    callers,
    ingressHosts: r.stringList('ingressHosts', rule.hostName)
      ?? (profile === 'api-gateway' ? context.platformIngressHosts ?? [] : []),
    timeout: r.string('timeout', rule.duration) ?? defaults.timeout,
    circuitBreaker: readCircuitBreaker(r.child('circuitBreaker'), defaults.circuitBreaker),
    connectionPool: readConnectionPool(r.child('connectionPool'), defaults.connectionPool),
    loadBalancer: readLoadBalancer(r.child('loadBalancer'), defaults.loadBalancer),
    headerRoutes: r.list('headerRoutes', readHeaderRoute) ?? defaults.headerRoutes,
    sidecarResources: readResources(r.child('sidecarResources'), defaults.sidecarResources),
    canary: readCanary(r.child('canary'), defaults.canary),
  };
  const retries = readRetries(r, defaults.retries);
  if (retries) spec.retries = retries;
  const fault = readFault(r.child('fault'));
  if (fault) spec.fault = fault;
  const rateLimit = readRateLimit(r.child('rateLimit'), defaults.rateLimit);
  if (rateLimit) spec.rateLimit = rateLimit;
  const jwt = readJwt(r.child('jwt'), profile === 'api-gateway' ? context.platformJwt : undefined);
  if (jwt) spec.jwt = jwt;
  const headers = readHeaders(r.child('headers'), defaults.headers);
  if (headers) spec.headers = headers;
  checkConsistency(spec, r);
  return spec;
}

const FLAGGER_LONGEST_SUFFIX = '-primary';

/** Rules that span several settings. */
function checkConsistency(spec: ServiceSpec, r: Reader): void {
  const names = new Set<string>();
  const numbers = new Set<number>();
  spec.ports.forEach((p, index) => {
    if (names.has(p.name)) r.fail(`ports[${index}]`, `port name ${JSON.stringify(p.name)} is used twice`);
    if (numbers.has(p.port)) r.fail(`ports[${index}]`, `port ${p.port} is used twice`);
    names.add(p.name);
    numbers.add(p.port);
  });
  const timeoutMs = rule.durationMs(spec.timeout);
  if (spec.retries && timeoutMs > 0
    && spec.retries.attempts * rule.durationMs(spec.retries.perTryTimeout) > timeoutMs)
  {
    r.fail('retries',
      `${spec.retries.attempts} attempts × ${spec.retries.perTryTimeout} do not fit in the ${spec.timeout} timeout`);
  }
  if (spec.canary.maxWeight < spec.canary.stepWeight) r.fail('canary', 'maxWeight must be at least stepWeight');
  // Flagger names the objects it makes NAME-primary and NAME-canary, each a DNS-1123 label.
  if (spec.canary.enabled && `${spec.name}${FLAGGER_LONGEST_SUFFIX}`.length > 63) {
    r.fail('name',
      `${
        JSON.stringify(spec.name)
      } is too long for a canary: Flagger names its objects ${spec.name}${FLAGGER_LONGEST_SUFFIX}, which must fit in 63 characters (use at most ${
        63 - FLAGGER_LONGEST_SUFFIX.length
      })`);
  }
  if (spec.profile === 'api-gateway' && !spec.jwt) {
    r.fail('jwt',
      'the api-gateway profile needs JWT settings (issuer, jwksUri), in the service or in the platform config');
  }
}
