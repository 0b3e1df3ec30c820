// `canary run` and `canary rollback` without a controller, against the real control plane
// (kwok makes the pods Ready) and a real Prometheus scraping Istio-shaped metrics whose
// traffic each test sets per workload. The analysis is time-compressed through the flags a
// user has (--interval 2s, --window 5s). Each service is onboarded first, so the run works on
// the VirtualService onboard made.
import {join} from 'node:path';
import {execa, type ResultPromise} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {testbinPath, testKubeconfig, unavailableReason} from '../cluster/testbin.js';
import {cli, REPO} from '../helpers/cli.js';
import {startIstioMetricsExporter, type IstioMetricsExporter} from '../helpers/istio-metrics.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';
import {ensureIstioCrds} from './istio-crds.js';
import {pinnedModuleDir} from './pinned-module.js';

const NS = 'e2e-canary-run';
const HEALTHY = {requestsPerSecond: 40, errorRatio: 0, latencyMs: 30};
const FAILING = {requestsPerSecond: 40, errorRatio: 0.3, latencyMs: 30};

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input, reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

async function getJson<T>(kind: string, name: string): Promise<T | undefined> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), 'get', kind, name, '-n', NS,
    '-o', 'json'], {reject: false});
  return result.exitCode === 0 ? JSON.parse(result.stdout) as T : undefined;
}

interface Destination {
  destination: {host: string};
  weight?: number;
}
type VirtualService = {spec: {http: {route: Destination[]; match?: unknown}[]}};
type Deployment = {metadata: {annotations?: Record<string, string>};
  spec: {template: {spec: {containers: {image: string}[]}}}};

/** The canary's percentage in the VirtualService, read from the destinations as Istio would weigh them. */
async function canaryWeight(service: string): Promise<number | undefined> {
  const vs = await getJson<VirtualService>('virtualservice', service);
  const route = vs?.spec.http.find((rule) => !rule.match)?.route ?? [];
  const canary = route.find((entry) => entry.destination.host.startsWith(`${service}-canary.`));
  return canary ? canary.weight ?? 100 : undefined;
}

const imageOf = async (name: string) =>
  (await getJson<Deployment>('deployment', name))?.spec.template.spec.containers[0]?.image;

/** A Deployment and Service named `name` (registry.example/NAME:1.0), onboarded into the mesh. */
async function service(name: string): Promise<VirtualService['spec']> {
  await kubectl(['create', 'deployment', name, `--image=registry.example/${name}:1.0`, '--port=8080', '-n', NS]);
  await kubectl(['expose', 'deployment', name, '--port=8080', '-n', NS]);
  const onboarded = cli(['onboard', '-s', name, '-n', NS, '-m', 'istio', '--no-wait', '--kubeconfig',
    testKubeconfig()]);
  expect(onboarded.status, onboarded.stderr).toBe(0);
  return (await getJson<VirtualService>('virtualservice', name))!.spec;
}

let exporter: IstioMetricsExporter;
let prometheus: RunningPrometheus;

function runArgs(name: string,
  {mesh = 'istio', interval = '2s', maxWeight = '50', extra = [] as string[]} = {}): string[]
{
  return ['canary', 'run', '-s', name, '-n', NS, '-m', mesh, '--image', `registry.example/${name}:2.0`, '--interval',
    interval, '--window', '5s', '--step-weight', '25', '--max-weight', maxWeight, '--threshold', '2',
    '--prometheus-url', prometheus.url, '--wait-timeout', '60s', '--kubeconfig', testKubeconfig(), ...extra];
}

function startRun(args: string[]): ResultPromise<{reject: false; all: true}> {
  return execa(process.execPath, [join(REPO, 'bin/run.js'), ...args], {reject: false, all: true,
    env: {NO_COLOR: '1', CI: 'true'}});
}

