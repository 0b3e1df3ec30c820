// Istio's validation of a DestinationRule traffic policy (top level, per subset, per port):
// it must set something; connection pool limits are non-negative and its durations whole
// milliseconds; outlier detection percentages in 0..100; consistent hash and locality
// settings coherent; client TLS given the certificates its mode needs and no others.
import type {FieldPath} from '../../../field-line.js';
import {isIP} from '../query/ip.js';
import {asArray, asInteger, asRecord, asString} from '../query/fields.js';
import {durationProblems, wholeMilliseconds} from './durations.js';
import {localityLbProblems} from './locality.js';
import {fqdnProblem, portNumberProblem} from './names.js';
import {rejected, warned, type Problem} from './problems.js';

type Settings = Record<string, unknown>;

const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'];
const POLICY_FIELDS = [...PORT_POLICY_FIELDS, 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
const HTTP_LIMITS: [string, string][] = [
  ['http1MaxPendingRequests', 'http1 max pending requests'],
  ['http2MaxRequests', 'http2 max requests'],
  ['maxRequestsPerConnection', 'max requests per connection'],
  ['maxRetries', 'max retries'],
  ['maxConcurrentStreams', 'max concurrent streams'],
];
const MAGLEV_TABLE_LIMIT = 5_000_011;

function isSet(value: unknown): boolean {
  return Array.isArray(value)
    ? value.length > 0
    : typeof value === 'string'
    ? value !== ''
    : value !== undefined && value !== null;
}

function durationsOf(settings: Settings, keys: string[], field: FieldPath): Problem[] {
  return keys.flatMap((key) => durationProblems(settings[key], [...field, key]));
}

function negativeProblems(settings: Settings, limits: [string, string][], field: FieldPath): Problem[] {
  return limits.filter(([key]) => (asInteger(settings[key]) ?? 0) < 0).map(([key, what]) =>
    rejected(`${what} must be non-negative`, [...field, key])
  );
}

function connectionPoolProblems(pool: Settings, field: FieldPath): Problem[] {
  const http = asRecord(pool.http);
  const tcp = asRecord(pool.tcp);
  if (!http && !tcp) return [rejected('connection pool must have at least one field', field)];
  const problems: Problem[] = [];
  if (http) {
    const at = [...field, 'http'];
    problems.push(...negativeProblems(http, HTTP_LIMITS, at), ...durationsOf(http, ['idleTimeout'], at));
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      problems.push(
        rejected('use client protocol must not be true when H2UpgradePolicy is UPGRADE', [...at, 'useClientProtocol']),
      );
    }
  }
  if (tcp) {
    const at = [...field, 'tcp'];
    problems.push(...negativeProblems(tcp, [['maxConnections', 'max connections']], at),
      ...durationsOf(tcp, ['connectTimeout', 'maxConnectionDuration'], at));
    // An idle timeout of 0 disables it.
    if (wholeMilliseconds(tcp.idleTimeout) !== 0n) problems.push(...durationsOf(tcp, ['idleTimeout'], at));
    const keepalive = asRecord(tcp.tcpKeepalive);
    if (keepalive) problems.push(...durationsOf(keepalive, ['time', 'interval'], [...at, 'tcpKeepalive']));
  }
  return problems;
}

function outlierDetectionProblems(outlier: Settings, field: FieldPath): Problem[] {
  const problems = durationsOf(outlier, ['baseEjectionTime', 'interval'], field);
  if ((asInteger(outlier.consecutiveErrors) ?? 0) !== 0) {
    problems.push(
      warned(
        'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
        [...field, 'consecutiveErrors'],
      ),
    );
  }
  if (outlier.splitExternalLocalOriginErrors !== true && (asInteger(outlier.consecutiveLocalOriginFailures) ?? 0) > 0) {
    problems.push(
      rejected(
        'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
        [...field, 'consecutiveLocalOriginFailures'],
      ),
    );
  }
  for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
    const percent = asInteger(outlier[key]) ?? 0;
    if (percent < 0 || percent > 100) {
      problems.push(rejected(`percentage ${percent} is not in range 0..100`, [...field, key]));
    }
  }
  return problems;
}

