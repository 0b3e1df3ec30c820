// `observability status`: each part of the stack (its helm release, chart and app version, its
// workloads Ready), and whether Prometheus scrapes the mesh, asked of a ready Prometheus pod
// through the API server's port-forward (pods/portforward), as `observability dashboard
// prometheus` reaches it: the API server needs no route to the pod network (a private
// cluster's has none), and the user needs only the dashboard's permissions.
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {podHttpGet} from '../../adapters/kube/pod-http.js';
import {serviceBackendOf} from '../../adapters/kube/port-forward.js';
import {DEFAULT_QUERY_TIMEOUT_MS} from '../../adapters/prometheus/client.js';
import {helmListAll} from '../../adapters/tools/helm.js';
import type {Mesh} from '../../core/config/types.js';
import {consoles, OBSERVABILITY_CHARTS, partsFor, releaseNamespace} from '../../core/observability/charts.js';
import {meshTargets, releaseWorkloads, workloadReady, type PartStatus,
  type Scraping} from '../../core/observability/status.js';
import type {KubeObject} from '../../core/objects.js';
import {loadPlatform} from '../config-input.js';
import type {ActionDeps} from '../deps.js';

export interface StatusInput {
  connection: KubeConnection;
  mesh?: Mesh;
  config?: string;
  helm: string;
}

export interface StatusResult {
  mesh: Mesh;
  namespace: string;
  parts: PartStatus[];
  scraping: Scraping;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

async function workloadsIn(client: KubeClient, namespace: string): Promise<KubeObject[]> {
  const lists = await Promise.all(
    WORKLOAD_KINDS.map(async (kind) => client.list(await client.resourceType('apps/v1', kind), {namespace})),
  );
  return lists.flat();
}

async function scraping(client: KubeClient, mesh: Mesh, namespace: string): Promise<Scraping> {
  const prometheus = consoles({namespace}).prometheus;
  try {
    const backend = await serviceBackendOf(client, {namespace: prometheus.namespace, name: prometheus.service},
      prometheus.port);
    const answer = await podHttpGet(client, backend.pod, backend.podPort, '/api/v1/targets?state=active',
      DEFAULT_QUERY_TIMEOUT_MS);
    return {reachable: true, jobs: meshTargets(mesh, JSON.parse(answer))};
  } catch (error) {
    return {reachable: false, reason: `Prometheus did not answer: ${(error as Error).message.split('\n')[0]}`};
  }
}

export async function observabilityStatus(input: StatusInput,
  deps: Pick<ActionDeps, 'connect'>): Promise<StatusResult>
{
  const {platform} = await loadPlatform(input.config);
  const mesh = input.mesh ?? platform.mesh;
  const {observability} = platform;
  const client = await deps.connect(input.connection);
  const parts = partsFor(mesh, observability);
  const namespaces = [...new Set(parts.map((part) => releaseNamespace(part, observability)))];
  const [listed, workloads] = await Promise.all([
    helmListAll({binary: input.helm, connection: input.connection}),
    Promise.all(namespaces.map((namespace) => workloadsIn(client, namespace))).then((lists) => lists.flat()),
  ]);
  const statuses = parts.map((part): PartStatus => {
    const pin = OBSERVABILITY_CHARTS[part];
    const namespace = releaseNamespace(part, observability);
    const release = listed.find((entry) => entry.name === pin.release && entry.namespace === namespace);
    const own = releaseWorkloads(workloads, pin.release, namespace);
    return {
      part,
      release: pin.release,
      namespace,
      chart: pin.chart,
      ...(release && {version: release.chart.slice(pin.chart.length + 1), appVersion: release.app_version}),
      status: release?.status ?? 'not installed',
      ready: own.filter(workloadReady).length,
      workloads: own.length,
    };
  });
  return {mesh, namespace: observability.namespace, parts: statuses,
    scraping: await scraping(client, mesh, observability.namespace)};
}
