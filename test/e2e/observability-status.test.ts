// `observability status` end to end, scraping included: the real CLI asks Prometheus's targets
// through the API server's port-forward to a pod of the Service prometheus-kube-prometheus-
// prometheus, whose port kwok forwards to a real Prometheus on loopback. That Prometheus
// scrapes Istio-shaped exporters under the job names of the mesh's monitors (istio-proxies,
// istiod); status reports their targets up, and a target down once its exporter stops.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {testbinPath, testKubeconfig, unavailableReason} from '../cluster/testbin.js';
import {cliAsync} from '../helpers/cli.js';
import {startIstioMetricsExporter, type IstioMetricsExporter} from '../helpers/istio-metrics.js';
import {whenKwokServes} from '../helpers/kwok.js';
import {servePrometheusPod, type PrometheusPod} from '../helpers/prometheus-pod.js';
import {startPrometheus, waitFor, type RunningPrometheus} from '../helpers/prometheus.js';

interface StatusJson {
  result: {scraping: {reachable: true; jobs: {job: string; up: number; down: number}[]} | {
    reachable: false;
    reason: string;
  }};
}

const status = (extra: string[] = []) =>
  cliAsync(['observability', 'status', '-m', 'istio', '--kubeconfig', testKubeconfig(), ...extra], {
    env: {SPARC_MESH_HELM: testbinPath('helm')},
  });

/** status --json once kwok forwards the pod's port (it picks the forward up a moment after it is declared). */
async function scrapingJson(): Promise<StatusJson['result']['scraping']> {
  return whenKwokServes(async () => {
    const run = await status(['--json']);
    const {scraping} = (JSON.parse(run.stdout) as StatusJson).result;
    if (!scraping.reachable) throw new Error(scraping.reason);
    return scraping;
  });
}

const unavailable = unavailableReason('prometheus') ?? unavailableReason('helm');

describe.skipIf(unavailable)('observability status: whether Prometheus scrapes the mesh', () => {
  let sidecar: IstioMetricsExporter;
  let secondSidecar: IstioMetricsExporter;
  let prometheus: RunningPrometheus;
  let pod: PrometheusPod | undefined;

  beforeAll(async () => {
    sidecar = await startIstioMetricsExporter();
    secondSidecar = await startIstioMetricsExporter();
    sidecar.setTraffic('shop', 'web', {requestsPerSecond: 5, errorRatio: 0, latencyMs: 20});
    // istiod's job scrapes an exporter too: what status counts is targets, not what they serve.
    prometheus = await startPrometheus({targets: [],
      jobs: {'istio-proxies': [sidecar.target, secondSidecar.target], istiod: [sidecar.target]}});
    await prometheus.waitForTargetsUp();
    pod = await servePrometheusPod(testKubeconfig(), 'e2e-status-prometheus-0', prometheus.port);
  }, 120_000);

  afterAll(async () => {
    await pod?.remove();
    await prometheus?.stop();
    await Promise.all([sidecar?.stop(), secondSidecar?.stop()]);
  });

  it("reports each mesh job's targets up, in --json and in the table", async () => {
    expect(await scrapingJson()).toEqual({reachable: true,
      jobs: [{job: 'istio-proxies', up: 2, down: 0}, {job: 'istiod', up: 1, down: 0}]});
    const table = await status();
    expect(table.stdout).toMatch(/^Prometheus job istio-proxies: 2 up, 0 down$/m);
    expect(table.stdout).toMatch(/^Prometheus job istiod: 1 up, 0 down$/m);
  });

  it('reports a target down once its exporter stops', async () => {
    await secondSidecar.stop();
    await waitFor('Prometheus to see the stopped exporter down', async () => {
      const up = await prometheus.query(`up{instance="${secondSidecar.target}"}`);
      return up.length === 1 && up[0]!.value[1] === '0';
    }, 30_000);
    expect(await scrapingJson()).toEqual({reachable: true,
      jobs: [{job: 'istio-proxies', up: 1, down: 1}, {job: 'istiod', up: 1, down: 0}]});
    const table = await status();
    expect(table.stdout).toMatch(/^Prometheus job istio-proxies: 1 up, 1 down$/m);
  });
});
