// Value checks for the annotations whose value the sidecar injector parses: the same
// annotations and the same syntax Istio's injector accepts, so that a value reported
// here is one injection would reject or misread.
import yaml from 'js-yaml';
import {isCidr} from '../../query/ip.js';

/** undefined when the value is acceptable, otherwise why it is not. */
type ValueCheck = (value: string) => string | undefined;

const UINT32_MAX = 4_294_967_295;

function unsigned32(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) <= UINT32_MAX
    ? undefined
    : `"${value}" is not a whole number of seconds or attempts`;
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
  return ['REDIRECT', 'TPROXY', 'NONE'].includes(value)
    ? undefined
    : `"${value}" is not one of REDIRECT, TPROXY or NONE`;
}

/** Top-level fields of ProxyConfig (istio.io/api v1.31.0, mesh/v1alpha1/proxy.proto), as JSON names. */
const PROXY_CONFIG_FIELDS = new Set([
  'availabilityZone',
  'binaryPath',
  'caCertificatesPem',
  'concurrency',
  'configPath',
  'connectionSettings',
  'controlPlaneAuthPolicy',
  'customConfigFile',
  'discoveryAddress',
  'discoveryRefreshDelay',
  'drainDuration',
  'envoyAccessLogService',
  'envoyMetricsService',
  'envoyMetricsServiceAddress',
  'extraStatTags',
  'fileFlushInterval',
  'fileFlushMinSizeKb',
  'gatewayTopology',
  'holdApplicationUntilProxyStarts',
  'image',
  'interceptionMode',
  'meshId',
  'privateKeyProvider',
  'proxyAdminPort',
  'proxyBootstrapTemplatePath',
  'proxyHeaders',
  'proxyMetadata',
  'proxyStatsMatcher',
  'readinessProbe',
  'runtimeValues',
  'sds',
  'serviceCluster',
  'statNameLength',
  'statsCompression',
  'statsdUdpAddress',
  'statusPort',
  'terminationDrainDuration',
  'tracing',
  'tracingServiceName',
  'zipkinAddress',
]);

/** Protobuf JSON accepts the proto field name (snake_case) as well as the JSON name. */
function jsonName(field: string): string {
  return field.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * ProxyConfig overrides must be a mapping of known ProxyConfig fields; a misspelt field
 * makes the injector reject the whole annotation. Values inside fields are left to istiod.
 */
function proxyConfig(value: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = yaml.load(value);
  } catch (error) {
    return `the value is not valid YAML (${(error as {reason?: string}).reason ?? 'parse error'})`;
  }
  if (parsed === undefined || parsed === null) return undefined;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return 'the value is not a ProxyConfig mapping';
  const unknown = Object.keys(parsed).filter((field) => !PROXY_CONFIG_FIELDS.has(jsonName(field)));
  return unknown.length === 0
    ? undefined
    : `ProxyConfig has no field ${unknown.map((field) => `"${field}"`).join(', ')}`;
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
