// Istio's validation of Gateways: a name that is a DNS label, at least one server, and per
// server its hosts, port, bind address and TLS settings; port names unique across servers.
// Cipher suite names are not checked (that needs Envoy's list).
import type {FieldPath} from '../../../field-line.js';
import {isIP} from '../query/ip.js';
import {asArray, asInteger, asRecord, asString, asStrings} from '../query/fields.js';
import {isDnsLabel, isHttpProtocol, isKnownProtocol, isPartialWildcard, isTlsProtocol, portNumberProblem,
  wildcardDomainProblem} from './names.js';
import {rejected, warned, type Problem} from './problems.js';

const UNIX_PREFIX = 'unix://';
const CERTIFICATE_MODES = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);
const PASSTHROUGH_MODES = new Set(['PASSTHROUGH', 'AUTO_PASSTHROUGH']);

function has(record: Record<string, unknown>, key: string): boolean {
  const value = record[key];
  return Array.isArray(value)
    ? value.length > 0
    : typeof value === 'string'
    ? value !== ''
    : value !== undefined && value !== null;
}

/** The DNS part of a server host: a dotted name (or `*`) with at most a leading wildcard, or an IP. */
function dnsPartProblems(host: string, field: FieldPath): Problem[] {
  const problems: Problem[] = [];
  if (host !== '*' && !host.includes('.')) {
    problems.push(rejected(`server host ${host}: short names (non FQDN) are not allowed`, field));
  }
  const problem = wildcardDomainProblem(host);
  if (problem && !isIP(host)) problems.push(rejected(`invalid server host: ${problem}`, field));
  if (isPartialWildcard(host)) {
    problems.push(
      rejected(`server host ${host}: a wildcard may only stand for whole leading labels (*.example.com)`, field),
    );
  }
  return problems;
}

/** `namespace/dnsName` or a bare dnsName; the namespace may be `*`, `.` or a DNS label. */
function serverHostProblems(host: string, field: FieldPath): Problem[] {
  const slash = host.indexOf('/');
  if (slash < 0) return dnsPartProblems(host, field);
  const namespace = host.slice(0, slash);
  const name = host.slice(slash + 1);
  const problems: Problem[] = [];
  if (namespace === '' || name === '') {
    problems.push(rejected(`server host "${host}" needs both a namespace and a DNS name`, field));
  }
  if (namespace !== '*' && namespace !== '.' && !isDnsLabel(namespace)) {
    problems.push(rejected(`invalid namespace value "${namespace}" in gateway`, field));
  }
  return [...problems, ...dnsPartProblems(name, field)];
}

function portProblems(port: Record<string, unknown>, bind: string, field: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const protocol = asString(port.protocol) ?? '';
  if (!isKnownProtocol(protocol)) {
    problems.push(
      rejected(
        `invalid protocol "${protocol}"; use HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS, MONGO, REDIS or MYSQL`,
        [...field, 'protocol'],
      ),
    );
  }
  const number = asInteger(port.number) ?? 0;
  const numberProblem = number > 0 || !bind.startsWith(UNIX_PREFIX) ? portNumberProblem(number) : undefined;
  if (numberProblem) problems.push(rejected(numberProblem, [...field, 'number']));
  if ((asInteger(port.targetPort) ?? 0) > 0) {
    problems.push(rejected('targetPort has no impact on Gateways', [...field, 'targetPort']));
  }
  if ((asString(port.name) ?? '') === '') problems.push(rejected('port name must be set', field));
  return problems;
}

function bindProblems(bind: string, port: Record<string, unknown> | undefined, field: FieldPath): Problem[] {
  if (bind.startsWith(UNIX_PREFIX)) {
    const path = bind.slice(UNIX_PREFIX.length);
    const problems: Problem[] = [];
    if (!path.startsWith('/') || path.endsWith('/')) {
      problems.push(rejected(`${path} is not an absolute path to a file`, [...field, 'bind']));
    }
    if (port && (asInteger(port.number) ?? 0) !== 0) {
      problems.push(rejected('port number must be 0 for a unix domain socket bind', [...field, 'port', 'number']));
    }
    return problems;
  }
  return bind === '' || isIP(bind) ? [] : [rejected(`bind ${bind} is not a valid IP`, [...field, 'bind'])];
}

/** ISTIO_MUTUAL takes its certificates from the mesh: no other source may be named. */
function istioMutualProblems(tls: Record<string, unknown>, field: FieldPath): Problem[] {
  return ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames']
    .filter((key) => has(tls, key))
    .map((key) => rejected(`ISTIO_MUTUAL TLS cannot have ${key}`, [...field, key]));
}

function certificateProblems(tls: Record<string, unknown>, mode: string, field: FieldPath): Problem[] {
  const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
  const problems: Problem[] = [];
  if (mode !== 'SIMPLE' && !has(tls, 'caCertificates')) {
    problems.push(rejected(`${prefix} requires a client CA bundle`, field));
  }
  const listed = asArray(tls.tlsCertificates);
  if (listed.length > 2) {
    problems.push(warned(`${prefix} can serve at most 2 certificates`, [...field, 'tlsCertificates']));
  }
  const certificates = listed.length > 0 ? listed.map((entry) => asRecord(entry) ?? {}) : [tls];
  for (const certificate of certificates) {
    if (!has(certificate, 'serverCertificate')) {
      problems.push(rejected(`${prefix} requires a server certificate`, field));
    }
    if (!has(certificate, 'privateKey')) problems.push(rejected(`${prefix} requires a private key`, field));
  }
  return problems;
}

