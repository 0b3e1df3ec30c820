// Name rules of Istio's validation. Istio's DNS labels accept upper-case letters (unlike
// Kubernetes object names); a wildcard may only lead the first label of a domain.
import {isCidr, isIP} from '../query/ip.js';

const LABEL = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const LABEL_PATTERN = new RegExp(`^${LABEL}$`);
const WILDCARD_LABEL_PATTERN = new RegExp(`^(?:\\*|(?:\\*|\\*-)?${LABEL})$`);
const MAX_LABEL = 63;
const MAX_DOMAIN = 255;

export function isDnsLabel(value: string): boolean {
  return value.length <= MAX_LABEL && LABEL_PATTERN.test(value);
}

function isWildcardLabel(value: string): boolean {
  return value.length <= MAX_LABEL && WILDCARD_LABEL_PATTERN.test(value);
}

function lengthProblem(domain: string): string | undefined {
  if (domain === '') return 'an empty domain name is not allowed';
  if (domain.length > MAX_DOMAIN) return `domain name "${domain}" is longer than ${MAX_DOMAIN} characters`;
  return undefined;
}

/** Labels of a plain domain; a trailing dot (`istio.io.`) is allowed, an all-numeric top-level label is not. */
function labelsProblem(whole: string, domain: string): string | undefined {
  const labels = domain.split('.');
  const last = labels.length - 1;
  if (/^[+-]?\d+$/.test(labels[last] ?? '')) return `domain name "${whole}" has an all-numeric top-level label`;
  const bad = labels.find((label, index) => !(index === last && label === '') && !isDnsLabel(label));
  return bad === undefined ? undefined : `domain name "${whole}" has an invalid label "${bad}"`;
}

/** Why `domain` is not a fully qualified name (no wildcard anywhere), or undefined. */
export function fqdnProblem(domain: string): string | undefined {
  return lengthProblem(domain) ?? labelsProblem(domain, domain);
}

/** Why `domain` is not a name with at most a leading wildcard label, or undefined. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const tooLong = lengthProblem(domain);
  if (tooLong) return tooLong;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardLabel(first)) return `domain name "${domain}" has an invalid label "${first}"`;
  return dot < 0 ? undefined : labelsProblem(domain, domain.slice(dot + 1));
}

/** A `*` anywhere but as the whole host or its leading `*.`. */
export function isPartialWildcard(host: string): boolean {
  return host.includes('*') && host !== '*' && !host.startsWith('*.');
}

/** Protocols Istio's port declarations accept, compared case-insensitively. */
const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo',
  'redis', 'mysql']);
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'http_proxy', 'grpc', 'grpc-web']);
const TLS_PROTOCOLS = new Set(['https', 'tls']);

export function isKnownProtocol(protocol: string): boolean {
  return PROTOCOLS.has(protocol.toLowerCase());
}

export function isHttpProtocol(protocol: string): boolean {
  return HTTP_PROTOCOLS.has(protocol.toLowerCase());
}

export function isTlsProtocol(protocol: string): boolean {
  return TLS_PROTOCOLS.has(protocol.toLowerCase());
}

/** Why a port number is out of range, or undefined. */
export function portNumberProblem(number: number): string | undefined {
  return number >= 1 && number <= 65535 ? undefined : `port number ${number} is outside 1..65535`;
}

/** Why an address is neither an IP nor (with one `/`) a CIDR block, or undefined. */
export function ipOrCidrProblem(address: string): string | undefined {
  if (address.split('/').length === 2) return isCidr(address) ? undefined : `${address} is not a valid CIDR block`;
  return isIP(address) ? undefined : `${address} is not a valid IP address`;
}
