// Output of `validate reachability`: an aligned text table, or the model's own JSON,
// Mermaid and DOT printers.
import type {PrintOptions} from './index.js';
import {renderColumns} from '../columns.js';
import {FULL_LISTING_LIMIT, REACHABILITY_COLUMNS, reachabilityDot, reachabilityJson, reachabilityMermaid,
  reachabilityRows, SUMMARY_COLUMNS, summaryRows, type ReachabilityModel,
  type ReachabilitySummary} from '../../core/analyze/reachability/index.js';

export const REACHABILITY_FORMATS = ['table', 'json', 'mermaid', 'dot'] as const;
export type ReachabilityFormat = (typeof REACHABILITY_FORMATS)[number];

/** True when a model has too many calls to print one by one without --full. */
export function isSummarised(model: ReachabilityModel, full: boolean): boolean {
  return !full && model.edges.length > FULL_LISTING_LIMIT;
}

/** A summarised model: calls counted per pair of namespaces, with how to see each call. */
export function renderReachabilitySummary(format: ReachabilityFormat, summary: ReachabilitySummary): string {
  if (format === 'json') return `${JSON.stringify(summary, null, 2)}\n`;
  const note =
    `${summary.calls} calls between ${summary.services} services, counted per namespace; --full lists every call, --from/--to narrow the graph.\n`;
  return format === 'table' ? `${note}${renderColumns(SUMMARY_COLUMNS, summaryRows(summary))}` : note;
}

export function renderReachability(format: ReachabilityFormat, model: ReachabilityModel,
  options: Pick<PrintOptions, 'includeDenied'>): string
{
  switch (format) {
    case 'table':
      return model.edges.length === 0
        ? 'No calls between the analysed services.\n'
        : renderColumns(REACHABILITY_COLUMNS, reachabilityRows(model));
    case 'json':
      return reachabilityJson(model);
    case 'mermaid':
      return reachabilityMermaid(model, options);
    case 'dot':
      return reachabilityDot(model, options);
  }
}
