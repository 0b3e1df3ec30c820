// Output of `validate reachability`: an aligned text table, or the model's own JSON,
// Mermaid and DOT printers.
import type {PrintOptions} from './index.js';
import {renderColumns} from '../columns.js';
import {REACHABILITY_COLUMNS, reachabilityDot, reachabilityJson, reachabilityMermaid, reachabilityRows, type ReachabilityModel} from '../../core/analyze/reachability/index.js';

export const REACHABILITY_FORMATS = ['table', 'json', 'mermaid', 'dot'] as const;
export type ReachabilityFormat = (typeof REACHABILITY_FORMATS)[number];

export function renderReachability(format: ReachabilityFormat, model: ReachabilityModel, options: Pick<PrintOptions, 'includeDenied'>): string {
  switch (format) {
    case 'table': return model.edges.length === 0 ? 'No calls between the analysed services.\n' : renderColumns(REACHABILITY_COLUMNS, reachabilityRows(model));
    case 'json': return reachabilityJson(model);
    case 'mermaid': return reachabilityMermaid(model, options);
    case 'dot': return reachabilityDot(model, options);
  }
}
