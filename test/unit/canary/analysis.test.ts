import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {judgeCheck, metricChecks, nextMove, queryTemplateProblem, renderQuery, weightSteps,
  type MetricReading} from '../../../src/core/canary/analysis.js';
import {flaggerAnalysis} from '../../../src/core/canary/flagger-analysis.js';
import {PROFILE_DEFAULTS} from '../../../src/core/config/profiles.js';
import type {CanaryPolicy, Mesh} from '../../../src/core/config/types.js';
import {pinnedModuleDir} from '../../e2e/pinned-module.js';

const policy: CanaryPolicy = {...PROFILE_DEFAULTS.analytics.canary, minSuccessRate: 99, maxLatencyMs: 500};

/** Flagger's built-in queries of one observer file, by metric name, whitespace removed. */
function flaggerQueries(observer: 'istio' | 'linkerd'): Record<string, string> {
  const source = readFileSync(join(pinnedModuleDir('flagger'), 'pkg/metrics/observers', `${observer}.go`), 'utf8');
  return Object.fromEntries([...source.matchAll(/"([a-z-]+)":\s*`([^`]*)`/g)]
    .map((match) => [match[1]!, match[2]!.replace(/\s+/g, '')]));
}

describe('the queries are the ones Flagger runs', () => {
  it.each(['istio', 'linkerd'] as const)('%s: both built-in metrics, token for token', (mesh: Mesh) => {
    const flagger = flaggerQueries(mesh);
    const ours = Object.fromEntries(
      metricChecks(policy, mesh).map((check) => [check.name, check.template.replace(/\s+/g, '')]),
    );
    expect(Object.keys(flagger).sort()).toEqual(Object.keys(ours).sort());
    expect(ours).toEqual(flagger);
  });

  it("fills Flagger's variables and nothing else", () => {
    expect(
      renderQuery('x{namespace="{{ namespace }}",w=~"{{target}}"}[{{ interval }}] {{ other }}', {namespace: 'sparc',
        target: 'reports-canary', interval: '30s'}),
    )
      .toBe('x{namespace="sparc",w=~"reports-canary"}[30s] {{ other }}');
  });

  it('refuses a template with a variable Flagger would not know', () => {
    expect(queryTemplateProblem('up{job="{{ target }}"}')).toBeUndefined();
    expect(queryTemplateProblem('up{job="{{ service }}"}')).toContain('{{ service }}');
  });
});

describe('weight steps', () => {
  it.each([
    [10, 50, [10, 20, 30, 40, 50]],
    [25, 50, [25, 50]],
    // Flagger advances while below maxWeight, so the last step passes it.
    [20, 50, [20, 40, 60]],
    [30, 100, [30, 60, 90, 100]],
    [100, 100, [100]],
  ])('stepWeight %d, maxWeight %d → %j', (stepWeight, maxWeight, steps) => {
    expect(weightSteps({stepWeight, maxWeight})).toEqual(steps);
  });
});

describe('the verdict of a check', () => {
  const judge = (mesh: Mesh, successRate: MetricReading, latency: MetricReading) => {
    const [rate, duration] = metricChecks(policy, mesh);
    return judgeCheck([{check: rate!, query: 'q1', reading: successRate}, {check: duration!, query: 'q2',
      reading: latency}], 'reports-canary');
  };

  it('passes at the thresholds themselves', () => {
    const verdict = judge('istio', {value: 99}, {value: 500});
    expect(verdict.passed).toBe(true);
    expect(verdict.metrics.map((metric) => metric.value)).toEqual([99, 500]);
  });

  it('fails below the success rate, naming value and threshold', () => {
    const verdict = judge('istio', {value: 97.123}, {value: 20});
    expect(verdict.passed).toBe(false);
    expect(verdict.metrics[0]).toMatchObject({passed: false, reason: '97.12% < 99%'});
    expect(verdict.metrics[1]).toMatchObject({passed: true});
  });

  it("reads Istio latency in whole milliseconds as Flagger does; Linkerd's inline query as it comes", () => {
    expect(judge('istio', {value: 100}, {value: 500.9}).passed).toBe(true);
    expect(judge('linkerd', {value: 100}, {value: 500.9}).metrics[1]).toMatchObject({passed: false,
      reason: '500.9 ms > 500 ms'});
  });

  it('counts no traffic and a failed query as failed checks', () => {
    expect(judge('istio', {noValue: true}, {value: 1}).metrics[0]?.reason)
      .toBe('no values found; probably reports-canary is not receiving traffic');
    expect(judge('istio', {value: Number.NaN}, {value: 1}).passed).toBe(false);
    expect(judge('istio', {value: 100}, {error: 'connection refused'}).metrics[1]?.reason)
      .toBe('query failed: connection refused');
  });
});

describe('the move after a check', () => {
  const steps = [10, 20, 30];
  it('advances, then promotes after the last weight passes', () => {
    expect(nextMove({step: 0, failedChecks: 1}, true, steps, 2)).toEqual({move: 'advance', step: 1});
    expect(nextMove({step: 2, failedChecks: 1}, true, steps, 2)).toEqual({move: 'promote'});
  });
  it('keeps the weight on a failure and rolls back when the failures reach the threshold', () => {
    expect(nextMove({step: 1, failedChecks: 0}, false, steps, 2)).toEqual({move: 'retry', failedChecks: 1});
    expect(nextMove({step: 1, failedChecks: 1}, false, steps, 2)).toEqual({move: 'rollback', failedChecks: 2});
  });
});

describe("the Flagger Canary's analysis", () => {
  it("Istio: Flagger's built-in metrics over the window, with the thresholds", () => {
    expect(flaggerAnalysis({...policy, window: '2m'}, 'istio')).toEqual({
      interval: policy.interval,
      threshold: policy.threshold,
      maxWeight: policy.maxWeight,
      stepWeight: policy.stepWeight,
      metrics: [
        {name: 'request-success-rate', interval: '2m', thresholdRange: {min: 99}},
        {name: 'request-duration', interval: '2m', thresholdRange: {max: 500}},
      ],
    });
  });

  it("a template of the user's runs inline under its own name, with the same threshold", () => {
    const analysis = flaggerAnalysis({...policy, queries: {successRate: 'my_rate{ns="{{ namespace }}"}'}}, 'istio');
    expect(analysis.metrics[0]).toEqual({name: 'success-rate', interval: '1m', query: 'my_rate{ns="{{ namespace }}"}',
      thresholdRange: {min: 99}});
    expect(analysis.metrics[1]).toMatchObject({name: 'request-duration'});
  });
});
