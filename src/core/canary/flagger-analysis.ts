// The `analysis` block of the Flagger Canary that onboard renders, from the same checks
// `canary run` judges by: Flagger runs its built-in metric (the same PromQL) for Istio's own
// queries, and the template inline otherwise (see MetricCheck.inline), named apart so that
// Flagger does not run a built-in metric beside it.
import type {CanaryPolicy, Mesh} from '../config/types.js';
import {metricChecks} from './analysis.js';

const INLINE_NAME = {'request-success-rate': 'success-rate', 'request-duration': 'latency-p99'} as const;

export function flaggerAnalysis(policy: CanaryPolicy, mesh: Mesh) {
  return {
    interval: policy.interval,
    threshold: policy.threshold,
    maxWeight: policy.maxWeight,
    stepWeight: policy.stepWeight,
    metrics: metricChecks(policy, mesh).map((check) =>
      check.inline
        ? {name: INLINE_NAME[check.name], interval: policy.window, query: check.template,
          thresholdRange: check.threshold}
        : {name: check.name, interval: policy.window, thresholdRange: check.threshold}
    ),
  };
}
