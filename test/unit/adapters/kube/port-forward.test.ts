// The listener side of port-forward: each local connection becomes one openPodPort stream,
// with the fake client connecting those streams to a local server (the real path, through the
// API server and kwok, is in test/e2e/observability-dashboard.test.ts).
import {connect, createServer, type Server} from 'node:net';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FakeKubeClient} from '../../../../src/adapters/kube/fake.js';
import {forwardServicePort, type PortForward} from '../../../../src/adapters/kube/port-forward.js';
import {ServiceBackendError} from '../../../../src/core/service-backend.js';
import type {KubeObject} from '../../../../src/core/objects.js';

const service: KubeObject = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'grafana', namespace: 'monitoring'},
  spec: {selector: {app: 'grafana'}, ports: [{name: 'http-web', port: 80, targetPort: 'web'}]}};
const pod = (name: string): KubeObject => ({apiVersion: 'v1', kind: 'Pod',
  metadata: {name, namespace: 'monitoring', labels: {app: 'grafana'}},
  spec: {containers: [{name: 'grafana', ports: [{name: 'web', containerPort: 3000}]}]},
  status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]}});

/** Sends `text` on a new connection to `port` and resolves with everything received until the other side ends. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('forwardServicePort', () => {
  let upstream: Server;
  let upstreamPort: number;
  let forward: PortForward | undefined;
  const failures: string[] = [];

  beforeEach(async () => {
    // Answers each connection's first chunk with it upper-cased, then ends.
    upstream = createServer((socket) => socket.once('data', (chunk) => socket.end(chunk.toString().toUpperCase())));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamPort = (upstream.address() as {port: number}).port;
    failures.length = 0;
  });

  afterEach(async () => {
    await forward?.close();
    forward = undefined;
    await new Promise((resolve) => upstream.close(resolve));
  });

  const client = (podPorts: ConstructorParameters<typeof FakeKubeClient>[0] = {}) =>
    new FakeKubeClient({objects: [service, pod('grafana-1'), pod('grafana-0')],
      podPorts: (target, port) => (target.name === 'grafana-0' && port === 3000 ? upstreamPort : new Error('refused')),
      ...podPorts});

  it('listens on a free port and carries each connection to the named target port of the first ready pod', async () => {
    forward = await forwardServicePort(client(), {namespace: 'monitoring', name: 'grafana'}, 80, {address: '127.0.0.1',
      port: 0}, (message) => failures.push(message));
    expect(forward.local.port).toBeGreaterThan(0);
    expect(forward.pod).toEqual({namespace: 'monitoring', name: 'grafana-0'});
    expect(forward.podPort).toBe(3000);
    expect(await exchange(forward.local.port, 'first')).toBe('FIRST');
    expect(await exchange(forward.local.port, 'second')).toBe('SECOND');
    expect(failures).toEqual([]);
  });

  it('ends a connection whose stream cannot be opened and reports why, and goes on listening', async () => {
    let refuse = true;
    forward = await forwardServicePort(
      client({podPorts: () => (refuse ? new Error('pod grafana-0 refused port 3000') : upstreamPort)}),
      {namespace: 'monitoring', name: 'grafana'},
      'http-web',
      {address: '127.0.0.1', port: 0},
      (message) => failures.push(message),
    );
    expect(await exchange(forward.local.port, 'lost')).toBe('');
    expect(failures).toEqual(['pod grafana-0 refused port 3000']);
    refuse = false;
    expect(await exchange(forward.local.port, 'kept')).toBe('KEPT');
  });

  it('close() ends open connections and stops listening', async () => {
    // An upstream that never answers keeps the connection open until close().
    upstream.removeAllListeners('connection');
    upstream.on('connection', (socket) => socket.resume());
    forward = await forwardServicePort(client(), {namespace: 'monitoring', name: 'grafana'}, 80, {address: '127.0.0.1',
      port: 0}, (message) => failures.push(message));
    const open = exchange(forward.local.port, 'waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const {port} = forward.local;
    await forward.close();
    forward = undefined;
    await expect(open).resolves.toBe('');
    await expect(exchange(port, 'again')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a listening port that is taken, with the error of listen', async () => {
    await expect(
      forwardServicePort(client(), {namespace: 'monitoring', name: 'grafana'}, 80, {address: '127.0.0.1',
        port: upstreamPort}, () => undefined),
    ).rejects.toMatchObject({code: 'EADDRINUSE'});
  });

  it('names a Service that does not exist', async () => {
    const error = await forwardServicePort(client(), {namespace: 'monitoring', name: 'kiali'}, 20001, {
      address: '127.0.0.1',
      port: 0,
    }, () => undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceBackendError);
    expect(error).toMatchObject({reason: 'no-service', message: 'Service monitoring/kiali does not exist'});
  });
});
