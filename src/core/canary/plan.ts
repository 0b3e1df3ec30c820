// What `canary run` will do, decided before it touches anything: the weights, the interval,
// the checks with their queries and thresholds. `--dry-run` prints it; the run follows it.
import type {CanaryPolicy, Mesh} from '../config/types.js';
import {metricChecks, renderQuery, weightSteps, type MetricCheck} from './analysis.js';
import {ROUTE_KIND, type HeaderMatch} from './routing.js';
import {canaryName} from './workload.js';

export interface PlannedCheck {
  check: MetricCheck;
  query: string;
}

export interface RunPlan {
  service: string;
  namespace: string;
  mesh: Mesh;
  /** The canary Deployment, which the queries select. */
  target: string;
  steps: number[];
  interval: string;
  threshold: number;
  window: string;
  checks: PlannedCheck[];
  match?: HeaderMatch;
}

export function runPlan(service: {name: string; namespace: string; mesh: Mesh; canary: CanaryPolicy},
  match?: HeaderMatch): RunPlan
{
  const {canary} = service;
  const target = canaryName(service.name);
  return {
    service: service.name,
    namespace: service.namespace,
    mesh: service.mesh,
    target,
    steps: weightSteps(canary),
    interval: canary.interval,
    threshold: canary.threshold,
    window: canary.window,
    checks: metricChecks(canary, service.mesh).map((check) => ({check,
      query: renderQuery(check.template, {namespace: service.namespace, target, interval: canary.window})})
    ),
    ...(match ? {match} : {}),
  };
}

const thresholdText = (check: MetricCheck) =>
  'min' in check.threshold ? `at least ${check.threshold.min}%` : `at most ${check.threshold.max} ms`;

/** The plan as `--dry-run` prints it; `image` says what the primary's image becomes. */
export function planText(plan: RunPlan, image: string): string {
  const route = ROUTE_KIND[plan.mesh];
  const lines = [
    `Canary run of ${plan.service} in ${plan.namespace} (${plan.mesh}): ${image}`,
    `  canary:    Deployment ${plan.target} beside ${plan.service}, Services ${plan.service}-primary and ${plan.service}-canary`,
    `  routing:   ${route.kind} weights (primary/canary): ${plan.steps.map((w) => `${100 - w}/${w}`).join(', ')}`,
    ...(plan.match
      ? [`             requests with ${plan.match.name}: ${plan.match.value} always go to the canary`]
      : []),
    `  checks:    one every ${plan.interval} at each weight; promote when the last weight passes`,
    `  rollback:  after ${plan.threshold} failed check${
      plan.threshold === 1 ? '' : 's'
    } (no data or a failed query counts as failed)`,
    ...plan.checks.flatMap(({check, query}) => [
      `  ${check.name} ${thresholdText(check)}, over the last ${plan.window}:`,
      `    ${query}`,
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
