// One HTTP GET to a port of a pod, through the API server's port-forward (openPodPort): how
// `debug` reads an Envoy sidecar's admin endpoint (`/config_dump`) without kubectl or istioctl.
import {request} from 'node:http';
import {ToolError} from '../../errors.js';
import type {KubeClient, NamespacedName} from './contract.js';

/** Admin answers are megabytes at most; anything far larger is not what was asked for. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function podHttpGet(client: KubeClient, pod: NamespacedName, port: number, path: string,
  timeoutMs = 30_000): Promise<string>
{
  const stream = await client.openPodPort(pod, port);
  const where = `${pod.namespace}/${pod.name}:${port}${path}`;
  return new Promise((resolve, reject) => {
    const fail = (message: string) =>
      reject(
        new ToolError('kube-apiserver', ['port-forward', where], undefined, '',
          `GET ${where} through the API server's port-forward failed: ${message}`),
      );
    const call = request({path, method: 'GET', headers: {host: 'localhost'}, createConnection: () => stream as never,
      timeout: timeoutMs}, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          call.destroy();
          fail(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
        } else chunks.push(chunk);
      });
      response.on('end', () => {
        stream.destroy();
        if (response.statusCode !== 200) fail(`HTTP ${response.statusCode ?? 'status unknown'}`);
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
      response.on('error', (error) => fail(error.message));
    });
    call.on('timeout', () => {
      call.destroy();
      fail(`no answer within ${timeoutMs / 1000}s`);
    });
    call.on('error', (error) => fail(error.message));
    call.end();
  });
}
