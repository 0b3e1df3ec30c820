// An Envoy config dump (the proxy's admin `/config_dump?include_eds`, or a file saved from
// it) summarised as `istioctl proxy-config` summarises it: clusters with their Istio
// service, port, subset and DestinationRule (and here their circuit-breaker thresholds),
// listeners by port with each filter chain's match and destination, route configurations
// by virtual host, and endpoints with their health. Pure: the caller reads the dump.
import {asArray, asInteger, asRecord, asString, asStrings, at} from '../analyze/istio/query/fields.js';

export interface ClusterRow {
  name: string;
  /** The service FQDN of an Istio cluster (`outbound|80|v1|x.ns.svc.cluster.local`), else the cluster's name. */
  fqdn: string;
  port: string;
  subset: string;
  direction: string;
  type: string;
  /** `name.namespace` of the DestinationRule that configured it. */
  destinationRule: string;
  /** `max_connections=… max_pending_requests=…` of the default priority, when set. */
  circuitBreakers: string;
  outlierDetection: boolean;
}

export interface ListenerRow {
  name: string;
  address: string;
  port: number;
  match: string;
  destination: string;
}

export interface RouteRow {
  name: string;
  virtualHost: string;
  domains: string;
  match: string;
  /** `name.namespace` of the VirtualService, `404` for a virtual host without routes. */
  virtualService: string;
}

export interface EndpointRow {
  endpoint: string;
  status: string;
  locality: string;
  cluster: string;
}

export interface ProxyConfigSummary {
  clusters: ClusterRow[];
  listeners: ListenerRow[];
  routes: RouteRow[];
  endpoints: EndpointRow[];
}

/** The input is not an Envoy config dump; the caller names the file or the pod it came from. */
export class ConfigDumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigDumpError';
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function configOf(dump: unknown, type: string): Record<string, unknown> | undefined {
  return asArray(at(dump, 'configs')).map(asRecord).find((config) =>
    asString(config?.['@type']) === `type.googleapis.com/envoy.admin.v3.${type}`
  );
}

/** `/apis/networking.istio.io/v1/namespaces/NS/destination-rule/NAME` → `NAME.NS`, as istioctl shows it. */
function configName(metadata: unknown): string {
  const path = asString(at(metadata, 'filter_metadata', 'istio', 'config'));
  if (path === undefined) return '';
  const pieces = path.split('/');
  return path.startsWith('/apis/networking.istio.io/') && pieces.length === 8
    ? `${pieces[7]}.${pieces[5]}`
    : '<unknown>';
}

const THRESHOLDS = ['max_connections', 'max_pending_requests', 'max_requests', 'max_retries'];

function circuitBreakers(cluster: unknown): string {
  const thresholds = asArray(at(cluster, 'circuit_breakers', 'thresholds')).map(asRecord)
    .find((entry) => entry !== undefined && (asString(entry.priority) ?? 'DEFAULT') === 'DEFAULT');
  if (!thresholds) return '';
  return THRESHOLDS.filter((key) => thresholds[key] !== undefined).map((key) => `${key}=${String(thresholds[key])}`)
    .join(' ');
}

function clusterRows(dump: unknown): ClusterRow[] {
  const config = configOf(dump, 'ClustersConfigDump');
  const clusters = [...asArray(config?.static_clusters), ...asArray(config?.dynamic_active_clusters)]
    .map((entry) => asRecord(at(entry, 'cluster')) ?? {});
  return clusters.map((cluster) => {
    const name = asString(cluster.name) ?? '';
    const parts = name.split('|');
    const istio = parts.length > 3;
    return {name, fqdn: istio ? parts[3] ?? '' : name, port: istio ? parts[1] ?? '' : '-',
      subset: istio ? parts[2] || '-' : '-', direction: istio ? parts[0] ?? '' : '-',
      type: asString(cluster.type) ?? (cluster.cluster_type ? 'CUSTOM' : 'STATIC'),
      destinationRule: configName(cluster.metadata), circuitBreakers: circuitBreakers(cluster),
      outlierDetection: cluster.outlier_detection !== undefined};
  }).sort((a, b) => byText(a.name, b.name));
}

const APP_PROTOCOLS: readonly [string, readonly string[]][] = [
  ['App: HTTP', ['http/1.1', 'http/1.0', 'h2c']],
];

