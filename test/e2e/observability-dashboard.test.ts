// `observability dashboard prometheus` end to end: the real CLI (dist/) forwards a local port
// through the API server to a pod of the Service prometheus-kube-prometheus-prometheus in
// monitoring, whose port kwok forwards to a real Prometheus on loopback; the printed URL
// answers /-/ready, and Ctrl-C (SIGINT) ends the command with exit 0.
import {spawn, type ChildProcess} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {testKubeconfig, unavailableReason} from '../cluster/testbin.js';
import {REPO} from '../helpers/cli.js';
import {whenKwokServes} from '../helpers/kwok.js';
import {servePrometheusPod, type PrometheusPod} from '../helpers/prometheus-pod.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';

/** Starts the CLI and resolves with the first line it prints (the URL) once it has printed it. */
function startDashboard(args: string[]): Promise<{child: ChildProcess; url: string; output: () => string}> {
  const child = spawn(process.execPath, [`${REPO}bin/run.js`, 'observability', 'dashboard', ...args], {cwd: REPO,
    env: {...process.env, NO_COLOR: '1', CI: 'true'}});
  let stdout = '';
  let stderr = '';
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /^(http:\/\/\S+)\n/m.exec(stdout)?.[1];
      if (url) resolve({child, url, output});
    });
    child.on('exit', (code) => reject(new Error(`the command exited ${code} before printing a URL\n${output()}`)));
  });
}

describe.skipIf(unavailableReason('prometheus'))('observability dashboard prometheus', () => {
  let prometheus: RunningPrometheus;
  let pod: PrometheusPod | undefined;

  beforeAll(async () => {
    prometheus = await startPrometheus({targets: []});
    pod = await servePrometheusPod(testKubeconfig(), 'e2e-dashboard-prometheus-0', prometheus.port);
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await pod?.remove();
  });

  it('prints a URL whose /-/ready answers 200, and ends with exit 0 on SIGINT', async () => {
    const {child, url, output} = await startDashboard(['prometheus', '--port', '0', '--kubeconfig', testKubeconfig()]);
    const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
      child.on('exit', (code, signal) => resolve({code, signal}))
    );
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const ready = await whenKwokServes(() => fetch(`${url}-/ready`));
      expect(ready.status, output()).toBe(200);
      expect(await ready.text()).toContain('Prometheus Server is Ready.');
      // The answer came from the real Prometheus: its query API is there too.
      const query = await fetch(`${url}api/v1/query?query=vector(42)`);
      const answer = (await query.json()) as {data: {result: {value: [number, string]}[]}};
      expect(answer.data.result.map((sample) => sample.value[1])).toEqual(['42']);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, output()).toEqual({code: 0, signal: null});
    await expect(fetch(`${url}-/ready`)).rejects.toThrow();
  }, 120_000);
});
