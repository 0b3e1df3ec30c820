// `debug proxy-config` output: istioctl's columns for each part of the summary (clusters
// add the circuit-breaker thresholds and whether outlier detection is on), or JSON/YAML.
import yaml from 'js-yaml';
import type {ProxyConfigSummary} from '../core/debug/envoy-config.js';
import {renderColumns} from './columns.js';

export const PROXY_CONFIG_PARTS = ['clusters', 'listeners', 'routes', 'endpoints', 'all'] as const;
export type ProxyConfigPart = (typeof PROXY_CONFIG_PARTS)[number];
export const PROXY_CONFIG_FORMATS = ['table', 'json', 'yaml'] as const;
export type ProxyConfigFormat = (typeof PROXY_CONFIG_FORMATS)[number];

type TablePart = Exclude<ProxyConfigPart, 'all'>;

/** One part as istioctl's columns; the extra cluster columns come last, so istioctl's stay comparable. */
export function proxyConfigTable(part: TablePart, summary: ProxyConfigSummary): string {
  switch (part) {
    case 'clusters':
      return renderColumns(
        ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE', 'OUTLIER DETECTION',
          'CIRCUIT BREAKERS'],
        summary.clusters.map((
          row,
        ) => [row.fqdn, row.port, row.subset, row.direction, row.type, row.destinationRule,
          row.outlierDetection ? 'on' : '-', row.circuitBreakers || '-']
        ),
      );
    case 'listeners':
      return renderColumns(['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'],
        summary.listeners.map((row) => [row.address, String(row.port), row.match, row.destination]));
    case 'routes':
      return renderColumns(['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'],
        summary.routes.map((row) => [row.name, row.virtualHost, row.domains, row.match, row.virtualService]));
    case 'endpoints':
      return renderColumns(['ENDPOINT', 'STATUS', 'LOCALITY', 'CLUSTER'],
        summary.endpoints.map((row) => [row.endpoint, row.status, row.locality, row.cluster]));
  }
}

export function renderProxyConfig(part: ProxyConfigPart, format: ProxyConfigFormat,
  summary: ProxyConfigSummary): string
{
  const selected = part === 'all' ? summary : {[part]: summary[part]};
  if (format === 'json') return `${JSON.stringify(selected, null, 2)}\n`;
  if (format === 'yaml') return yaml.dump(selected, {noRefs: true, lineWidth: -1, sortKeys: false});
  const parts: TablePart[] = part === 'all' ? ['clusters', 'listeners', 'routes', 'endpoints'] : [part];
  return parts.map((name) => proxyConfigTable(name, summary)).join('\n');
}
