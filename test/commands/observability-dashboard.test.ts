// observability dashboard's refusals, in-process with the fake client: each exits before
// anything listens (the session itself, through the API server and kwok to a real Prometheus,
// is test/e2e/observability-dashboard.test.ts).
import {createServer, type Server} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FakeKubeClient} from '../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../src/core/objects.js';
import {runCommand} from '../helpers/run-command.js';

const prometheusService: KubeObject = {apiVersion: 'v1', kind: 'Service',
  metadata: {name: 'prometheus-kube-prometheus-prometheus', namespace: 'monitoring'},
  spec: {selector: {app: 'prometheus'}, ports: [{name: 'http-web', port: 9090, targetPort: 9090}]}};
const prometheusPod = (ready: boolean): KubeObject => ({apiVersion: 'v1', kind: 'Pod',
  metadata: {name: 'prometheus-0', namespace: 'monitoring', labels: {app: 'prometheus'}},
  status: {phase: 'Running', conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}]}});

function dashboard(args: string[], objects: KubeObject[] = []) {
  const client = new FakeKubeClient({objects,
    types: [{group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true}, {group: '',
      version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true}]});
  return runCommand(['observability', 'dashboard', ...args], {deps: {connect: async () => client}});
}

describe('observability dashboard refuses', () => {
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as {port: number}).port;
  });

  afterAll(() => new Promise((resolve) => taken.close(resolve)));

  it('a dashboard whose Service is not there, naming it and how to install it (exit 2)', async () => {
    const result = await dashboard(['prometheus', '--port', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'prometheus is not installed: Service monitoring/prometheus-kube-prometheus-prometheus does not exist',
    );
    expect(result.stderr).toContain('sparc-mesh observability setup');
    expect(result.stdout).toBe('');
  });

  it('looks in the namespace -n names', async () => {
    const result = await dashboard(['grafana', '-n', 'observability', '--port', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Service observability/prometheus-grafana does not exist');
  });

  it('a Service with no ready pod behind it (exit 1)', async () => {
    const result = await dashboard(['prometheus', '--port', '0'], [prometheusService, prometheusPod(false)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'prometheus cannot be reached: Service monitoring/prometheus-kube-prometheus-prometheus port 9090: none of its 1 selected pod is ready',
    );
  });

  it('a local port that is taken, naming --port', async () => {
    const result = await dashboard(['prometheus', '--port', String(takenPort)], [prometheusService,
      prometheusPod(true)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--port: ${takenPort} is in use on 127.0.0.1`);
  });

  it.each([
    [['prometheus', '--address', 'localhost'], '--address: "localhost" is not an IP address'],
    [['prometheus', '--address', '192.0.2.1', '--port', '0'],
      '--address: "192.0.2.1" is not an address of this machine'],
    [['prometheus', '--port', '65536'], '--port'],
    [['grafana-ui'], 'grafana-ui'],
    [['prometheus', '--json'], '--json'],
  ])('%j', async (args, named) => {
    const result = await dashboard(args, [prometheusService, prometheusPod(true)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(named);
    expect(result.stdout).toBe('');
  });
});
