// `observability status` as data: whether a part's workloads are Ready, what Prometheus says of
// the mesh's scrape targets, and the table's rows.
import type {Mesh} from '../config/types.js';
import type {KubeObject} from '../objects.js';
import type {ObservabilityPart} from './charts.js';

/** The scrape jobs of the mesh's monitors (their relabelled `job`), as templates/observability/<mesh>.yaml names them. */
export const MESH_SCRAPE_JOBS: Readonly<Record<Mesh, readonly string[]>> = {
  istio: ['istio-proxies', 'istiod'],
  linkerd: ['linkerd-proxies', 'linkerd-control-plane'],
};

export interface PartStatus {
  part: ObservabilityPart;
  release: string;
  namespace: string;
  chart: string;
  /** Installed chart version and application version (from helm), absent when not installed. */
  version?: string;
  appVersion?: string;
  /** helm's status (`deployed`, `failed`, ...), or `not installed`. */
  status: string;
  /** Workloads of the release that are Ready, of how many. */
  ready: number;
  workloads: number;
}

export interface JobTargets {
  job: string;
  up: number;
  down: number;
}

export type Scraping = {reachable: true; jobs: JobTargets[]} | {reachable: false; reason: string};

/** A Deployment, StatefulSet or DaemonSet has all its desired pods Ready. */
export function workloadReady(workload: KubeObject): boolean {
  const status = (workload.status ?? {}) as Record<string, number | undefined>;
  if (workload.kind === 'DaemonSet') return (status.numberReady ?? 0) >= (status.desiredNumberScheduled ?? 0);
  const desired = (workload.spec as {replicas?: number} | undefined)?.replicas ?? 1;
  return (status.readyReplicas ?? 0) >= desired;
}

/** The workloads helm made for a release (it annotates each with the release's name and namespace). */
export function releaseWorkloads(workloads: readonly KubeObject[], release: string, namespace: string): KubeObject[] {
  return workloads.filter((workload) =>
    workload.metadata.annotations?.['meta.helm.sh/release-name'] === release
    && workload.metadata.annotations['meta.helm.sh/release-namespace'] === namespace
  );
}

interface ActiveTarget {
  labels?: Record<string, string>;
  health?: string;
}

/** Up and down targets of each mesh job, from Prometheus's /api/v1/targets answer. */
export function meshTargets(mesh: Mesh, answer: unknown): JobTargets[] {
  const active = ((answer as {data?: {activeTargets?: ActiveTarget[]}} | undefined)?.data?.activeTargets) ?? [];
  return MESH_SCRAPE_JOBS[mesh].map((job) => {
    const targets = active.filter((target) => target.labels?.job === job);
    const up = targets.filter((target) => target.health === 'up').length;
    return {job, up, down: targets.length - up};
  });
}

export const PART_COLUMNS = ['PART', 'RELEASE', 'NAMESPACE', 'CHART', 'APP VERSION', 'STATUS', 'READY'] as const;

export function partRows(parts: readonly PartStatus[]): string[][] {
  return parts.map((part) => [
    part.part,
    part.release,
    part.namespace,
    part.version ? `${part.chart}-${part.version}` : part.chart,
    part.appVersion ?? '-',
    part.status,
    `${part.ready}/${part.workloads}`,
  ]);
}

export function scrapingLines(scraping: Scraping): string {
  if (!scraping.reachable) return `Prometheus scraping the mesh: unknown (${scraping.reason})\n`;
  return scraping.jobs.map((job) =>
    `Prometheus job ${job.job}: ${job.up} up, ${job.down} down${job.up + job.down === 0 ? ' (no targets)' : ''}\n`
  ).join('');
}
