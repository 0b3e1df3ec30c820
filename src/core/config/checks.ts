// Input rules. Each returns a sentence saying what is wrong, or undefined; callers add
// where the value came from (a flag, or a config file path and line).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const HTTP_HEADER = /^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/;

export function dns1123Label(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return `must be at most 63 characters (has ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

export function dns1123Subdomain(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253) return `must be at most 253 characters (has ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) return "must be a DNS-1123 subdomain: lowercase labels separated by '.'";
  return undefined;
}

/** Gateway and ServiceEntry hosts: a DNS name, optionally with a leading `*.` wildcard. */
export function hostName(value: string): string | undefined {
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  return dns1123Subdomain(bare) === undefined ? undefined : "must be a DNS name, optionally starting with '*.'";
}

export function integerInRange(value: number, min: number, max: number): string | undefined {
  if (!Number.isInteger(value)) return 'must be a whole number';
  if (value < min || value > max) return `must be between ${min} and ${max}`;
  return undefined;
}

export function port(value: number): string | undefined {
  return integerInRange(value, 1, 65535);
}

export function oneOf(value: string, allowed: readonly string[]): string | undefined {
  return allowed.includes(value) ? undefined : `must be one of: ${allowed.join(', ')}`;
}

export function duration(value: string): string | undefined {
  return DURATION.test(value) ? undefined : 'must be a duration such as 250ms, 5s, 10m or 1h';
}

/** A range PromQL accepts: whole numbers of ms, s, m or h (`30s`, `1m30s`, not `1.5m`). */
export function promqlDuration(value: string): string | undefined {
  return /^(?:\d+(?:ms|s|m|h))+$/.test(value) ? undefined : 'must be a PromQL duration such as 30s, 1m or 1m30s';
}

/** Durations in milliseconds, for rules that compare them (retries must fit in the timeout). */
export function durationMs(value: string): number {
  const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * (units[match[2] as string] ?? 0);
  }
  return total;
}

export function quantity(value: string): string | undefined {
  return QUANTITY.test(value) ? undefined : 'must be a Kubernetes quantity such as 100m, 1, 128Mi or 1Gi';
}

export function httpHeaderName(value: string): string | undefined {
  return HTTP_HEADER.test(value) ? undefined : "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)";
}

export function percent(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0 || value > 100) return 'must be a percentage between 0 and 100';
  return undefined;
}

export function httpsUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be an http(s) URL';
  } catch {
    return 'must be an http(s) URL';
  }
}
