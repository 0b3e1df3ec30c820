// Carries requests to the API server. Over TLS the first connection offers HTTP/2 (ALPN), as
// kubectl's Go client does, and when the server takes it every request of the run shares that
// one connection: a short command makes a few dozen requests at once, and over HTTP/1.1 each
// concurrent one costs a TLS handshake of its own (a sizeable share of an onboard's CPU, on
// both sides). A server that answers only HTTP/1.1 gets keep-alive connections, as do plain
// http: servers. Port-forwarding and other upgraded connections do not come through here.
import http from 'node:http';
import http2, {type ClientHttp2Session} from 'node:http2';
import https from 'node:https';
import {isIP} from 'node:net';
import tls, {type SecureContext} from 'node:tls';

export interface ApiRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Stop reading a successful answer once more than this many bytes arrived. */
  readLimit?: number;
  timeoutMs: number;
}

export interface ApiAnswer {
  status: number;
  /** The Retry-After header, in seconds, when the server sent one. */
  retryAfterSeconds?: number;
  /** What was read: all of the answer, or (stopped) the first bytes past readLimit. */
  body: Buffer;
  stopped: boolean;
}

/** A request that never got an HTTP answer (refused, reset, timed out): the server is unreachable. */
export class UnreachableError extends Error {}

const noAnswerWithin = (timeoutMs: number) => `no answer within ${timeoutMs / 1000}s`;

export interface ApiTransport {
  send(request: ApiRequest): Promise<ApiAnswer>;
}

export interface ServerTls {
  secureContext: SecureContext;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** HTTP/1.1 keep-alive connections to one server; the agent opens at most this many at once. */
const HTTP1_SOCKETS = 8;
/** Requests in flight on the one HTTP/2 connection; more wait their turn (the server allows hundreds). */
const HTTP2_STREAMS = 32;
/** Flow-control windows as Go's HTTP/2 client sets them: a page of a large list arrives without stalls. */
const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
const CONNECTION_WINDOW_BYTES = 64 * 1024 * 1024;

function retryAfter(value: string | string[] | undefined): number | undefined {
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** Collects an answer's bytes, stopping once past the request's read limit on a successful answer. */
class AnswerReader {
  private readonly chunks: Buffer[] = [];
  private received = 0;
  status = 0;
  retryAfterSeconds: number | undefined;

  constructor(private readonly readLimit: number | undefined) {}

  /** Adds a chunk; true when reading should stop here. */
  add(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.received += chunk.length;
    return this.readLimit !== undefined && this.status >= 200 && this.status <= 299 && this.received > this.readLimit;
  }

  answer(stopped: boolean): ApiAnswer {
    return {status: this.status, body: Buffer.concat(this.chunks), stopped,
      ...(this.retryAfterSeconds === undefined ? {} : {retryAfterSeconds: this.retryAfterSeconds})};
  }
}

function http1Transport(agent: http.Agent): ApiTransport {
  return {
    send: (request) =>
      new Promise<ApiAnswer>((resolve, reject) => {
        const transport = request.url.protocol === 'http:' ? http : https;
        const reader = new AnswerReader(request.readLimit);
        const outgoing = transport.request(request.url, {method: request.method, agent, headers: request.headers},
          (response) => {
            reader.status = response.statusCode ?? 0;
            reader.retryAfterSeconds = retryAfter(response.headers['retry-after']);
            response.on('data', (chunk: Buffer) => {
              if (reader.add(chunk)) {
                response.destroy();
                resolve(reader.answer(true));
              }
            });
            response.on('error', (error) => reject(new UnreachableError(error.message)));
            response.on('end', () => resolve(reader.answer(false)));
          });
        outgoing.setTimeout(request.timeoutMs, () => outgoing.destroy(new Error(noAnswerWithin(request.timeoutMs))));
        outgoing.on('error', (error) => reject(new UnreachableError(error.message)));
        outgoing.end(request.body);
      }),
  };
}

/** Runs at most `limit` jobs at once, the rest in the order they came. */
class Turns {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Requests as streams of one HTTP/2 connection, opened again when the server closed it (an idle
 * timeout, a GOAWAY). The connection keeps the process alive only while a request is in flight.
 */
class Http2Transport implements ApiTransport {
  private session: ClientHttp2Session | undefined;
  private inFlight = 0;
  private readonly turns = new Turns(HTTP2_STREAMS);

  constructor(private readonly origin: URL, private readonly connect: () => tls.TLSSocket, first: tls.TLSSocket) {
    this.session = this.open(first);
  }

  send(request: ApiRequest): Promise<ApiAnswer> {
    return this.turns.run(() => this.exchange(request));
  }

  private open(socket: tls.TLSSocket): ClientHttp2Session {
    const session = http2.connect(this.origin, {createConnection: () => socket,
      settings: {initialWindowSize: STREAM_WINDOW_BYTES}, maxSessionMemory: 128});
    session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    // A connection's error reaches each of its streams, which report it; here it only ends the connection's use.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    session.unref();
    return session;
  }

  private current(): ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) this.session = this.open(this.connect());
    return this.session;
  }

  private exchange(request: ApiRequest): Promise<ApiAnswer> {
    const session = this.current();
    if (this.inFlight++ === 0) session.ref();
    return new Promise<ApiAnswer>((resolve, reject) => {
      const reader = new AnswerReader(request.readLimit);
      const headers: http2.OutgoingHttpHeaders = {':method': request.method,
        ':path': `${request.url.pathname}${request.url.search}`};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const stream = session.request(headers, {endStream: request.body === undefined});
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        if (--this.inFlight === 0 && !session.destroyed) session.unref();
        outcome();
      };
      stream.setTimeout(request.timeoutMs, () => {
        settle(() => reject(new UnreachableError(noAnswerWithin(request.timeoutMs))));
        stream.close(http2.constants.NGHTTP2_CANCEL);
      });
      stream.on('response', (answer) => {
        reader.status = Number(answer[':status']);
        reader.retryAfterSeconds = retryAfter(answer['retry-after']);
      });
      stream.on('data', (chunk: Buffer) => {
        if (!reader.add(chunk)) return;
        settle(() => resolve(reader.answer(true)));
        stream.close(http2.constants.NGHTTP2_CANCEL);
      });
      stream.on('end', () => settle(() => resolve(reader.answer(false))));
      stream.on('error', (error) => settle(() => reject(new UnreachableError(error.message))));
      stream.on('close',
        () =>
          settle(() => reject(new UnreachableError(`the server closed the stream (HTTP/2 code ${stream.rstCode})`))));
      if (request.body !== undefined) stream.end(request.body);
    });
  }
}

