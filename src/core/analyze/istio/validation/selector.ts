// The workload selector checks Istio applies to Sidecars, ServiceEntries and EnvoyFilters
// (`labels`) and to the newer policy kinds (`matchLabels`).
import type {FieldPath} from '../../../field-line.js';
import {asRecord} from '../query/fields.js';
import {rejected, warned, type Problem} from './problems.js';

/** Label keys that are empty or hold `*`, or values with `*`: selectors match literally. */
export function selectorLabelProblems(labels: Record<string, unknown>, field: FieldPath): Problem[] {
  return Object.entries(labels).flatMap(([key, value]) => {
    const text = `${key}=${String(value)}`;
    const problems: Problem[] = [];
    if (key === '') problems.push(rejected(`a selector label needs a key: "${text}"`, field));
    if (key.includes('*') || String(value).includes('*')) {
      problems.push(rejected(`wildcards are not supported in selectors: "${text}"`, field));
    }
    return problems;
  });
}

/** The labels of a selector that is present (even empty), or undefined when there is none. */
export function selectorLabels(selector: unknown, key: 'labels' | 'matchLabels'): Record<string, unknown> | undefined {
  const record = asRecord(selector);
  return record ? asRecord(record[key]) ?? {} : undefined;
}

export interface SelectorCheck {
  /** Problems that make Istio stop validating the object there. */
  errors: Problem[];
  warnings: Problem[];
}

/**
 * Istio's check of the `workloadSelector` of Sidecars, ServiceEntries and EnvoyFilters: bad
 * labels reject the object outright, a selector without labels selects the whole namespace.
 */
export function checkWorkloadSelector(spec: Record<string, unknown>, kindLabel: string): SelectorCheck {
  const labels = selectorLabels(spec.workloadSelector, 'labels');
  if (!labels) return {errors: [], warnings: []};
  const field = ['spec', 'workloadSelector'];
  const errors = selectorLabelProblems(labels, field);
  const warnings = Object.keys(labels).length === 0
    ? [
      warned(`${kindLabel}: the workload selector has no labels, so it applies to every workload in the namespace`,
        field),
    ]
    : [];
  return {errors, warnings};
}
