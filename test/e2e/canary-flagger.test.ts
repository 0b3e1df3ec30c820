// canary status, --watch, promote and abort against the real Flagger (v1.44.0, a local process
// on the test cluster with Istio as its mesh provider), which judges each rollout by querying a
// real Prometheus that scrapes Istio-shaped metrics whose traffic the test sets per workload,
// and scrapes Flagger's own gauges, which `canary status --prometheus-url` reads. The analysis
// is time-compressed through the settings a user has (sparc-mesh.yaml: interval 10s, Flagger's
// minimum, window 30s). Four services roll out at once, one per case.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa, type ResultPromise} from 'execa';
import yaml from 'js-yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {testbinPath, testKubeconfig, unavailableReason} from '../cluster/testbin.js';
import {REPO} from '../helpers/cli.js';
import {startFlagger, type RunningFlagger} from '../helpers/flagger.js';
import {startIstioMetricsExporter, type IstioMetricsExporter} from '../helpers/istio-metrics.js';
import {freeLoopbackPort, startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';
import {ensureIstioCrds} from './istio-crds.js';

const NS = 'e2e-canary-flagger';
const SERVICES = ['healthy', 'failing', 'promoted', 'aborted'] as const;
const HEALTHY = {requestsPerSecond: 40, errorRatio: 0, latencyMs: 30};
const FAILING = {requestsPerSecond: 40, errorRatio: 0.4, latencyMs: 30};

let exporter: IstioMetricsExporter;
let prometheus: RunningPrometheus;
let flagger: RunningFlagger;
let configDir: string;

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input, reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

/** The built CLI in its own process (asynchronously: the exporter serves Prometheus from this one). */
function sparcMesh(args: string[]): ResultPromise<{reject: false}> {
  return execa(process.execPath, [join(REPO, 'bin/run.js'), ...args, '--kubeconfig', testKubeconfig()], {reject: false,
    env: {NO_COLOR: '1', CI: 'true'}});
}

function watch(name: string): ResultPromise<{reject: false}> {
  return sparcMesh(['canary', 'status', '-s', name, '-n', NS, '--watch', '--timeout', '6m', '--prometheus-url',
    prometheus.url]);
}

/** Resolves once the process has printed a line matching `pattern`. */
function printed(run: ResultPromise<{reject: false}>, pattern: RegExp): Promise<void> {
  let text = '';
  return new Promise((resolve, reject) => {
    run.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve();
    });
    void run.then((result) => reject(new Error(`exited ${result.exitCode} before printing ${pattern}:\n${text}`)));
  });
}

/** The canary's rows of every table --watch printed: [phase, weight, failed checks]. */
function rowsOf(stdout: string, name: string): {phase: string; weight: number; failedChecks: string}[] {
  return [...stdout.matchAll(new RegExp(`^${name}\\s+(\\S+).*?\\s(\\d+)% \\(max 30%\\)\\s+(\\d+/\\d+)`, 'gm'))]
    .map((match) => ({phase: match[1]!, weight: Number(match[2]), failedChecks: match[3]!}));
}

/** The metric rows of the last table --watch printed: metric → last value. */
function lastValues(stdout: string, name: string): Record<string, string> {
  const last = stdout.split(/\n(?=NAME )/).at(-1)!;
  return Object.fromEntries([...last.matchAll(new RegExp(`^${name}\\s+(request-\\S+)\\s+\\S+ \\S+\\s+(\\S+)$`, 'gm'))]
    .map((match) => [match[1]!, match[2]!]));
}