function tlsProblems(tls: Record<string, unknown>, field: FieldPath): Problem[] {
  const mode = asString(tls.mode) ?? 'PASSTHROUGH';
  const problems: Problem[] = [];
  const minimum = asString(tls.minProtocolVersion);
  if ((minimum === 'TLSV1_0' || minimum === 'TLSV1_1') && !has(tls, 'cipherSuites')) {
    problems.push(
      warned(`${minimum} needs cipherSuites set: the default suites no longer include ones it can use`, [...field,
        'minProtocolVersion']),
    );
  }
  if (mode === 'ISTIO_MUTUAL') return [...problems, ...istioMutualProblems(tls, field)];
  if (PASSTHROUGH_MODES.has(mode)
    && ['caCrl', 'serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName',
      'credentialNames'].some((key) => has(tls, key)))
  {
    problems.push(warned(`${mode} mode does not use certificates; the ones given are ignored`, field));
  }
  const sources = [has(tls, 'serverCertificate') && has(tls, 'privateKey'), has(tls, 'credentialName'),
    has(tls, 'credentialNames'), has(tls, 'tlsCertificates')];
  if (sources.filter(Boolean).length > 1) {
    problems.push(
      rejected(
        'only one of credentialName, credentialNames, serverCertificate/privateKey and tlsCertificates may be given',
        field,
      ),
    );
  }
  // With a credentialName the certificates come from a Secret, so none is needed inline.
  const fromSecret = has(tls, 'credentialName') || has(tls, 'credentialNames');
  if (CERTIFICATE_MODES.has(mode) && fromSecret) return problems;
  if (CERTIFICATE_MODES.has(mode)) problems.push(...certificateProblems(tls, mode, field));
  if (has(tls, 'caCrl')) {
    if (has(tls, 'credentialName')) {
      problems.push(
        rejected('caCrl cannot be used with credentialName; put the CRL in the credential', [...field, 'caCrl']),
      );
    }
    if (mode === 'SIMPLE') problems.push(rejected('caCrl is not supported with SIMPLE TLS', [...field, 'caCrl']));
  }
  return problems;
}

/** A plain-text port may carry TLS settings only to redirect to HTTPS; an HTTPS or TLS port needs them. */
function tlsPresenceProblems(protocol: string, tls: Record<string, unknown> | undefined, field: FieldPath): Problem[] {
  if (isTlsProtocol(protocol)) {
    return tls ? [] : [rejected('server must have TLS settings for HTTPS/TLS protocols', field)];
  }
  if (!tls) return [];
  if (!isHttpProtocol(protocol)) {
    return [rejected('server cannot have TLS settings for non HTTPS/TLS ports', [...field, 'tls'])];
  }
  const passthrough = PASSTHROUGH_MODES.has(asString(tls.mode) ?? 'PASSTHROUGH');
  if (passthrough && !['caCertificates', 'privateKey', 'serverCertificate'].some((key) => has(tls, key))) return [];
  return [rejected('server cannot have TLS settings for plain text HTTP ports', [...field, 'tls'])];
}

function serverProblems(server: unknown, index: number): Problem[] {
  const field = ['spec', 'servers', index];
  const record = asRecord(server);
  if (!record) return [rejected('a server is null', field)];
  const hosts = asStrings(record.hosts);
  const bind = asString(record.bind) ?? '';
  const port = asRecord(record.port);
  const tls = asRecord(record.tls);
  const problems: Problem[] = hosts.length === 0
    ? [rejected('server config must contain at least one host', field)]
    : [];
  hosts.forEach((host, position) => problems.push(...serverHostProblems(host, [...field, 'hosts', position])));
  const ofPort = port ? portProblems(port, bind, [...field, 'port']) : [rejected('port is required', field)];
  problems.push(...ofPort, ...bindProblems(bind, port, field));
  if (tls) problems.push(...tlsProblems(tls, [...field, 'tls']));
  if (port && ofPort.length === 0) problems.push(...tlsPresenceProblems(asString(port.protocol) ?? '', tls, field));
  return problems;
}

/** Port names identify servers across the whole Gateway. */
function portNameProblems(servers: unknown[]): Problem[] {
  const seen = new Set<string>();
  return servers.flatMap((server, index) => {
    const port = asRecord(asRecord(server)?.port);
    if (!port) return [];
    const name = asString(port.name) ?? '';
    const problems: Problem[] = [];
    if (seen.has(name)) {
      problems.push(
        rejected(`port names in servers must be unique: duplicate name ${name}`, ['spec', 'servers', index, 'port',
          'name']),
      );
    }
    seen.add(name);
    if (!isHttpProtocol(asString(port.protocol) ?? '') && asRecord(asRecord(server)?.tls)?.httpsRedirect === true) {
      problems.push(
        warned('tls.httpsRedirect only makes sense on HTTP servers', ['spec', 'servers', index, 'tls',
          'httpsRedirect']),
      );
    }
    return problems;
  });
}

export function gatewayProblems(name: string, spec: Record<string, unknown>): Problem[] {
  const servers = asArray(spec.servers);
  return [
    ...(isDnsLabel(name) ? [] : [rejected(`invalid gateway name: "${name}" is not a DNS label`, ['metadata', 'name'])]),
    ...(servers.length === 0
      ? [rejected('gateway must have at least one server', ['spec'])]
      : servers.flatMap(serverProblems)),
    ...portNameProblems(servers),
  ];
}
