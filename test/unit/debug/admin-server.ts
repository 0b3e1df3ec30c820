// A stand-in for an Envoy sidecar's admin port: answers /config_dump?include_eds with a dump.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';

export async function serveConfigDump(dump: unknown): Promise<{port: number; close: () => Promise<void>}> {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/config_dump?include_eds' ? 200 : 404;
    response.end(JSON.stringify(dump));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve()))};
}