function chainMatch(match: unknown): string {
  const parts: string[] = [];
  const names = asStrings(at(match, 'server_names'));
  if (names.length > 0) parts.push(`SNI: ${names.join(',')}`);
  const transport = asString(at(match, 'transport_protocol'));
  if (transport) parts.push(`Trans: ${transport}`);
  const protocols = asStrings(at(match, 'application_protocols'));
  if (protocols.length > 0) {
    const known = APP_PROTOCOLS.find(([, list]) => list.join(',') === protocols.join(','));
    parts.push(known ? known[0] : `App: ${protocols.join(',')}`);
  }
  const portValue = asInteger(at(match, 'destination_port'));
  const port = portValue === undefined ? '' : `:${portValue}`;
  const ranges = asArray(at(match, 'prefix_ranges')).map((range) =>
    `${asString(at(range, 'address_prefix')) ?? ''}/${asInteger(at(range, 'prefix_len')) ?? 0}`
  );
  if (ranges.length > 0) parts.push(`Addr: ${ranges.join(',')}${port}`);
  else if (port) parts.push(`Addr: *${port}`);
  return parts.length > 0 ? parts.join('; ') : 'ALL';
}

function routeMatch(match: unknown): string {
  const parts: string[] = [];
  const prefix = asString(at(match, 'prefix'));
  if (prefix) parts.push(`${prefix}*`);
  const separated = asString(at(match, 'path_separated_prefix'));
  if (separated) parts.push(`PathPrefix:${separated}`);
  const path = asString(at(match, 'path'));
  if (path) parts.push(path);
  const regex = asString(at(match, 'safe_regex', 'regex'));
  if (regex) parts.push(`regex ${regex}`);
  return parts.join(' ');
}

function clusterText(cluster: string): string {
  return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
}

/** An inline route configuration: the one cluster of a catch-all route, else each virtual host's matches. */
function inlineRoute(config: unknown): string {
  const hosts = asArray(at(config, 'virtual_hosts'));
  const [only] = hosts;
  const routes = asArray(at(only, 'routes'));
  const cluster = asString(at(routes[0], 'route', 'cluster'));
  if (hosts.length === 1 && asStrings(at(only, 'domains')).join(',') === '*' && routes.length === 1
    && asString(at(routes[0], 'match', 'prefix')) === '/' && cluster !== undefined)
  {
    return clusterText(cluster);
  }
  return `Inline Route: ${
    hosts.map((host) => {
      const domains = asStrings(at(host, 'domains'));
      const described = asArray(at(host, 'routes')).map((route) => routeMatch(at(route, 'match'))).join(', ');
      return domains.length === 1 && domains[0] === '*' ? described : `${domains.join('/')} ${described}`;
    }).join('; ')
  }`;
}

function chainDestination(filters: unknown): string {
  for (const filter of asArray(filters)) {
    const name = asString(at(filter, 'name'));
    const config = at(filter, 'typed_config');
    if (name === 'envoy.filters.network.http_connection_manager') {
      if (at(config, 'route_config') !== undefined) return inlineRoute(at(config, 'route_config'));
      const rds = asString(at(config, 'rds', 'route_config_name'));
      return rds ? `Route: ${rds}` : 'HTTP';
    }
    if (name === 'envoy.filters.network.tcp_proxy') {
      const cluster = asString(at(config, 'cluster')) ?? '';
      if (cluster !== 'BlackHoleCluster') return clusterText(cluster);
    }
  }
  return 'Non-HTTP/Non-TCP';
}

function listenerRows(dump: unknown): ListenerRow[] {
  const config = configOf(dump, 'ListenersConfigDump');
  const listeners = [...asArray(config?.static_listeners).map((entry) => at(entry, 'listener')),
    ...asArray(config?.dynamic_listeners).map((entry) => at(entry, 'active_state', 'listener'))]
    .filter((listener) => listener !== undefined);
  const port = (listener: unknown) => asInteger(at(listener, 'address', 'socket_address', 'port_value')) ?? 0;
  const address = (listener: unknown) =>
    asString(at(listener, 'address', 'socket_address', 'address')) ?? asString(at(listener, 'address', 'pipe', 'path'))
      ?? '';
  return listeners.sort((a, b) => port(a) - port(b) || byText(address(a), address(b))).flatMap((listener) => {
    const chains = [...asArray(at(listener, 'filter_chains')),
      ...(at(listener, 'default_filter_chain') === undefined ? [] : [at(listener, 'default_filter_chain')])];
    return chains.map((chain) => ({name: asString(at(listener, 'name')) ?? '', address: address(listener),
      port: port(listener), match: chainMatch(at(chain, 'filter_chain_match')),
      destination: chainDestination(at(chain, 'filters'))})
    )
      .sort((a, b) => byText(b.destination, a.destination));
  });
}