/** Polls the canary weight until `until` holds for it (or the run ends); returns the weights seen, in order. */
async function watchWeights(name: string, run: ResultPromise<{reject: false; all: true}>,
  until: (weight: number | undefined) => boolean = () => false): Promise<number[]>
{
  const seen: number[] = [];
  let ended = false;
  void run.finally(() => {
    ended = true;
  });
  while (!ended) {
    const weight = await canaryWeight(name);
    if (weight !== undefined && seen.at(-1) !== weight) seen.push(weight);
    if (until(weight)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return seen;
}

/** Nothing of a run is left: no canary Deployment, no track Services, no state annotation. */
async function expectNoCanaryLeft(name: string): Promise<void> {
  expect(await getJson('deployment', `${name}-canary`)).toBeUndefined();
  expect(await getJson('service', `${name}-canary`)).toBeUndefined();
  expect(await getJson('service', `${name}-primary`)).toBeUndefined();
  const primary = await getJson<Deployment>('deployment', name);
  expect(primary?.metadata.annotations?.['sparc-mesh.io/canary-run']).toBeUndefined();
}

describe.skipIf(unavailableReason('prometheus'))('canary run without a controller, on the cluster', () => {
  beforeAll(async () => {
    await ensureIstioCrds(testKubeconfig());
    await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await kubectl(['create', 'namespace', NS]);
    exporter = await startIstioMetricsExporter();
    prometheus = await startPrometheus({targets: [exporter.target]});
    await prometheus.waitForTargetsUp();
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  it('promotes a healthy canary after a passing check at each weight', async () => {
    const original = await service('reports');
    exporter.setTraffic(NS, 'reports-canary', HEALTHY);
    const run = startRun(runArgs('reports'));
    const weights = await watchWeights('reports', run);
    const result = await run;
    expect(result.exitCode, result.all).toBe(0);
    // The end moves all traffic to the primary track (0) before the routes get their own rules back.
    expect(weights).toEqual(weights.at(-1) === 0 ? [25, 50, 0] : [25, 50]);
    expect(result.all).toMatch(/weight 25%: check passed/);
    expect(result.all).toMatch(/weight 50%: check passed/);
    expect(result.all).toContain('promoted: reports runs registry.example/reports:2.0 (2 checks, 0 failed)');
    expect(await imageOf('reports')).toBe('registry.example/reports:2.0');
    expect((await getJson<VirtualService>('virtualservice', 'reports'))!.spec).toEqual(original);
    await expectNoCanaryLeft('reports');
  });

  it('rolls a failing canary back when the failed checks reach the threshold, and exits 3', async () => {
    const original = await service('billing');
    exporter.setTraffic(NS, 'billing-canary', FAILING);
    const result = await startRun(runArgs('billing'));
    expect(result.exitCode, result.all).toBe(3);
    expect(result.all).toMatch(/weight 25%: check failed \(1\/2\): request-success-rate: 7\d(\.\d+)?% < 99%/);
    expect(result.all).toMatch(/weight 25%: check failed \(2\/2\)/);
    expect(result.all).not.toMatch(/weight 50%/);
    expect(await imageOf('billing')).toBe('registry.example/billing:1.0');
    expect((await getJson<VirtualService>('virtualservice', 'billing'))!.spec).toEqual(original);
    await expectNoCanaryLeft('billing');
  });

  it('resumes a run killed midway from the recorded step when run again', async () => {
    await service('ledger');
    exporter.setTraffic(NS, 'ledger-canary', HEALTHY);
    const args = runArgs('ledger', {maxWeight: '75'});
    const first = startRun(args);
    expect(await watchWeights('ledger', first, (weight) => weight === 50)).toEqual([25, 50]);
    first.kill('SIGKILL');
    expect((await first).signal).toBe('SIGKILL');
    const state = JSON.parse((await getJson<Deployment>('deployment', 'ledger'))!.metadata
      .annotations!['sparc-mesh.io/canary-run']!) as {step: number; steps: number[]};
    expect(state.steps).toEqual([25, 50, 75]);
    expect(state.step).toBe(1);

    const second = startRun(args);
    const weights = await watchWeights('ledger', second);
    const result = await second;
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('resuming the recorded run at weight 50%');
    expect(weights[0]).toBe(50);
    expect(weights).not.toContain(25);
    expect(await imageOf('ledger')).toBe('registry.example/ledger:2.0');
    await expectNoCanaryLeft('ledger');
  });

  it('canary rollback after a kill puts routing back and removes the canary', async () => {
    const original = await service('search');
    exporter.setTraffic(NS, 'search-canary', HEALTHY);
    const run = startRun(runArgs('search', {extra: ['--match-header', 'x-canary=true']}));
    expect(await watchWeights('search', run, (weight) => weight === 25)).toEqual([25]);
    run.kill('SIGKILL');
    expect((await run).signal).toBe('SIGKILL');
    const split = (await getJson<VirtualService>('virtualservice', 'search'))!.spec.http;
    expect(split[0]).toMatchObject({match: [{headers: {'x-canary': {exact: 'true'}}}],
      route: [{destination: {host: `search-canary.${NS}.svc.cluster.local`}}]});

    const rollback = cli(['canary', 'rollback', '-s', 'search', '-n', NS, '-m', 'istio', '--kubeconfig',
      testKubeconfig()]);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain('rolled back: all traffic to search, which runs registry.example/search:1.0');
    expect((await getJson<VirtualService>('virtualservice', 'search'))!.spec).toEqual(original);
    expect(await imageOf('search')).toBe('registry.example/search:1.0');
    await expectNoCanaryLeft('search');

    const again = cli(['canary', 'rollback', '-s', 'search', '-n', NS, '-m', 'istio', '--kubeconfig',
      testKubeconfig()]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('no canary run recorded on search');
  });

  it('Linkerd: a service without a route gets an HTTPRoute weighing the track Services; rollback removes it', async () => {
    await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=gateway-api-crds', '-f',
      join(pinnedModuleDir('gatewayApi'), 'config/crd/standard')]);
    await kubectl(['wait', '--for=condition=Established', 'crd/httproutes.gateway.networking.k8s.io', '--timeout=60s']);
    await kubectl(['create', 'deployment', 'feed', '--image=registry.example/feed:1.0', '--port=8080', '-n', NS]);
    await kubectl(['expose', 'deployment', 'feed', '--port=8080', '-n', NS]);
    // A long interval keeps the run at its first weight until it is killed.
    const run = startRun(runArgs('feed', {mesh: 'linkerd', interval: '10m'}));
    type HTTPRoute = {
      spec: {parentRefs: {kind: string; name: string}[]; rules: {backendRefs: {name: string; weight?: number}[]}[]};
    };
    let route: HTTPRoute | undefined;
    for (let tries = 0; tries < 300 && !route?.spec.rules[0]?.backendRefs.some((ref) => ref.name === 'feed-canary');
      tries++)
    {
      await new Promise((resolve) => setTimeout(resolve, 200));
      route = await getJson<HTTPRoute>('httproute', 'feed');
    }
    run.kill('SIGKILL');
    expect((await run).signal).toBe('SIGKILL');
    expect(route?.spec.parentRefs).toMatchObject([{kind: 'Service', name: 'feed'}]);
    // The API server fills in group "" and kind Service.
    expect(route?.spec.rules[0]?.backendRefs).toEqual([
      {group: '', kind: 'Service', name: 'feed-primary', port: 8080, weight: 75},
      {group: '', kind: 'Service', name: 'feed-canary', port: 8080, weight: 25},
    ]);

    const rollback = cli(['canary', 'rollback', '-s', 'feed', '-n', NS, '-m', 'linkerd', '--kubeconfig',
      testKubeconfig()]);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(await getJson('httproute', 'feed')).toBeUndefined();
    await expectNoCanaryLeft('feed');
  });

  it("refuses a service whose Canary is Flagger's, pointing at canary abort (exit 2)", async () => {
    await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=flagger-crd', '-f',
      join(pinnedModuleDir('flagger'), 'artifacts/flagger/crd.yaml')]);
    await kubectl(['wait', '--for=condition=Established', 'crd/canaries.flagger.app', '--timeout=60s']);
    await kubectl(['create', 'deployment', 'flagged', '--image=registry.example/flagged:1.0', '-n', NS]);
    const onboarded = cli(['onboard', '-s', 'flagged', '-n', NS, '-m', 'istio', '--enable-canary', '--no-wait',
      '--kubeconfig', testKubeconfig()]);
    expect(onboarded.status, onboarded.stderr).toBe(0);
    const rollback = cli(['canary', 'rollback', '-s', 'flagged', '-n', NS, '-m', 'istio', '--kubeconfig',
      testKubeconfig()]);
    expect(rollback.status).toBe(2);
    expect(rollback.stderr).toContain('has a Flagger Canary');
    expect(rollback.stderr).toContain('canary abort');
  });
});
