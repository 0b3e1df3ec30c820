// A small client of Prometheus's HTTP API: instant queries only, each bounded in time and in
// the size of the answer it reads, and every failure a PrometheusError naming the server
// (without any user:password it carries) and what went wrong. sparc-mesh does not find
// Prometheus by itself: the caller passes a URL it can reach (a port-forward, an ingress, or
// the in-cluster address when sparc-mesh runs inside the cluster).
import {ToolError} from '../../errors.js';

export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
/** An instant query of a canary check returns one number; a megabyte is far beyond any honest answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export class PrometheusError extends ToolError {
  override readonly code = 'PrometheusQueryFailed';
  override readonly hint = 'check --prometheus-url (the server must answer /api/v1/query from here) and the query';
  constructor(url: string, expression: string, problem: string) {
    super('prometheus', ['GET', url, expression], undefined, problem, `Prometheus at ${url}: ${problem}`);
    this.name = 'PrometheusError';
  }
}

/** One series of an instant vector. */
export interface Sample {
  metric: Record<string, string>;
  /** The value as Prometheus writes it, parsed; NaN and ±Inf as JavaScript has them. */
  value: number;
}

export interface PrometheusClient {
  /** The server, as errors name it: no credentials, no query. */
  readonly url: string;
  /** An instant query; a scalar result comes back as one sample without labels. */
  query(expression: string): Promise<Sample[]>;
}

export interface PrometheusOptions {
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** The fetch to use; tests pass one that fails. */
  fetch?: typeof globalThis.fetch;
}

/** The URL without credentials, for messages. */
function shownUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return shown.href.replace(/\/$/, '');
}

/** The base URL checked: http or https, nothing else. */
export function parsePrometheusUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.search || url.hash) return "must be the server's base URL, without a query or fragment";
  return url;
}

async function readBounded(response: Response, maxBytes: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseValue(pair: unknown): number | undefined {
  if (!Array.isArray(pair) || typeof pair[1] !== 'string') return undefined;
  const value = Number(pair[1]);
  return Number.isNaN(value) && pair[1] !== 'NaN' ? undefined : value;
}

/** The samples of a successful answer's `data`; a string saying what is wrong with it otherwise. */
function samplesOf(data: unknown): Sample[] | string {
  const {resultType, result} = (data ?? {}) as {resultType?: unknown; result?: unknown};
  if (resultType === 'scalar') {
    const value = parseValue(result);
    return value === undefined ? 'the scalar result has no number' : [{metric: {}, value}];
  }
  if (resultType !== 'vector' || !Array.isArray(result)) {
    return `expected an instant vector or a scalar, got ${JSON.stringify(resultType)}`;
  }
  const samples: Sample[] = [];
  for (const entry of result as {metric?: Record<string, string>; value?: unknown}[]) {
    const value = parseValue(entry.value);
    if (value === undefined) return 'a sample of the result has no number';
    samples.push({metric: entry.metric ?? {}, value});
  }
  return samples;
}

/** fetch's reason for a failed connection: the system's code (ECONNREFUSED) or its cause's message. */
function connectProblem(error: unknown): string {
  const cause = (error as {cause?: {code?: string; message?: string}}).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export function prometheusClient(base: URL, options: PrometheusOptions = {}): PrometheusClient {
  const url = shownUrl(base);
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const doFetch = options.fetch ?? globalThis.fetch;
  const endpoint = new URL(`${base.pathname.replace(/\/$/, '')}/api/v1/query`, base);
  const headers: Record<string, string> = {accept: 'application/json'};
  if (base.username) {
    const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  endpoint.username = '';
  endpoint.password = '';

  return {
    url,
    async query(expression) {
      const fail = (problem: string) => new PrometheusError(url, expression, problem);
      let response: Response;
      try {
        response = await doFetch(endpoint, {method: 'POST',
          headers: {...headers, 'content-type': 'application/x-www-form-urlencoded'},
          body: new URLSearchParams({query: expression}), signal: AbortSignal.timeout(timeoutMs)});
      } catch (error) {
        const name = (error as Error).name;
        throw fail(name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${timeoutMs / 1000}s`
          : `cannot connect (${connectProblem(error)})`);
      }
      let text: string | undefined;
      try {
        text = await readBounded(response, maxBytes);
      } catch (error) {
        throw fail(`the answer broke off (${(error as Error).message})`);
      }
      if (text === undefined) throw fail(`the answer is larger than ${maxBytes} bytes`);
      let body: {status?: unknown; error?: unknown; errorType?: unknown; data?: unknown};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw fail(`HTTP ${response.status}: the answer is not JSON (is this Prometheus's API?)`);
      }
      if (body.status !== 'success') {
        throw fail(
          `HTTP ${response.status}: ${String(body.errorType ?? 'error')}: ${String(body.error ?? 'no message')}`,
        );
      }
      const samples = samplesOf(body.data);
      if (typeof samples === 'string') throw fail(samples);
      return samples;
    },
  };
}
