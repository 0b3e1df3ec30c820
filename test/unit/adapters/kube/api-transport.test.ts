// The API transport against local TLS servers standing in for the API server: HTTP/2 over one
// connection when the server offers it, HTTP/1.1 when it does not, and the same answers either
// way (status, Retry-After, a read stopped at its limit, no answer within the time).
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import http2, {type Http2SecureServer} from 'node:http2';
import type {IncomingMessage} from 'node:http';
import https from 'node:https';
import type {AddressInfo, Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createSecureContext} from 'node:tls';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {apiTransport, UnreachableError, type ApiTransport} from '../../../../src/adapters/kube/api-transport.js';

interface Seen {
  httpVersion: string;
  path: string;
  method: string;
  body: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl as the test cluster's are. */
function certificate(): {key: Buffer; cert: Buffer} {
  const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-transport-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '1', '-subj', '/CN=local', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'),
    '-out', join(dir, 'cert.pem')], {stdio: 'ignore'});
  return {key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))};
}

/** What both servers' responses offer, as the handler uses it. */
interface AnswerWriter {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): unknown;
  end(chunk: string): unknown;
}

/** Answers like an API server: /slow never, /limited a megabyte of log, /busy a 429, anything else its request as JSON. */
function answer(seen: Seen[]) {
  return (request: http2.Http2ServerRequest | IncomingMessage, response: AnswerWriter) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry = {httpVersion: request.httpVersion, path: request.url ?? '', method: request.method ?? '', body};
      seen.push(entry);
      if (entry.path === '/slow') return;
      if (entry.path === '/busy') {
        response.writeHead(429, {'retry-after': '2', 'content-type': 'application/json'});
        response.end('{"kind":"Status","message":"too many requests"}');
        return;
      }
      if (entry.path === '/limited') {
        response.writeHead(200, {'content-type': 'text/plain'});
        response.write(`${'x'.repeat(1024 * 1024)}\n`);
        response.end('after\n');
        return;
      }
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(JSON.stringify(entry));
    });
  };
}

async function listening<T extends Server | Http2SecureServer>(server: T): Promise<{server: T; url: URL}> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, url: new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)};
}

const pem = certificate();
const serverTls = {secureContext: createSecureContext({ca: pem.cert}), rejectUnauthorized: true};
const request = (url: URL, path: string,
  extra: {method?: string; body?: string; readLimit?: number; timeoutMs?: number} = {}) => ({
    method: extra.method ?? 'GET',
    url: new URL(path, url),
    headers: {accept: 'application/json', 'X-Asked-By': 'test'},
    body: extra.body,
    readLimit: extra.readLimit,
    timeoutMs: extra.timeoutMs ?? 5000,
  });

describe.each([
  {protocol: 'HTTP/2', httpVersion: '2.0', serve: (seen: Seen[]) => http2.createSecureServer(pem, answer(seen))},
  {protocol: 'HTTP/1.1 only', httpVersion: '1.1', serve: (seen: Seen[]) => https.createServer(pem, answer(seen))},
])('a server speaking $protocol', ({httpVersion, serve}) => {
  const seen: Seen[] = [];
  let server: Server | Http2SecureServer;
  let url: URL;
  let connections = 0;
  let transport: ApiTransport;

  beforeAll(async () => {
    ({server, url} = await listening(serve(seen)));
    server.on('secureConnection', () => connections++);
    transport = apiTransport(url, serverTls);
  });
  afterAll(() => server.close());

  it('answers concurrent requests, with their methods and bodies, in the protocol the server chose', async () => {
    const answers = await Promise.all(
      Array.from({length: 12},
        (_, index) =>
          transport.send(request(url, `/item/${index}?q=1`, index === 0 ? {method: 'PATCH', body: '{"a":1}'} : {}))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(JSON.parse(answers[0]!.body.toString())).toEqual({httpVersion, path: '/item/0?q=1', method: 'PATCH',
      body: '{"a":1}'});
    expect(new Set(seen.map((entry) => entry.httpVersion))).toEqual(new Set([httpVersion]));
    // HTTP/2 multiplexes them on one connection; HTTP/1.1 needs a connection per concurrent request
    // (the first, which offered h2, is closed).
    if (httpVersion === '2.0') expect(connections).toBe(1);
    else expect(connections).toBeGreaterThan(2);
  });

  it('passes on a refusal with its Retry-After', async () => {
    const answer = await transport.send(request(url, '/busy'));
    expect(answer).toMatchObject({status: 429, retryAfterSeconds: 2, stopped: false});
    expect(JSON.parse(answer.body.toString())).toMatchObject({message: 'too many requests'});
  });

  it('stops reading a successful answer past its limit', async () => {
    const answer = await transport.send(request(url, '/limited', {readLimit: 4096}));
    expect(answer.stopped).toBe(true);
    expect(answer.body.length).toBeGreaterThan(4096);
    expect(answer.body.length).toBeLessThan(1024 * 1024);
  });

  it('gives up on an answer that does not come in time', async () => {
    await expect(transport.send(request(url, '/slow', {timeoutMs: 300}))).rejects.toThrow(
      new UnreachableError('no answer within 0.3s'),
    );
    // and the connection still serves the next request
    expect((await transport.send(request(url, '/after-timeout'))).status).toBe(200);
  });
});

describe('a server that cannot be reached', () => {
  it('is reported as unreachable, with the reason', async () => {
    const {server, url} = await listening(https.createServer(pem));
    server.close();
    await new Promise((resolve) => server.on('close', resolve));
    await expect(apiTransport(url, serverTls).send(request(url, '/api'))).rejects.toThrow(/ECONNREFUSED/);
  });

  it("whose certificate is not signed by the kubeconfig's CA is refused, and no request is sent", async () => {
    const seen: Seen[] = [];
    const {server, url} = await listening(http2.createSecureServer(pem, answer(seen)));
    const otherCa = {secureContext: createSecureContext({ca: certificate().cert}), rejectUnauthorized: true};
    await expect(apiTransport(url, otherCa).send(request(url, '/api'))).rejects.toBeInstanceOf(UnreachableError);
    expect(seen).toEqual([]);
    server.close();
  });
});
