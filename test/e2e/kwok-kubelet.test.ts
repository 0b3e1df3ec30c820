// kwok as the nodes' kubelet: the API server dials it for pods/portforward and pods/log, so
// `kubectl port-forward` reaches the local server a test names for a pod's port, and
// `kubectl logs` reads the file a test names for a container (test/helpers/kwok.ts).
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {forwardPodPorts, servePodLogs, writeContainerLog} from '../helpers/kwok.js';

const namespace = 'e2e-kubelet';
const pod = {namespace, name: 'web-0'};

async function kubectl(args: string[]): Promise<string> {
  return (await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args])).stdout;
}

/** Retries until `read` returns without throwing: kwok sees new objects through a watch. */
async function eventually<T>(read: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Starts `kubectl port-forward` and resolves with the local port it reports. */
function portForward(target: string): Promise<{port: number; child: ChildProcess}> {
  const child = spawn(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), 'port-forward', '-n', namespace,
    target, ':80', '--address', '127.0.0.1']);
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(output)?.[1];
      if (port) resolve({port: Number(port), child});
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}:\n${output}`)));
  });
}

describe('kwok serves port-forward and logs for its pods', () => {
  let server: Server;
  let serverPort: number;
  let logDir: string;

  beforeAll(async () => {
    await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await kubectl(['create', 'namespace', namespace]);
    await kubectl(['run', pod.name, '-n', namespace, '--image=registry.example/web:1', '--port=80']);
    await kubectl(['wait', '-n', namespace, '--for=condition=Ready', `pod/${pod.name}`, '--timeout=60s']);
    server = createServer((request, response) => response.end(`served ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverPort = (server.address() as {port: number}).port;
    logDir = await mkdtemp(join(tmpdir(), 'sparc-kwok-logs-'));
  }, 120_000);

  afterAll(async () => {
    server?.close();
    if (logDir) await rm(logDir, {recursive: true, force: true});
    await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
  });

  it('kubectl port-forward to the pod reaches the local server named for its port', async () => {
    await forwardPodPorts(testKubeconfig(), pod, [{port: 80, to: {port: serverPort}}]);
    const {port, child} = await portForward(`pod/${pod.name}`);
    try {
      const body = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/through-the-api`);
        return response.text();
      });
      expect(body).toBe('served /through-the-api');
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  it('kubectl logs reads the file named for the container, with --tail', async () => {
    const file = join(logDir, 'web.log');
    await writeContainerLog(file, ['starting', 'listening on :80', 'ready']);
    await servePodLogs(testKubeconfig(), pod, [{container: pod.name, file}]);
    const all = await eventually(() => kubectl(['logs', '-n', namespace, pod.name, '-c', pod.name]));
    expect(all).toBe('starting\nlistening on :80\nready');
    expect(await kubectl(['logs', '-n', namespace, pod.name, '--tail=1'])).toBe('ready');
  }, 60_000);
});
