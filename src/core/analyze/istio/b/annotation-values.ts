// Value checks for the annotations whose value the sidecar injector parses: the same
// annotations and the same syntax Istio's injector accepts, so that a value reported
// here is one injection would reject or misread.
import yaml from 'js-yaml';
import {isCidr} from './ip.js';

/** undefined when the value is acceptable, otherwise why it is not. */
type ValueCheck = (value: string) => string | undefined;

const UINT32_MAX = 4_294_967_295;

function unsigned32(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) <= UINT32_MAX ? undefined : `"${value}" is not a whole number of seconds or attempts`;
}

function port(value: string): string | undefined {
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) && Number(trimmed) <= 65_535 ? undefined : `"${value}" is not a port number`;
}

function portList(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const bad = trimmed.split(',').find((entry) => port(entry) !== undefined);
  return bad === undefined ? undefined : `"${bad}" in the port list is not a port number`;
}

function cidrList(value: string): string | undefined {
  if (value === '') return undefined;
  const bad = value.split(',').find((entry) => !isCidr(entry));
  return bad === undefined ? undefined : `"${bad}" is not an address range in CIDR form (no spaces allowed)`;
}

function orWildcard(check: ValueCheck): ValueCheck {
  return (value) => (value === '*' ? undefined : check(value));
}

const BOOLEANS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

function boolean(value: string): string | undefined {
  return BOOLEANS.has(value) ? undefined : `"${value}" is not true or false`;
}

function interceptionMode(value: string): string | undefined {
  return ['REDIRECT', 'TPROXY', 'NONE'].includes(value) ? undefined : `"${value}" is not one of REDIRECT, TPROXY or NONE`;
}

/** ProxyConfig overrides must at least be a YAML mapping; field-level checks are left to istiod. */
function proxyConfig(value: string): string | undefined {
  try {
    const parsed: unknown = yaml.load(value);
    if (parsed === undefined || parsed === null) return undefined;
    return typeof parsed === 'object' && !Array.isArray(parsed) ? undefined : 'the value is not a ProxyConfig mapping';
  } catch (error) {
    return `the value is not valid YAML (${(error as {reason?: string}).reason ?? 'parse error'})`;
  }
}

export const ANNOTATION_VALUE_CHECKS: ReadonlyMap<string, ValueCheck> = new Map([
  ['sidecar.istio.io/interceptionMode', interceptionMode],
  ['status.sidecar.istio.io/port', port],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', unsigned32],
  ['readiness.status.sidecar.istio.io/periodSeconds', unsigned32],
  ['readiness.status.sidecar.istio.io/failureThreshold', unsigned32],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', orWildcard(cidrList)],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', cidrList],
  ['traffic.sidecar.istio.io/includeInboundPorts', orWildcard(portList)],
  ['traffic.sidecar.istio.io/excludeInboundPorts', portList],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', portList],
  ['prometheus.istio.io/merge-metrics', boolean],
  ['proxy.istio.io/config', proxyConfig],
]);