/**
 * Picks the protocol on the first request: one TLS connection offering h2 and http/1.1, kept
 * for HTTP/2 when the server chose it. A failed first connection is tried again by the next
 * request (a retry), not remembered.
 */
class NegotiatingTransport implements ApiTransport {
  private chosen: Promise<ApiTransport> | undefined;

  constructor(private readonly server: URL, private readonly serverTls: ServerTls) {}

  send(request: ApiRequest): Promise<ApiAnswer> {
    this.chosen ??= this.negotiate(request.timeoutMs).catch((error: unknown) => {
      this.chosen = undefined;
      throw error;
    });
    return this.chosen.then((transport) => transport.send(request));
  }

  private connect(protocols: string[]): tls.TLSSocket {
    const host = this.server.hostname.replace(/^\[|\]$/g, '');
    const servername = this.serverTls.servername ?? (isIP(host) ? undefined : host);
    return tls.connect({host, port: Number(this.server.port || 443), ALPNProtocols: protocols,
      secureContext: this.serverTls.secureContext, rejectUnauthorized: this.serverTls.rejectUnauthorized,
      ...(servername ? {servername} : {})});
  }

  private negotiate(timeoutMs: number): Promise<ApiTransport> {
    return new Promise((resolve, reject) => {
      const socket = this.connect(['h2', 'http/1.1']);
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(noAnswerWithin(timeoutMs))));
      socket.once('secureConnect', () => {
        socket.setTimeout(0);
        socket.removeListener('error', fail);
        if (socket.alpnProtocol === 'h2') {
          resolve(new Http2Transport(this.server, () => this.connect(['h2']), socket));
          return;
        }
        socket.destroy();
        resolve(http1Transport(new https.Agent({keepAlive: true, maxSockets: HTTP1_SOCKETS, ...this.serverTls})));
      });
      const fail = (error: Error) => reject(new UnreachableError(error.message));
      socket.once('error', fail);
    });
  }
}

export function apiTransport(server: URL, serverTls: ServerTls): ApiTransport {
  if (server.protocol === 'http:') return http1Transport(new http.Agent({keepAlive: true, maxSockets: HTTP1_SOCKETS}));
  return new NegotiatingTransport(server, serverTls);
}
