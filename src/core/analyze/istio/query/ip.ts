// IP address and CIDR syntax, as strict as Go's net/netip (no leading zeros in IPv4
// octets, no zones), because the sidecar injector parses these values with it.

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIPv6(text: string): boolean {
  if (!text.includes(':') || /[^0-9a-fA-F:.]/.test(text)) return false;
  try {
    // The WHATWG URL parser implements the full IPv6 grammar (compressed groups, embedded IPv4).
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** `address/bits` with bits within the address family's width. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash === -1) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  if (isIPv4(address)) return Number(bits) <= 32;
  return isIPv6(address) && Number(bits) <= 128;
}
