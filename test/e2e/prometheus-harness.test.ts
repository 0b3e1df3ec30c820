// The metrics harness that canary and alert tests stand on: a real Prometheus scraping the
// Istio-shaped exporter reads back the success rate and latency the test set, through the
// same kind of queries Flagger's built-in Istio metrics run.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startIstioMetricsExporter, type IstioMetricsExporter} from '../helpers/istio-metrics.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';
import {unavailableReason} from '../cluster/testbin.js';

const successRate = (workload: string) =>
  `sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="shop",destination_workload="${workload}",response_code!~"5.*"}[4s]))`
  + ` / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="shop",destination_workload="${workload}"}[4s])) * 100`;
const p99 = (workload: string) =>
  `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="shop",destination_workload="${workload}"}[4s])) by (le))`;

async function valueOf(prometheus: RunningPrometheus, expression: string): Promise<number> {
  const [sample] = await prometheus.query(expression);
  if (!sample) throw new Error(`no sample for ${expression}`);
  return Number(sample.value[1]);
}

describe.skipIf(unavailableReason('prometheus'))('real Prometheus over the Istio metrics exporter', () => {
  let exporter: IstioMetricsExporter;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    exporter = await startIstioMetricsExporter();
    exporter.setTraffic('shop', 'checkout', {requestsPerSecond: 50, errorRatio: 0, latencyMs: 30});
    exporter.setTraffic('shop', 'checkout-canary', {requestsPerSecond: 50, errorRatio: 0.2, latencyMs: 700});
    prometheus = await startPrometheus({targets: [exporter.target]});
    await prometheus.waitForTargetsUp();
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  it('reads back the success rate and p99 latency each workload was given', async () => {
    // Four one-second scrapes make the 4s rate windows full.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await valueOf(prometheus, successRate('checkout'))).toBeCloseTo(100, 5);
    expect(await valueOf(prometheus, successRate('checkout-canary'))).toBeGreaterThan(75);
    expect(await valueOf(prometheus, successRate('checkout-canary'))).toBeLessThan(85);
    // histogram_quantile interpolates inside the bucket holding the latency: (25, 50] and (500, 1000].
    const healthy = await valueOf(prometheus, p99('checkout'));
    expect(healthy).toBeGreaterThan(25);
    expect(healthy).toBeLessThanOrEqual(50);
    const slow = await valueOf(prometheus, p99('checkout-canary'));
    expect(slow).toBeGreaterThan(500);
    expect(slow).toBeLessThanOrEqual(1000);
  }, 30_000);
});
