// Istio's validation of Telemetry targets: a Telemetry selects its workloads one way only,
// and a selector matches labels literally. Provider and metric details are not checked here.
import {asArray, asRecord} from '../fields.js';
import {rejected, warned, type Problem} from './problems.js';
import {selectorLabelProblems, selectorLabels} from './selector.js';

export function telemetryProblems(spec: Record<string, unknown>): Problem[] {
  const ways = [asRecord(spec.selector) !== undefined, asRecord(spec.targetRef) !== undefined, asArray(spec.targetRefs).length > 0];
  const problems: Problem[] = ways.filter(Boolean).length > 1 ? [rejected('only one of targetRefs or workloadSelector can be set', ['spec'])] : [];
  const labels = selectorLabels(spec.selector, 'matchLabels');
  if (!labels) return problems;
  const field = ['spec', 'selector'];
  problems.push(...selectorLabelProblems(labels, field));
  if (Object.keys(labels).length === 0) problems.push(warned('the workload selector has no labels, so it applies to every workload in the namespace', field));
  return problems;
}
