// The Prometheus client against a loopback HTTP server that answers as Prometheus does, or
// in the ways a server fails: error answers, answers that are not JSON, too large, too slow.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parsePrometheusUrl, prometheusClient, PrometheusError} from '../../../src/adapters/prometheus/client.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
let handler: Handler;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handler(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const answer = (status: number, body: unknown): Handler => (_request, _body, response) => {
  response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body));
};

const client = (path = '', options = {}) => prometheusClient(parsePrometheusUrl(`${base}${path}`) as URL, options);

async function failure(promise: Promise<unknown>): Promise<PrometheusError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PrometheusError);
  return error as PrometheusError;
}

describe('Prometheus instant queries', () => {
  it('posts the query to /api/v1/query under the base path and reads the vector', async () => {
    let seen = {path: '', query: ''};
    handler = (request, body, response) => {
      seen = {path: request.url ?? '', query: new URLSearchParams(body).get('query') ?? ''};
      answer(200, {status: 'success', data: {resultType: 'vector', result: [
        {metric: {le: '10'}, value: [1, '99.5']},
        {metric: {}, value: [1, 'NaN']},
      ]}})(request, body, response);
    };
    expect(await client('/prom/').query('sum(up{job="a b"})')).toEqual([{metric: {le: '10'}, value: 99.5}, {metric: {},
      value: Number.NaN}]);
    expect(seen).toEqual({path: '/prom/api/v1/query', query: 'sum(up{job="a b"})'});
  });

  it("reads a scalar as one sample, and sends the URL's credentials as basic auth, never naming them", async () => {
    let authorization = '';
    handler = (request, body, response) => {
      authorization = request.headers.authorization ?? '';
      answer(200, {status: 'success', data: {resultType: 'scalar', result: [1, '1']}})(request, body, response);
    };
    const withCredentials = prometheusClient(parsePrometheusUrl(base.replace('//', '//ops:s3cret@')) as URL);
    expect(await withCredentials.query('vector(1)')).toEqual([{metric: {}, value: 1}]);
    expect(authorization).toBe(`Basic ${Buffer.from('ops:s3cret').toString('base64')}`);
    expect(withCredentials.url).toBe(base);
  });

  it("names the server and Prometheus's own error", async () => {
    handler = answer(400, {status: 'error', errorType: 'bad_data', error: 'parse error at char 4'});
    const error = await failure(client().query('sum('));
    expect(error.message).toBe(`Prometheus at ${base}: HTTP 400: bad_data: parse error at char 4`);
    expect(error.code).toBe('PrometheusQueryFailed');
  });

  it('refuses an answer that is not the API', async () => {
    handler = (_request, _body, response) => response.writeHead(200).end('<html>login</html>');
    expect((await failure(client().query('up'))).message).toContain('is not JSON');
    handler = answer(200, {status: 'success', data: {resultType: 'matrix', result: []}});
    expect((await failure(client().query('up[1m]'))).message).toContain('expected an instant vector or a scalar');
  });

  it('stops reading an answer larger than the bound', async () => {
    handler = answer(200, {status: 'success',
      data: {resultType: 'vector',
        result: Array.from({length: 2000}, (_, index) => ({metric: {pod: `p${index}`}, value: [1, '1']}))}});
    expect((await failure(client('', {maxResponseBytes: 10_000}).query('up'))).message)
      .toBe(`Prometheus at ${base}: the answer is larger than 10000 bytes`);
  });

  it('gives up on a server that does not answer in time', async () => {
    handler = () => undefined;
    expect((await failure(client('', {timeoutMs: 200}).query('up'))).message)
      .toBe(`Prometheus at ${base}: no answer within 0.2s`);
  });

  it('says when nothing listens', async () => {
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as {port: number}).port;
    await new Promise((resolve) => spare.close(resolve));
    const closed = prometheusClient(new URL(`http://127.0.0.1:${port}`));
    expect((await failure(closed.query('up'))).message)
      .toBe(`Prometheus at http://127.0.0.1:${port}: cannot connect (ECONNREFUSED)`);
  });

  it.each([['ftp://x', 'must be an http:// or https:// URL'], ['not a url', 'is not a URL'], ['http://x/?a=1',
    'without a query']])('refuses the base URL %s', (text, problem) => {
      expect(parsePrometheusUrl(text)).toContain(problem);
    });
});
