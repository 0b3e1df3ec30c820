// Flagger's controller (the pinned build in the testbin cache) as a local process against the
// test cluster, as Flagger runs out of cluster: `-kubeconfig`, Istio as the mesh provider, a
// real Prometheus as its metrics server, and a short control loop. Its CRDs (Canary,
// MetricTemplate, AlertProvider) are applied from the same pinned release. It serves its own
// metrics (flagger_canary_*) on a loopback port, for a Prometheus to scrape.
//
//   const port = await freeLoopbackPort();
//   const prometheus = await startPrometheus({targets: [exporter.target, `127.0.0.1:${port}`]});
//   const flagger = await startFlagger({kubeconfig, port, metricsServer: prometheus.url});
//   ...; await flagger.stop();
import {spawn} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {testbinPath} from '../cluster/testbin.js';
import {pinnedModuleDir} from '../e2e/pinned-module.js';
import {stopProcess, waitFor} from './prometheus.js';

export interface FlaggerOptions {
  kubeconfig: string;
  /** Loopback port of Flagger's /metrics and /healthz. */
  port: number;
  /** Prometheus URL for Flagger's built-in metrics. */
  metricsServer: string;
  /** Only this namespace's Canaries (Flagger's -namespace). */
  namespace?: string;
}

export interface RunningFlagger {
  /** `127.0.0.1:PORT`, as a Prometheus scrape target. */
  metricsTarget: string;
  /** Flagger's log, for a failing test's message. */
  logFile: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** Flagger's CRDs from the pinned release, applied and established. */
export async function ensureFlaggerCrds(kubeconfig: string): Promise<void> {
  const kubectl = (args: string[]) => execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, ...args]);
  await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=flagger-crd', '-f',
    join(pinnedModuleDir('flagger'), 'artifacts/flagger/crd.yaml')]);
  await kubectl(['wait', '--for=condition=Established', 'crd/canaries.flagger.app', 'crd/metrictemplates.flagger.app',
    'crd/alertproviders.flagger.app', '--timeout=60s']);
}

export async function startFlagger(options: FlaggerOptions): Promise<RunningFlagger> {
  await ensureFlaggerCrds(options.kubeconfig);
  const dir = await mkdtemp(join(tmpdir(), 'sparc-flagger-'));
  const logFile = join(dir, 'flagger.log');
  const log = openSync(logFile, 'a');
  const child = spawn(testbinPath('flagger'), [
    `-kubeconfig=${options.kubeconfig}`,
    '-mesh-provider=istio',
    `-metrics-server=${options.metricsServer}`,
    // How often Flagger looks for new and deleted Canaries; each Canary's analysis runs at its own interval.
    '-control-loop-interval=2s',
    `-port=${options.port}`,
    '-log-level=info',
    '-zap-encoding=console',
    ...(options.namespace ? [`-namespace=${options.namespace}`] : []),
  ], {stdio: ['ignore', log, log]});
  closeSync(log);
  const stop = async () => {
    await stopProcess(child);
    await rm(dir, {recursive: true, force: true});
  };
  try {
    await waitFor(`flagger to answer /healthz (log: ${logFile})`,
      async () => child.exitCode === null && (await fetch(`http://127.0.0.1:${options.port}/healthz`)).ok, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {metricsTarget: `127.0.0.1:${options.port}`, logFile, log: () => readFile(logFile, 'utf8'), stop};
}
