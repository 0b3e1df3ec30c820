// What `canary status` prints: one row per Canary (phase, traffic, failed checks, last change)
// and one row per metric (threshold and the last value Flagger measured), and the redrawing
// of that text in place for `--watch` at a terminal.
import type {CanaryMetric, FlaggerCanary} from '../core/canary/flagger-canary.js';
import {renderColumns} from './columns.js';

const CANARY_COLUMNS = ['NAME', 'PHASE', 'WEIGHT', 'FAILED CHECKS', 'LAST CHANGE', 'MESSAGE'] as const;
const METRIC_COLUMNS = ['CANARY', 'METRIC', 'THRESHOLD', 'LAST VALUE'] as const;

/** At most two decimals, without trailing zeros: 99.5, 100, 49.75. */
const amount = (value: number, unit: string) => `${Number(value.toFixed(2))}${unit}`;

function threshold(metric: CanaryMetric): string {
  const {min, max, unit} = metric;
  if (min !== undefined && max !== undefined) return `${amount(min, unit)}..${amount(max, unit)}`;
  if (min !== undefined) return `>= ${amount(min, unit)}`;
  if (max !== undefined) return `<= ${amount(max, unit)}`;
  return '-';
}

function phase(canary: FlaggerCanary): string {
  const notes = [
    canary.revisionPending ? 'new revision pending' : undefined,
    canary.skipAnalysis
      ? (canary.skipAnalysisByPromote ? 'analysis skipped by canary promote' : 'analysis skipped')
      : undefined,
    canary.suspended ? 'suspended' : undefined,
  ].filter((note) => note !== undefined);
  const name = canary.phase || 'not set up by Flagger';
  return notes.length ? `${name} (${notes.join(', ')})` : name;
}

export function renderCanaryStatus(result: {namespace: string; canaries: readonly FlaggerCanary[]}): string {
  if (result.canaries.length === 0) return `No Flagger Canary in namespace ${result.namespace}.\n`;
  const canaries = renderColumns(CANARY_COLUMNS, result.canaries.map((canary) => [
    canary.name,
    phase(canary),
    `${canary.canaryWeight}% (max ${canary.maxWeight}%)`,
    `${canary.failedChecks}/${canary.threshold}`,
    canary.lastTransitionTime ?? '-',
    canary.message ?? '',
  ]));
  const metricRows = result.canaries.flatMap((canary) =>
    canary.metrics.map((
      metric,
    ) => [canary.name, metric.name, threshold(metric),
      metric.lastValue === undefined ? '-' : amount(metric.lastValue, metric.unit)]
    )
  );
  return metricRows.length ? `${canaries}\n${renderColumns(METRIC_COLUMNS, metricRows)}` : canaries;
}

/**
 * Prints successive versions of a text. At a terminal each replaces the one before (cursor up
 * over its lines, erase to the end of the screen); elsewhere (a CI log) a version is printed
 * only when it differs from the one before, after a blank line.
 */
export function redrawing(write: (text: string) => void, inPlace: boolean): (text: string) => void {
  let previous: string | undefined;
  return (text) => {
    if (text === previous) return;
    if (previous === undefined) write(text);
    else if (inPlace) write(`\u001B[${previous.split('\n').length - 1}F\u001B[J${text}`);
    else write(`\n${text}`);
    previous = text;
  };
}
