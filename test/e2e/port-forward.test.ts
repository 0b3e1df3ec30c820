// The port-forward adapter against the real API server, with kwok as the kubelet: a Service's
// named target port resolved to a ready pod, and each local connection carried through
// pods/portforward (client-node's WebSocket protocol) to the local server kwok forwards to.
import {createServer, type Server} from 'node:http';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createKubeClient} from '../../src/adapters/kube/client.js';
import {forwardPodPort, forwardServicePort} from '../../src/adapters/kube/port-forward.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {forwardPodPorts} from '../helpers/kwok.js';

const namespace = 'e2e-port-forward';

async function kubectl(args: string[], input?: string): Promise<string> {
  return (await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input})).stdout;
}

/** Fetches until an answer comes: kwok sees a new PortForward through a watch. */
async function fetchEventually(url: string, timeoutMs = 15_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('forwardServicePort through the API server', () => {
  let server: Server;
  let serverPort: number;

  beforeAll(async () => {
    await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await kubectl(['create', 'namespace', namespace]);
    const labels = {app: 'ui'};
    await kubectl(['apply', '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: [
      {apiVersion: 'v1', kind: 'Service', metadata: {name: 'ui', namespace},
        spec: {selector: labels, ports: [{name: 'http', port: 80, targetPort: 'web'}]}},
      {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'ui-0', namespace, labels},
        spec: {
          containers: [{name: 'ui', image: 'registry.example/ui:1', ports: [{name: 'web', containerPort: 3000}]}],
        }},
    ]}));
    await kubectl(['wait', '-n', namespace, '--for=condition=Ready', 'pod/ui-0', '--timeout=60s']);
    server = createServer((request, response) => response.end(`ui ${request.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverPort = (server.address() as {port: number}).port;
    await forwardPodPorts(testKubeconfig(), {namespace, name: 'ui-0'}, [{port: 3000, to: {port: serverPort}}]);
  }, 120_000);

  afterAll(async () => {
    server?.close();
    await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
  });

  it('answers through the forwarded port, connection after connection, and stops on close()', async () => {
    const client = await createKubeClient({kubeconfig: testKubeconfig()});
    const failures: string[] = [];
    const forward = await forwardServicePort(client, {namespace, name: 'ui'}, 80, {address: '127.0.0.1', port: 0},
      (message) => failures.push(message));
    expect(forward.pod).toEqual({namespace, name: 'ui-0'});
    expect(forward.podPort).toBe(3000);
    const base = `http://127.0.0.1:${forward.local.port}`;
    expect(await (await fetchEventually(`${base}/first`)).text()).toBe('ui /first');
    const answers = await Promise.all(['a', 'b', 'c'].map(async (path) => (await fetch(`${base}/${path}`)).text()));
    expect(answers).toEqual(['ui /a', 'ui /b', 'ui /c']);
    await forward.close();
    await expect(fetch(`${base}/after`)).rejects.toThrow();
  }, 60_000);

  it('reports a connection the kubelet cannot forward, with its reason', async () => {
    const client = await createKubeClient({kubeconfig: testKubeconfig()});
    const failures: string[] = [];
    const forward = await forwardPodPort(client, {namespace, name: 'ui-0'}, 4000, {address: '127.0.0.1', port: 0},
      (message) => failures.push(message));
    try {
      await expect(fetch(`http://127.0.0.1:${forward.local.port}/`)).rejects.toThrow();
      expect(failures.join('\n')).toMatch(/port-forward to 4000 of pod e2e-port-forward\/ui-0 failed: .*4000/);
    } finally {
      await forward.close();
    }
  }, 60_000);
});
