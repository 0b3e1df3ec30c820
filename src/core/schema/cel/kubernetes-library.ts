// The functions of the Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) that
// the pinned CRDs' rules call, beside CEL's standard functions and the strings extension
// that @bufbuild/cel brings. Each follows the Go code it mirrors: Go's net/url
// ParseRequestURI for URLs, net/netip ParseAddr for IP addresses.
import {celFunc, celMethod, CelScalar, type CelFunc} from '@bufbuild/cel';

/** What url() keeps of a URL: its scheme is all the rules ask for. */
interface RequestUri {
  scheme: string;
}

/** Go's url.ParseRequestURI: an absolute URI or an absolute path, no fragment; throws with Go's complaint otherwise. */
export function parseRequestUri(raw: string): RequestUri {
  if ([...raw].some((char) => char < ' ' || char === '\x7f')) {
    throw new Error('net/url: invalid control character in URL');
  }
  if (raw === '') throw new Error('empty url');
  if (raw === '*') return {scheme: ''};
  const {scheme, rest: afterScheme} = splitScheme(raw);
  const queryAt = afterScheme.indexOf('?');
  const rest = queryAt === -1 ? afterScheme : afterScheme.slice(0, queryAt);
  if (!rest.startsWith('/')) {
    // `mailto:x`: an opaque URI is absolute, hence valid; without a scheme it is a relative reference.
    if (scheme !== '') return {scheme};
    throw new Error('invalid URI for request');
  }
  let path = rest;
  if (scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    path = slash === -1 ? '' : rest.slice(slash);
    checkAuthority(authority);
  }
  checkEscapes(path);
  return {scheme};
}

/** Go's getScheme: letters first, then letters, digits, `+-.`, up to a colon; anything else means there is no scheme. */
function splitScheme(raw: string): {scheme: string; rest: string} {
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (/[A-Za-z]/.test(char)) continue;
    if (/[0-9+\-.]/.test(char)) {
      if (i === 0) return {scheme: '', rest: raw};
      continue;
    }
    if (char === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return {scheme: raw.slice(0, i).toLowerCase(), rest: raw.slice(i + 1)};
    }
    return {scheme: '', rest: raw};
  }
  return {scheme: '', rest: raw};
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
/** Bytes Go's url package leaves unescaped in a host (shouldEscape with encodeHost). */
const HOST = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%\x80-\u{10ffff}]$/u;

function checkAuthority(authority: string): void {
  const at = authority.lastIndexOf('@');
  if (at !== -1 && !USERINFO.test(authority.slice(0, at))) throw new Error('net/url: invalid userinfo');
  const host = at === -1 ? authority : authority.slice(at + 1);
  let port: string;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close === -1) throw new Error("missing ']' in host");
    port = host.slice(close + 1);
  } else {
    const colon = host.lastIndexOf(':');
    port = colon === -1 ? '' : host.slice(colon);
  }
  if (port !== '' && !/^:[0-9]*$/.test(port)) throw new Error(`invalid port ${JSON.stringify(port)} after host`);
  const invalid = [...host].find((char) => !HOST.test(char));
  if (invalid !== undefined) throw new Error(`invalid character ${JSON.stringify(invalid)} in host name`);
  checkEscapes(host);
}

function checkEscapes(text: string): void {
  for (let i = text.indexOf('%'); i !== -1; i = text.indexOf('%', i + 1)) {
    if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      throw new Error(`invalid URL escape ${JSON.stringify(text.slice(i, i + 3))}`);
    }
  }
}

function isRequestUri(raw: string): boolean {
  try {
    parseRequestUri(raw);
    return true;
  } catch {
    return false;
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;

/**
 * Go's netip.ParseAddr as the Kubernetes IP library uses it: dotted IPv4 without leading
 * zeros, or IPv6, and neither a zone (`%eth0`) nor an IPv4-mapped IPv6 address.
 */
export function isIpAddress(raw: string): boolean {
  if (IPV4.test(raw)) return true;
  if (!raw.includes(':') || raw.includes('%')) return false;
  const hextets = ipv6Hextets(raw);
  if (hextets === undefined) return false;
  const mapped = hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff;
  return !mapped;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Hextets(raw: string): number[] | undefined {
  const halves = raw.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const parts = [...groups(halves[0]!), ...(halves.length === 2 ? ['::'] : []), ...groups(halves[1] ?? '')];
  const hextets: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === '::') {
      hextets.push(Number.NaN);
      continue;
    }
    if (i === parts.length - 1 && IPV4.test(part)) {
      const [a, b, c, d] = part.split('.').map(Number) as [number, number, number, number];
      hextets.push(a * 256 + b, c * 256 + d);
      continue;
    }
    if (!HEXTET.test(part)) return undefined;
    hextets.push(Number.parseInt(part, 16));
  }
  const gap = hextets.findIndex(Number.isNaN);
  if (gap === -1) return hextets.length === 8 ? hextets : undefined;
  const missing = 8 - (hextets.length - 1);
  if (missing < 1) return undefined;
  return [...hextets.slice(0, gap), ...Array<number>(missing).fill(0), ...hextets.slice(gap + 1)];
}

export const kubernetesLibrary: CelFunc[] = [
  // A URL value is the string it was made from, checked: rules only ask for its parts.
  celFunc('url', [CelScalar.STRING], CelScalar.STRING, (raw) => {
    try {
      parseRequestUri(raw);
    } catch (error) {
      throw new Error(
        `URL parse error during conversion from string: parse ${JSON.stringify(raw)}: ${(error as Error).message}`,
      );
    }
    return raw;
  }),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, isRequestUri),
  celMethod('getScheme', CelScalar.STRING, [], CelScalar.STRING, function(this: string) {
    return parseRequestUri(this).scheme;
  }),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, isIpAddress),
];