function isPassthrough(route: unknown): boolean {
  return asString(at(route, 'route', 'cluster')) === 'PassthroughCluster';
}

function routeRows(dump: unknown): RouteRow[] {
  const config = configOf(dump, 'RoutesConfigDump');
  const configs = [...asArray(config?.static_route_configs), ...asArray(config?.dynamic_route_configs)]
    .map((entry) => at(entry, 'route_config'));
  return configs.flatMap((routeConfig) => {
    const name = asString(at(routeConfig, 'name')) ?? '';
    return asArray(at(routeConfig, 'virtual_hosts')).flatMap((host) => {
      const virtualHost = asString(at(host, 'name')) ?? '';
      const domains = domainsText(asStrings(at(host, 'domains')));
      const routes = asArray(at(host, 'routes'));
      if (routes.length === 0) return [{name, virtualHost, domains, match: '/*', virtualService: '404'}];
      return routes.filter((route) => !isPassthrough(route)).map((route) => ({name, virtualHost, domains,
        match: routeMatch(at(route, 'match')), virtualService: configName(at(route, 'metadata'))})
      );
    });
  });
}

/**
 * Several domains as istioctl lists them: those without a port (IPv6 literals kept), the
 * first two and a count of the rest. (istioctl also folds a service's expanded names,
 * `x`, `x.ns`, `x.ns.svc`, into one first; this keeps them.)
 */
function domainsText(domains: readonly string[]): string {
  if (domains.length === 1) return domains[0] ?? '';
  const withoutPort = domains.filter((domain) =>
    !domain.includes(':') || (domain.split(':').length > 3 && domain.endsWith(']'))
  );
  const shown = 2;
  return withoutPort.length > shown
    ? `${withoutPort.slice(0, shown).join(', ')} + ${withoutPort.length - shown} more...`
    : withoutPort.join(', ');
}

function endpointAddress(address: unknown): string {
  const socket = asRecord(at(address, 'socket_address'));
  if (socket) return `${asString(socket.address) ?? ''}:${asInteger(socket.port_value) ?? 0}`;
  const pipe = asString(at(address, 'pipe', 'path'));
  if (pipe !== undefined) return pipe;
  const internal = asRecord(at(address, 'envoy_internal_address'));
  return internal
    ? `envoy://${asString(internal.server_listener_name) ?? ''}/${asString(internal.endpoint_id) ?? ''}`
    : '';
}

function localityText(locality: unknown): string {
  return ['region', 'zone', 'sub_zone'].map((key) => asString(at(locality, key)) ?? '').filter(Boolean).join('/');
}

function endpointRows(dump: unknown): EndpointRow[] {
  const config = configOf(dump, 'EndpointsConfigDump');
  const assignments = [...asArray(config?.static_endpoint_configs), ...asArray(config?.dynamic_endpoint_configs)]
    .map((entry) => at(entry, 'endpoint_config'));
  return assignments.flatMap((assignment) => {
    const cluster = asString(at(assignment, 'cluster_name')) ?? '';
    return asArray(at(assignment, 'endpoints')).flatMap((group) =>
      asArray(at(group, 'lb_endpoints')).map((entry) => ({
        endpoint: [at(entry, 'endpoint', 'address'),
          ...asArray(at(entry, 'endpoint', 'additional_addresses')).map((extra) => at(extra, 'address'))]
          .map(endpointAddress).join(','),
        status: asString(at(entry, 'health_status')) ?? 'UNKNOWN',
        locality: localityText(at(group, 'locality')),
        cluster,
      }))
    );
  }).sort((a, b) => byText(a.cluster, b.cluster) || byText(a.endpoint, b.endpoint));
}

export function summariseConfigDump(dump: unknown): ProxyConfigSummary {
  if (asArray(at(dump, 'configs')).length === 0) {
    throw new ConfigDumpError('is not an Envoy config dump (no "configs" list)');
  }
  return {clusters: clusterRows(dump), listeners: listenerRows(dump), routes: routeRows(dump),
    endpoints: endpointRows(dump)};
}
