// How a canary is judged, in one place for both paths: the Flagger Canary that onboard renders
// and `canary run`, which shifts traffic itself. Flagger's own rules are the reference
// (v1.44.0, pkg/controller/scheduler.go and scheduler_metrics.go, pkg/metrics/observers):
// - the canary's weight grows by stepWeight each interval while it is below maxWeight (so the
//   last step passes maxWeight when maxWeight is not a multiple of stepWeight, as Flagger's does);
// - at every weight one check runs per interval; a passing check moves on, a failing one keeps
//   the weight and counts; `threshold` failed checks in the whole rollout roll it back;
// - a check passes when the success rate is at least minSuccessRate and the p99 latency at most
//   maxLatencyMs; a query with no value (the canary received no traffic in the window) or a
//   query that failed is a failed check, as Flagger halts advancement on both.
import type {CanaryPolicy, Mesh} from '../config/types.js';

export type MetricName = 'request-success-rate' | 'request-duration';

/** The PromQL of Flagger's built-in metrics, as templates over Flagger's variables (`{{ namespace }}`, `{{ target }}`, `{{ interval }}`). */
const BUILTIN_QUERIES: Record<Mesh, Record<MetricName, string>> = {
  istio: {
    'request-success-rate': 'sum(rate(istio_requests_total{reporter="destination",'
      + 'destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}",response_code!~"5.*"}'
      + '[{{ interval }}])) / sum(rate(istio_requests_total{reporter="destination",'
      + 'destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}"}[{{ interval }}])) * 100',
    'request-duration': 'histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{'
      + 'reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}"}'
      + '[{{ interval }}])) by (le))',
  },
  linkerd: {
    'request-success-rate': 'sum(rate(response_total{namespace="{{ namespace }}",deployment=~"{{ target }}",'
      + 'classification!="failure",direction="inbound"}[{{ interval }}])) / sum(rate(response_total{'
      + 'namespace="{{ namespace }}",deployment=~"{{ target }}",direction="inbound"}[{{ interval }}])) * 100',
    'request-duration': 'histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="{{ namespace }}",'
      + 'deployment=~"{{ target }}",direction="inbound"}[{{ interval }}])) by (le))',
  },
};

/** The variables a query template may use: Flagger's names, so one template serves both paths. */
export const QUERY_VARIABLES = ['namespace', 'target', 'interval'] as const;
const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

/** A problem with a query template (an unknown variable), or undefined. */
export function queryTemplateProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!)
    .find((name) => !(QUERY_VARIABLES as readonly string[]).includes(name));
  return unknown === undefined
    ? undefined
    : `uses {{ ${unknown} }}; a query may use ${QUERY_VARIABLES.map((name) => `{{ ${name} }}`).join(', ')}`;
}

export interface MetricCheck {
  name: MetricName;
  /** The PromQL template: the user's, or the mesh's built-in one. */
  template: string;
  /**
   * Whether Flagger runs the template inline rather than its built-in metric: the user's own
   * template, or Linkerd's, since Flagger reaches Linkerd through its Gateway API provider,
   * whose built-in metrics are not Linkerd's.
   */
  inline: boolean;
  /** The lowest passing value (success rate, percent) or the highest (p99 latency, milliseconds). */
  threshold: {min: number} | {max: number};
}

/** The two checks of a policy on a mesh. */
export function metricChecks(policy: CanaryPolicy, mesh: Mesh): MetricCheck[] {
  const check = (name: MetricName, own: string | undefined) => ({name, template: own ?? BUILTIN_QUERIES[mesh][name],
    inline: own !== undefined || mesh === 'linkerd'});
  return [
    {...check('request-success-rate', policy.queries?.successRate), threshold: {min: policy.minSuccessRate}},
    {...check('request-duration', policy.queries?.latency), threshold: {max: policy.maxLatencyMs}},
  ];
}

/** A template with Flagger's variables filled in. */
export function renderQuery(template: string, values: Record<(typeof QUERY_VARIABLES)[number], string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name as keyof typeof values] ?? whole);
}

/** The canary's weights, step by step, as Flagger's scheduler advances them (nextStepWeight, runCanary). */
export function weightSteps(policy: Pick<CanaryPolicy, 'stepWeight' | 'maxWeight'>): number[] {
  const steps: number[] = [];
  for (let weight = 0; weight < policy.maxWeight && weight < 100;) {
    weight = Math.min(weight + policy.stepWeight, 100);
    steps.push(weight);
  }
  return steps;
}

/** What one query returned: its value, nothing (no samples in the window), or why it failed. */
export type MetricReading = {value: number} | {noValue: true} | {error: string};

export interface MetricVerdict {
  name: MetricName;
  query: string;
  threshold: {min: number} | {max: number};
  /** The value judged, when the query gave one. */
  value?: number;
  passed: boolean;
  /** Why it failed, in Flagger's terms; absent when it passed. */
  reason?: string;
}

export interface CheckVerdict {
  passed: boolean;
  metrics: MetricVerdict[];
}

function judgeMetric(check: MetricCheck, query: string, reading: MetricReading, target: string): MetricVerdict {
  const base = {name: check.name, query, threshold: check.threshold};
  if ('error' in reading) return {...base, passed: false, reason: `query failed: ${reading.error}`};
  if ('noValue' in reading || Number.isNaN(reading.value)) {
    return {...base, passed: false, reason: `no values found; probably ${target} is not receiving traffic`};
  }
  // Flagger reads its built-in latency as whole milliseconds before comparing.
  const value = check.name === 'request-duration' && !check.inline ? Math.trunc(reading.value) : reading.value;
  const unit = check.name === 'request-success-rate' ? '%' : ' ms';
  if ('min' in check.threshold && value < check.threshold.min) {
    return {...base, value, passed: false, reason: `${round(value)}${unit} < ${check.threshold.min}${unit}`};
  }
  if ('max' in check.threshold && value > check.threshold.max) {
    return {...base, value, passed: false, reason: `${round(value)}${unit} > ${check.threshold.max}${unit}`};
  }
  return {...base, value, passed: true};
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The verdict of one check: every metric judged against its threshold; it passes when all do. */
export function judgeCheck(checks: readonly {check: MetricCheck; query: string; reading: MetricReading}[],
  target: string): CheckVerdict
{
  const metrics = checks.map(({check, query, reading}) => judgeMetric(check, query, reading, target));
  return {passed: metrics.every((metric) => metric.passed), metrics};
}

/** What happens after a check: the next weight, the same weight again, promotion or rollback. */
export type NextMove =
  | {move: 'advance'; step: number}
  | {move: 'retry'; failedChecks: number}
  | {move: 'promote'}
  | {move: 'rollback'; failedChecks: number};

/** After a check at `step` (an index into the weights), with `failedChecks` counted before it. */
export function nextMove(position: {step: number; failedChecks: number}, passed: boolean, steps: readonly number[],
  threshold: number): NextMove
{
  if (!passed) {
    const failedChecks = position.failedChecks + 1;
    return failedChecks >= threshold ? {move: 'rollback', failedChecks} : {move: 'retry', failedChecks};
  }
  return position.step + 1 < steps.length ? {move: 'advance', step: position.step + 1} : {move: 'promote'};
}
