// `debug connectivity` output: per Service port, the verdict and each layer with what decides.
import yaml from 'js-yaml';
import type {ConnectivityReport} from '../core/debug/connectivity.js';
import {renderColumns} from './columns.js';

export const CONNECTIVITY_FORMATS = ['table', 'json', 'yaml'] as const;
export type ConnectivityFormat = (typeof CONNECTIVITY_FORMATS)[number];

const VERDICT_WORDS = {allow: 'ALLOWED', deny: 'DENIED', partial: 'DENIED for some pods'} as const;

export function renderConnectivity(format: ConnectivityFormat, report: ConnectivityReport): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'yaml') return yaml.dump(report, {noRefs: true, lineWidth: -1, sortKeys: false});
  return report.ports.map((port) => {
    const heading = `${report.from} → ${report.to}:${port.port} (pod port ${port.targetPort}): ${
      VERDICT_WORDS[port.verdict]
    }\n`;
    return heading
      + renderColumns(['LAYER', 'VERDICT', 'DECIDED BY'],
        port.layers.map((layer) => [layer.layer, layer.verdict, layer.decidedBy.join('; ') || '-']));
  }).join('\n');
}
