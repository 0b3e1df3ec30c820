// A real Prometheus (the pinned build in the testbin cache) on a free loopback port, for the
// tests where metrics decide something: canary analysis, alert rules, dashboards. It scrapes
// the targets it is given every `scrapeInterval`, keeps its data in a temporary directory and
// is gone after stop().
//
//   const exporter = await startIstioMetricsExporter();
//   const prometheus = await startPrometheus({targets: [exporter.target]});
//   await prometheus.query('sum(istio_requests_total)');
//   await prometheus.stop(); await exporter.stop();
import {spawn, type ChildProcess} from 'node:child_process';
import {openSync, closeSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import yaml from 'js-yaml';
import {freePorts} from '../cluster/cluster.js';
import {testbinPath} from '../cluster/testbin.js';

export interface PrometheusOptions {
  /** `host:port` targets scraped under job "targets". */
  targets: string[];
  /** More scrape jobs: job name → its `host:port` targets. */
  jobs?: Record<string, string[]>;
  /** Prometheus duration; short, so that a test sees new samples within seconds. */
  scrapeInterval?: string;
  /** Rule files (paths) loaded by the server, evaluated every scrapeInterval. */
  ruleFiles?: string[];
}

export interface RunningPrometheus {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The server's log (stdout and stderr), for a failing test's message. */
  logFile: string;
  /** Instant query; the `data.result` vector of the HTTP API. */
  query(expression: string): Promise<{metric: Record<string, string>; value: [number, string]}[]>;
  /** Resolves once every target has been scraped successfully at least once. */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** One free loopback port (the test cluster's port picker, for one name). */
export async function freeLoopbackPort(): Promise<number> {
  return (await freePorts(['port'])).port;
}

/**
 * Polls `check` (a throw counts as not yet) until it is true; fails at once when `failed`
 * gives a reason (the process is gone), else after timeoutMs.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number,
  failed: () => string | undefined = () => undefined): Promise<void>
{
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reason = failed();
    if (reason) throw new Error(reason);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'sparc-prometheus-'));
  const interval = options.scrapeInterval ?? '1s';
  const jobs = {targets: options.targets, ...options.jobs};
  const allTargets = Object.values(jobs).flat();
  const config = {
    global: {scrape_interval: interval, evaluation_interval: interval},
    rule_files: options.ruleFiles ?? [],
    scrape_configs: Object.entries(jobs).map(([job, targets]) => ({job_name: job, static_configs: [{targets}]})),
  };
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, yaml.dump(config));
  const port = await freeLoopbackPort();
  const logFile = join(dir, 'prometheus.log');
  const log = openSync(logFile, 'a');
  const child = spawn(testbinPath('prometheus'), [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], {stdio: ['ignore', log, log]});
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  const gone = () => {
    if (spawnError) return `prometheus could not be started: ${spawnError.message}`;
    const ended = child.exitCode ?? child.signalCode;
    return ended === null ? undefined : `prometheus exited with ${ended}; the end of its log:`;
  };

  const stop = async () => {
    await stopProcess(child);
    await rm(dir, {recursive: true, force: true});
  };
  const query: RunningPrometheus['query'] = async (expression) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
    const body = (await response.json()) as {status: string; error?: string; data?: {result: []}};
    if (body.status !== 'success') throw new Error(`query ${expression} failed: ${body.error ?? response.status}`);
    return body.data?.result ?? [];
  };
  const waitForTargetsUp = (timeoutMs = 30_000) =>
    waitFor(`Prometheus at ${url} to scrape ${allTargets.join(', ')}`, async () => {
      const up = await query('up');
      return up.length === allTargets.length && up.every((sample) => sample.value[1] === '1');
    }, timeoutMs);

  try {
    // The check's own throw would count as "not ready yet": a process that is gone is `gone`.
    await waitFor(`Prometheus at ${url} to be ready; the end of its log:`,
      async () => (await fetch(`${url}/-/ready`)).ok, 30_000, gone);
  } catch (error) {
    await stopProcess(child);
    const logTail = (await readFile(logFile, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-10).join('\n');
    await rm(dir, {recursive: true, force: true});
    throw new Error(`${(error as Error).message}\n${logTail}`);
  }
  return {url, port, logFile, query, waitForTargetsUp, stop};
}
