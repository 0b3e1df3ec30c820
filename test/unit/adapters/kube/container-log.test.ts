// KubeClient.containerLog over HTTP, against a local server standing in for the API server:
// the query kubectl logs sends, an answer never read past its byte limit (whatever the server
// does with limitBytes), and the server's reason when it refuses.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ClientNodeKubeClient} from '../../../../src/adapters/kube/client-node.js';

let server: Server;
let client: ClientNodeKubeClient;
const asked: URL[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    asked.push(url);
    if (url.pathname.endsWith('/waiting/log')) {
      response.writeHead(400, {'content-type': 'application/json'}).end(
        JSON.stringify({kind: 'Status',
          message: 'container "istio-proxy" in pod "waiting" is waiting to start: PodInitializing'}),
      );
      return;
    }
    // Ignores limitBytes: a megabyte line, then more.
    response.writeHead(200, {'content-type': 'text/plain'});
    response.write(`${'x'.repeat(1024 * 1024)}\n`);
    response.end('after\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-log-')), 'kubeconfig');
  writeFileSync(kubeconfig,
    JSON.stringify({apiVersion: 'v1', kind: 'Config', 'current-context': 'local',
      clusters: [{name: 'local', cluster: {server: `http://127.0.0.1:${port}`}}], users: [{name: 'u', user: {}}],
      contexts: [{name: 'local', context: {cluster: 'local', user: 'u'}}]}));
  client = await ClientNodeKubeClient.connect({kubeconfig});
});

afterAll(() => {
  server?.close();
});

describe('containerLog', () => {
  it('asks for the tail as kubectl logs does and reads no more than the byte limit', async () => {
    const log = await client.containerLog({namespace: 'shop', name: 'web-1'}, 'istio-proxy', {tailLines: 200,
      limitBytes: 4096, previous: true});
    expect(log).toEqual({text: 'x'.repeat(4096), cut: true});
    const url = asked.at(-1)!;
    expect(url.pathname).toBe('/api/v1/namespaces/shop/pods/web-1/log');
    expect(Object.fromEntries(url.searchParams)).toEqual({container: 'istio-proxy', tailLines: '200',
      limitBytes: '4096', previous: 'true'});
  });

  it("fails with the server's reason", async () => {
    await expect(
      client.containerLog({namespace: 'shop', name: 'waiting'}, 'istio-proxy', {tailLines: 10, limitBytes: 4096}),
    ).rejects.toMatchObject({
      toolExitCode: 400,
      message: expect.stringContaining('HTTP 400: container "istio-proxy" in pod "waiting" is waiting to start'),
    });
  });
});
