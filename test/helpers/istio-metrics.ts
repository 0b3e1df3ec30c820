// A loopback HTTP server that serves the metrics an Istio sidecar reports, with the labels
// Istio gives them (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`,
// reporter="destination"), for workloads whose traffic the test sets. A real Prometheus
// scrapes it, so canary analysis and alert rules see series shaped exactly like a mesh's.
//
// Counters advance with wall-clock time at each workload's rate, so `rate(...[30s])` reads the
// rate the test set; changing a workload's traffic takes effect from the next scrape.
import {createServer, type Server} from 'node:http';

export interface WorkloadTraffic {
  /** Requests per second the workload receives. */
  requestsPerSecond: number;
  /** Share of those requests answered 5xx, 0..1. */
  errorRatio: number;
  /** Latency of every request, in milliseconds. */
  latencyMs: number;
}

export interface IstioMetricsExporter {
  /** `127.0.0.1:PORT`, as a Prometheus scrape target. */
  target: string;
  /** Sets (or replaces) the traffic of `workload` in `namespace`. */
  setTraffic(namespace: string, workload: string, traffic: WorkloadTraffic): void;
  stop(): Promise<void>;
}

/** Istio's default buckets for request duration in milliseconds. */
const durationBuckets = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000];

interface WorkloadSeries {
  traffic: WorkloadTraffic;
  advancedAt: number;
  succeeded: number;
  failed: number;
  durationSum: number;
}

function advance(series: WorkloadSeries, now: number): void {
  const requests = series.traffic.requestsPerSecond * ((now - series.advancedAt) / 1000);
  series.failed += requests * series.traffic.errorRatio;
  series.succeeded += requests * (1 - series.traffic.errorRatio);
  series.durationSum += requests * series.traffic.latencyMs;
  series.advancedAt = now;
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([name, value]) => `${name}="${value}"`).join(',');
}

function exposition(workloads: Map<string, WorkloadSeries>): string {
  const lines = [
    '# TYPE istio_requests_total counter',
    '# TYPE istio_request_duration_milliseconds histogram',
  ];
  for (const [key, series] of workloads) {
    const [namespace, workload] = key.split('/') as [string, string];
    const labels = {
      reporter: 'destination',
      destination_workload: workload,
      destination_workload_namespace: namespace,
      destination_service: `${workload}.${namespace}.svc.cluster.local`,
      destination_service_name: workload,
      destination_service_namespace: namespace,
      source_workload: 'loadtester',
      source_workload_namespace: namespace,
      connection_security_policy: 'mutual_tls',
      request_protocol: 'http',
    };
    const total = series.succeeded + series.failed;
    lines.push(`istio_requests_total{${labelText({...labels, response_code: '200'})}} ${series.succeeded}`);
    lines.push(`istio_requests_total{${labelText({...labels, response_code: '500'})}} ${series.failed}`);
    for (const bound of durationBuckets) {
      const count = series.traffic.latencyMs <= bound ? total : 0;
      lines.push(`istio_request_duration_milliseconds_bucket{${labelText({...labels, le: String(bound)})}} ${count}`);
    }
    lines.push(`istio_request_duration_milliseconds_bucket{${labelText({...labels, le: '+Inf'})}} ${total}`);
    lines.push(`istio_request_duration_milliseconds_sum{${labelText(labels)}} ${series.durationSum}`);
    lines.push(`istio_request_duration_milliseconds_count{${labelText(labels)}} ${total}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function startIstioMetricsExporter(): Promise<IstioMetricsExporter> {
  const workloads = new Map<string, WorkloadSeries>();
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    const now = Date.now();
    for (const series of workloads.values()) advance(series, now);
    response.writeHead(200, {'content-type': 'text/plain; version=0.0.4'}).end(exposition(workloads));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('exporter has no address');

  return {
    target: `127.0.0.1:${address.port}`,
    setTraffic(namespace, workload, traffic) {
      const key = `${namespace}/${workload}`;
      const now = Date.now();
      const series = workloads.get(key);
      if (series) {
        advance(series, now);
        series.traffic = traffic;
      } else {
        workloads.set(key, {traffic, advancedAt: now, succeeded: 0, failed: 0, durationSum: 0});
      }
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