/** Envoy's primality test for Maglev table sizes: 1, 2 and 3 count as prime, 0 does not. */
function isPrime(value: number): boolean {
  if (value > 0 && value < 4) return true;
  if (value % 2 === 0) return false;
  for (let factor = 3; factor * factor <= value; factor += 2) if (value % factor === 0) return false;
  return true;
}

function cookieProblems(cookie: Settings, field: FieldPath): Problem[] {
  const problems: Problem[] = (asString(cookie.name) ?? '') === ''
    ? [rejected('name required for HttpCookie', field)]
    : [];
  const seen = new Set<string>();
  asArray(cookie.attributes).forEach((attribute, index) => {
    const name = asString(asRecord(attribute)?.name) ?? '';
    if (name === '') problems.push(rejected('cookie attribute name cannot be empty', [...field, 'attributes', index]));
    else if (seen.has(name)) {
      problems.push(rejected(`duplicate cookie attribute name: ${name}`, [...field, 'attributes', index]));
    }
    seen.add(name);
  });
  return problems;
}

function consistentHashProblems(hash: Settings, field: FieldPath): Problem[] {
  const cookie = asRecord(hash.httpCookie);
  const problems = cookie ? cookieProblems(cookie, [...field, 'httpCookie']) : [];
  if ((asInteger(hash.minimumRingSize) ?? 0) !== 0) {
    problems.push(
      warned("consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead", [
        ...field,
        'minimumRingSize',
      ]),
    );
    if (asRecord(hash.ringHash) || asRecord(hash.maglev)) {
      problems.push(rejected('only one of MinimumRingSize or Maglev/Ringhash can be specified', field));
    }
  }
  const maglev = asRecord(hash.maglev);
  if (maglev) {
    const size = asInteger(maglev.tableSize) ?? 0;
    const at = [...field, 'maglev'];
    if (size === 0) problems.push(rejected('tableSize must be set for maglev', at));
    if (size >= MAGLEV_TABLE_LIMIT) {
      problems.push(rejected(`tableSize must be less than ${MAGLEV_TABLE_LIMIT} for maglev`, [...at, 'tableSize']));
    }
    if (!isPrime(size)) problems.push(rejected('tableSize must be a prime number for maglev', [...at, 'tableSize']));
  }
  return problems;
}

function warmupProblems(warmup: Settings, field: FieldPath): Problem[] {
  const problems = warmup.duration === undefined || warmup.duration === null
    ? [rejected('duration is required', field)]
    : durationsOf(warmup, ['duration'], field);
  const minimum = warmup.minimumPercent;
  if (typeof minimum === 'number' && minimum > 100) {
    problems.push(rejected('minimumPercent value should be less than or equal to 100', [...field, 'minimumPercent']));
  }
  const aggression = warmup.aggression;
  if (typeof aggression === 'number' && aggression < 1) {
    problems.push(rejected('aggression should be greater than or equal to 1', [...field, 'aggression']));
  }
  return problems;
}

function loadBalancerProblems(balancer: Settings, hasOutlierDetection: boolean, field: FieldPath): Problem[] {
  const hash = asRecord(balancer.consistentHash);
  const locality = asRecord(balancer.localityLbSetting);
  const warmup = asRecord(balancer.warmup);
  return [
    ...(hash ? consistentHashProblems(hash, [...field, 'consistentHash']) : []),
    ...(locality ? localityLbProblems(locality, hasOutlierDetection, [...field, 'localityLbSetting']) : []),
    ...(warmup ? warmupProblems(warmup, [...field, 'warmup']) : []),
  ];
}

function insecureSkipVerifyProblems(tls: Settings, mode: string, field: FieldPath): Problem[] {
  if (tls.insecureSkipVerify !== true) return [];
  const names = isSet(tls.caCertificates) || isSet(tls.subjectAltNames);
  if (mode === 'SIMPLE' && (names || isSet(tls.credentialName))) {
    return [
      rejected('cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true',
        field),
    ];
  }
  return mode === 'MUTUAL' && names
    ? [rejected('cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true', field)]
    : [];
}

