// Value checks of AuthorizationPolicy rules, shared by `from`/`to` fields and `when`
// conditions: IPs or CIDRs, ports, service accounts, trust domains, path templates, and
// the condition keys Istio knows.
import {isCidr, isIP} from '../query/ip.js';

const MAX_SERVICE_ACCOUNTS = 16;
const MAX_SERVICE_ACCOUNT_LENGTH = 320;
const MATCH_ONE = '{*}';
const MATCH_ANY = '{**}';
const PATH_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

export function emptyValueProblem(key: string, values: string[]): string | undefined {
  return values.includes('') ? `empty value not allowed, found in ${key}` : undefined;
}

export function ipProblems(values: string[]): string[] {
  return values.flatMap((value) => {
    if (value.includes('/')) return isCidr(value) ? [] : [`bad CIDR range (${value})`];
    return isIP(value) ? [] : [`bad IP address (${value})`];
  });
}

export function portProblems(values: string[]): string[] {
  return values.filter((value) => !/^\d+$/.test(value) || Number(value) > 65535).map((value) => `bad port (${value})`);
}

function wildcardProblem(key: string, values: string[]): string | undefined {
  const empty = emptyValueProblem(key, values);
  if (empty) return empty;
  for (const value of values) {
    const count = value.split('*').length - 1;
    if (count > 1) return `at most one wildcard is allowed, found in ${key}: "${value}"`;
    if (count === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*')) {
      return `wildcard is only allowed at the start or end, found in ${key}: "${value}"`;
    }
  }
  return undefined;
}

export function trustDomainProblem(key: string, values: string[]): string | undefined {
  const wildcard = wildcardProblem(key, values);
  if (wildcard) return wildcard;
  const slashed = values.find((value) => value.includes('/'));
  return slashed === undefined ? undefined : `trust domain must not contain '/', found in ${key}: "${slashed}"`;
}

function serviceAccountFormatProblem(key: string, value: string): string | undefined {
  if (value === '') return `empty value not allowed, found in ${key}`;
  if (value.includes('*')) return `wildcard not allowed, found in ${key}`;
  const parts = value.split('/');
  if (parts.length > 2) {
    return `expected format 'serviceAccount' or 'namespace/serviceAccount', found "${value}" in ${key}`;
  }
  if (value.length > MAX_SERVICE_ACCOUNT_LENGTH) {
    return `value cannot exceed ${MAX_SERVICE_ACCOUNT_LENGTH} characters, found "${value}" in ${key}`;
  }
  if (parts[0] === '') {
    return `expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace "${value}" in ${key}`;
  }
  return parts[1] === ''
    ? `expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount "${value}" in ${key}`
    : undefined;
}

export function serviceAccountProblem(key: string, values: string[]): string | undefined {
  if (values.length > MAX_SERVICE_ACCOUNTS) return `may not have more than ${MAX_SERVICE_ACCOUNTS} values`;
  for (const value of values) {
    const problem = serviceAccountFormatProblem(key, value);
    if (problem) return problem;
  }
  return undefined;
}

/** Path templates (`/a/{*}/b/{**}`): `{**}` last, no other braces, literal segments of URL path characters. */
export function pathTemplateProblem(key: string, paths: string[]): string | undefined {
  for (const original of paths) {
    const templated = original.includes(MATCH_ONE) || original.includes(MATCH_ANY);
    const path = original.replace(/^\/+|\/+$/g, '');
    let sawMatchAny = false;
    for (const segment of path.split('/')) {
      const template = segment === MATCH_ONE || segment === MATCH_ANY;
      if (template && sawMatchAny) {
        return `invalid or unsupported path ${path}, found in ${key}. {**} is not the last operator`;
      }
      if (template) {
        sawMatchAny = segment === MATCH_ANY;
        continue;
      }
      if (/[{}]/.test(segment)) {
        return `invalid or unsupported path ${path}, found in ${key}. Contains '{' or '}' beyond a supported path template`;
      }
      if (templated && !PATH_LITERAL.test(segment)) {
        return `invalid or unsupported path ${path}, found in ${key}. Contains segment ${segment} with invalid string literal`;
      }
    }
  }
  return undefined;
}

/** `name[key]` with a non-empty name and key. */
function mapKeyProblem(key: string): string | undefined {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2
    ? undefined
    : `bad key (${key}): should have format a[b]`;
}

const PLAIN_KEYS = new Set(['source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences',
  'request.auth.presenter', 'connection.sni']);
const MAP_KEY_PREFIXES = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];

/** Why a `when` condition's key or values are invalid, or undefined. */
export function conditionProblem(key: string, values: string[]): string | undefined {
  const empty = emptyValueProblem(key, values);
  if (empty) return empty;
  if (MAP_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) return mapKeyProblem(key);
  if (['source.ip', 'remote.ip', 'destination.ip'].includes(key)) return ipProblems(values)[0];
  if (key === 'destination.port') return portProblems(values)[0];
  if (key === 'source.serviceAccount') return serviceAccountProblem(key, values);
  if (key === 'source.trustDomain') return wildcardProblem(key, values);
  if (PLAIN_KEYS.has(key)) return undefined;
  if (key === 'destination.namespace') return `attribute ${key} is replaced by the metadata.namespace`;
  if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
  if (key === 'destination.name' || key === 'destination.user') {
    return `deprecated attribute ${key}: only supported in v1alpha1`;
  }
  return `unknown attribute: ${key}`;
}
