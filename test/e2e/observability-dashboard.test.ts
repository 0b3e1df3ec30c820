// `observability dashboard prometheus` end to end: the real CLI (dist/) forwards a local port
// through the API server to a pod of the Service prometheus-kube-prometheus-prometheus in
// monitoring, whose port kwok forwards to a real Prometheus on loopback; the printed URL
// answers /-/ready, and Ctrl-C (SIGINT) ends the command with exit 0.
import {spawn, type ChildProcess} from 'node:child_process';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {serviceBackend, serviceSelector} from '../../src/core/service-backend.js';
import type {KubeObject} from '../../src/core/objects.js';
import {testbinPath, testKubeconfig, unavailableReason} from '../cluster/testbin.js';
import {REPO} from '../helpers/cli.js';
import {forwardPodPorts, whenKwokServes} from '../helpers/kwok.js';
import {startPrometheus, type RunningPrometheus} from '../helpers/prometheus.js';

const namespace = 'monitoring';
const serviceName = 'prometheus-kube-prometheus-prometheus';
const podName = 'e2e-dashboard-prometheus-0';

async function kubectl(args: string[], input?: string): Promise<string> {
  return (await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input})).stdout;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

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
  let createdService = false;

  beforeAll(async () => {
    prometheus = await startPrometheus({targets: []});
    await kubectl(['create', 'namespace', namespace]).catch(() => undefined);
    // A Service that `observability setup` installed earlier in the run is used as it is.
    const existing = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), 'get', 'service',
      serviceName, '-n', namespace], {reject: false});
    if (existing.exitCode !== 0) {
      createdService = true;
      await kubectl(['apply', '-f', '-'],
        JSON.stringify({apiVersion: 'v1', kind: 'Service', metadata: {name: serviceName, namespace},
          spec: {selector: {'app.kubernetes.io/name': 'prometheus'},
            ports: [{name: 'http-web', port: 9090, targetPort: 9090}]}}));
    }
    const service = await getJson<KubeObject>(['get', 'service', serviceName, '-n', namespace]);
    const selector = Object.fromEntries((serviceSelector(service) ?? '').split(',').map((term) => term.split('=')));
    await kubectl(['apply', '-f', '-'],
      JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: podName, namespace, labels: selector},
        spec: {
          containers: [{name: 'prometheus', image: 'quay.io/prometheus/prometheus:v3.16.0',
            ports: [{name: 'http-web', containerPort: 9090}]}],
        }}));
    await kubectl(['wait', '-n', namespace, '--for=condition=Ready', `pod/${podName}`, '--timeout=60s']);
    // Whichever ready pod the command picks behind the Service, its port leads to the real Prometheus.
    const pods = await getJson<{items: KubeObject[]}>(['get', 'pods', '-n', namespace, '-l',
      serviceSelector(service)!]);
    for (const pod of pods.items) {
      const backend = serviceBackend(service, [pod], 9090);
      await forwardPodPorts(testKubeconfig(), {namespace, name: backend.pod}, [{port: backend.podPort,
        to: {port: prometheus.port}}]);
    }
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await kubectl(['delete', 'pod', podName, '-n', namespace, '--ignore-not-found', '--wait=false']);
    if (createdService) await kubectl(['delete', 'service', serviceName, '-n', namespace, '--ignore-not-found']);
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