/** Client TLS: a credentialName replaces inline files; MUTUAL without one needs a client certificate and key. */
function tlsProblems(tls: Settings, field: FieldPath): Problem[] {
  const mode = asString(tls.mode) ?? 'DISABLE';
  const problems = insecureSkipVerifyProblems(tls, mode, field);
  const certificateModes = mode === 'SIMPLE' || mode === 'MUTUAL';
  if (certificateModes && isSet(tls.credentialName)) {
    if (['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].some((key) => isSet(tls[key]))) {
      problems.push(
        rejected('cannot specify client certificates or CA certificate or CA CRL If credentialName is set', field),
      );
    }
    return problems;
  }
  if (mode !== 'MUTUAL') return problems;
  if (!isSet(tls.clientCertificate)) problems.push(rejected('client certificate required for mutual tls', field));
  if (!isSet(tls.privateKey)) problems.push(rejected('private key required for mutual tls', field));
  return problems;
}

function tunnelProblems(tunnel: Settings, field: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const protocol = asString(tunnel.protocol) ?? '';
  if (!['', 'CONNECT', 'POST'].includes(protocol)) {
    problems.push(rejected('tunnel protocol must be "CONNECT" or "POST"', [...field, 'protocol']));
  }
  const host = asString(tunnel.targetHost) ?? '';
  const hostProblem = fqdnProblem(host);
  if (hostProblem && !isIP(host)) {
    problems.push(
      rejected(`tunnel target host must be valid FQDN or IP address: ${hostProblem}`, [...field, 'targetHost']),
    );
  }
  const portProblem = portNumberProblem(asInteger(tunnel.targetPort) ?? 0);
  if (portProblem) problems.push(rejected(`tunnel target port is invalid: ${portProblem}`, [...field, 'targetPort']));
  return problems;
}

/** The settings a port-level policy shares with the whole policy. */
function sharedSettingsProblems(policy: Settings, field: FieldPath): Problem[] {
  const outlier = asRecord(policy.outlierDetection);
  const pool = asRecord(policy.connectionPool);
  const balancer = asRecord(policy.loadBalancer);
  const tls = asRecord(policy.tls);
  return [
    ...(outlier ? outlierDetectionProblems(outlier, [...field, 'outlierDetection']) : []),
    ...(pool ? connectionPoolProblems(pool, [...field, 'connectionPool']) : []),
    ...(balancer ? loadBalancerProblems(balancer, outlier !== undefined, [...field, 'loadBalancer']) : []),
    ...(tls ? tlsProblems(tls, [...field, 'tls']) : []),
  ];
}

function portPolicyProblems(entry: unknown, field: FieldPath): Problem[] {
  const policy = asRecord(entry);
  if (!policy) return [rejected('traffic policy may not be null', field)];
  const problems: Problem[] = asRecord(policy.port) ? [] : [rejected('portTrafficPolicy must have valid port', field)];
  if (!PORT_POLICY_FIELDS.some((key) => isSet(policy[key]))) {
    return [...problems, rejected('port traffic policy must have at least one field', field)];
  }
  return [...problems, ...sharedSettingsProblems(policy, field)];
}

export function trafficPolicyProblems(policy: Settings, field: FieldPath): Problem[] {
  if (!POLICY_FIELDS.some((key) => isSet(policy[key]))) {
    return [rejected('traffic policy must have at least one field', field)];
  }
  const tunnel = asRecord(policy.tunnel);
  if (tunnel && isSet(policy.proxyProtocol)) {
    return [rejected('tunnel and proxyProtocol must not be set together', field)];
  }
  return [
    ...sharedSettingsProblems(policy, field),
    ...asArray(policy.portLevelSettings).flatMap((entry, index) =>
      portPolicyProblems(entry, [...field, 'portLevelSettings', index])
    ),
    ...(tunnel ? tunnelProblems(tunnel, [...field, 'tunnel']) : []),
  ];
}