const imageOf = async (deployment: string) =>
  kubectl(['get', 'deployment', deployment, '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);

/** A new image for the target; --watch started after it waits for the rollout, which Flagger starts at its next run. */
async function newRevision(name: string): Promise<void> {
  await kubectl(['set', 'image', `deployment/${name}`, `${name}=registry.example/${name}:2.0`, '-n', NS]);
}

describe.skipIf(unavailableReason('flagger') ?? unavailableReason('prometheus'))('canary with the real Flagger', () => {
  beforeAll(async () => {
    await ensureIstioCrds(testKubeconfig());
    await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    exporter = await startIstioMetricsExporter();
    for (const name of SERVICES) exporter.setTraffic(NS, name, name === 'failing' ? FAILING : HEALTHY);
    const flaggerPort = await freeLoopbackPort();
    prometheus = await startPrometheus({targets: [exporter.target, `127.0.0.1:${flaggerPort}`]});
    flagger = await startFlagger({kubeconfig: testKubeconfig(), port: flaggerPort, metricsServer: prometheus.url,
      namespace: NS});

    configDir = await mkdtemp(join(tmpdir(), 'sparc-canary-flagger-'));
    const canary = {enabled: true, interval: '10s', threshold: 2, stepWeight: 10, maxWeight: 30, window: '30s'};
    await writeFile(join(configDir, 'sparc-mesh.yaml'),
      yaml.dump({mesh: 'istio', services: SERVICES.map((name) => ({name, namespace: NS, canary}))}));
    for (const name of SERVICES) {
      const onboarded = await sparcMesh(['onboard', '-s', name, '-n', NS, '--config',
        join(configDir, 'sparc-mesh.yaml'), '--no-wait']);
      expect(onboarded.exitCode, onboarded.stderr).toBe(0);
    }
    // The workloads after their Canaries, so that onboarding restarts nothing Flagger would take for a revision.
    for (const name of SERVICES) {
      await kubectl(['create', 'deployment', name, `--image=registry.example/${name}:1.0`, '--port=8080', '-n', NS]);
    }
    // Flagger sets each Canary up: the primary Deployment, the Services, the VirtualService; phase Initialized.
    const setUp = await sparcMesh(['canary', 'status', '-n', NS, '--watch', '--timeout', '3m', '--json']);
    expect(setUp.exitCode, `${setUp.stdout}\n${setUp.stderr}\n${await flagger.log()}`).toBe(0);
    const result = JSON.parse(setUp.stdout) as {result: {canaries: {name: string; phase: string}[]}};
    expect(result.result.canaries.map((canary) => [canary.name, canary.phase])).toEqual(
      [...SERVICES].sort().map((name) => [name, 'Initialized']),
    );
  }, 600_000);

  afterAll(async () => {
    await flagger?.stop();
    await prometheus?.stop();
    await exporter?.stop();
    if (configDir) await rm(configDir, {recursive: true, force: true});
  });

  it.concurrent('promotes a healthy revision step by step; --watch shows each weight and exits 0', async () => {
    await newRevision('healthy');
    const watching = watch('healthy');
    const {exitCode, stdout, stderr} = await watching;
    expect(exitCode, `${stdout}\n${stderr}`).toBe(0);
    const rows = rowsOf(stdout, 'healthy');
    const weights = rows.map((row) => row.weight).filter((weight, index, all) => weight !== all[index - 1]);
    expect(weights).toEqual(expect.arrayContaining([10, 20, 30]));
    expect(weights.indexOf(10)).toBeLessThan(weights.indexOf(20));
    expect(weights.indexOf(20)).toBeLessThan(weights.indexOf(30));
    expect(rows.at(-1)?.phase).toBe('Succeeded');
    // The values Flagger judged, read from its gauge: a 100% success rate, p99 in the (25, 50] ms bucket.
    const values = lastValues(stdout, 'healthy');
    expect(values['request-success-rate']).toBe('100%');
    expect(Number.parseFloat(values['request-duration']!)).toBeGreaterThan(25);
    expect(Number.parseFloat(values['request-duration']!)).toBeLessThanOrEqual(50);
    expect(await imageOf('healthy-primary')).toBe('registry.example/healthy:2.0');
  });

  it.concurrent('rolls a failing revision back at the threshold; --watch exits 3', async () => {
    await newRevision('failing');
    const watching = watch('failing');
    const {exitCode, stdout, stderr} = await watching;
    expect(exitCode, `${stdout}\n${stderr}`).toBe(3);
    const rows = rowsOf(stdout, 'failing');
    expect(rows.map((row) => row.failedChecks)).toContain('1/2');
    expect(rows.at(-1)).toMatchObject({phase: 'Failed', weight: 0});
    // 40% of the canary's requests fail: Flagger measured about 60% against its floor of 99%.
    expect(Number.parseFloat(lastValues(stdout, 'failing')['request-success-rate']!)).toBeLessThan(99);
    expect(await imageOf('failing-primary')).toBe('registry.example/failing:1.0');
  });

  it.concurrent('promote mid-rollout ships the revision at once and turns the analysis back on', async () => {
    await newRevision('promoted');
    const watching = watch('promoted');
    await printed(watching, /^promoted\s+Progressing\s+10%/m);
    const promoted = await sparcMesh(['canary', 'promote', '-s', 'promoted', '-n', NS, '--timeout', '3m']);
    expect(promoted.exitCode, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain('Canary e2e-canary-flagger/promoted promoted (skipped the analysis)');
    const {exitCode, stdout} = await watching;
    expect(exitCode, stdout).toBe(0);
    // Promoted before the analysis reached its maximum weight.
    expect(rowsOf(stdout, 'promoted').map((row) => row.weight)).not.toContain(30);
    expect(await imageOf('promoted-primary')).toBe('registry.example/promoted:2.0');
    expect(await kubectl(['get', 'canary', 'promoted', '-n', NS, '-o', 'jsonpath={.spec.skipAnalysis}'])).toBe('');
  });

  it.concurrent('abort mid-rollout sends all traffic back to the primary; --watch exits 3', async () => {
    await newRevision('aborted');
    const watching = watch('aborted');
    await printed(watching, /^aborted\s+Progressing\s+10%/m);
    const aborted = await sparcMesh(['canary', 'abort', '-s', 'aborted', '-n', NS, '--timeout', '3m']);
    expect(aborted.exitCode, aborted.stderr).toBe(0);
    const {exitCode, stdout} = await watching;
    expect(exitCode, stdout).toBe(3);
    expect(rowsOf(stdout, 'aborted').at(-1)).toMatchObject({phase: 'Failed', weight: 0});
    expect(await imageOf('aborted-primary')).toBe('registry.example/aborted:1.0');
    const routes = JSON.parse(
      await kubectl(['get', 'virtualservice', 'aborted', '-n', NS, '-o', 'jsonpath={.spec.http[0].route}']),
    ) as {destination: {host: string}; weight: number}[];
    expect(routes.map((route) => [route.destination.host, route.weight])).toEqual([['aborted-primary', 100], [
      'aborted-canary',
      0,
    ]]);
  });
});
