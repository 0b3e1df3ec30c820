// `canary status` with Flagger: reads the Canaries of a namespace (or one) as Flagger left
// them, whether a newer revision of each target waits for Flagger to notice it, and, when a
// Prometheus that scrapes Flagger is given, the last value Flagger measured for each metric
// (its gauge flagger_canary_metric_analysis, the value it judged, not a new measurement).
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {servedType} from '../../adapters/kube/client.js';
import {prometheusClient, type PrometheusClient} from '../../adapters/prometheus/client.js';
import {allSettled, CANARY_API_VERSION, readFlaggerCanary, recordedValue, type FlaggerCanary,
  type TargetRevisions} from '../../core/canary/flagger-canary.js';
import type {KubeObject, ResourceRef} from '../../core/objects.js';
import {isRecord} from '../../core/record.js';
import {invalidFlag, PreconditionError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {pollUntil, type PollOptions} from './flagger-wait.js';

export interface FlaggerStatusInput {
  connection: KubeConnection;
  namespace: string;
  /** One Canary; every Canary of the namespace when absent. */
  name?: string;
  /** A Prometheus that scrapes Flagger; without it, metrics have no last value. */
  prometheusUrl?: URL;
}

export interface FlaggerStatusResult {
  namespace: string;
  canaries: FlaggerCanary[];
  /** What could not be read (Prometheus unreachable), said once per run. */
  warnings: string[];
}

/** The last values Flagger recorded, by Canary target and metric name. */
export type RecordedMetrics = (namespace: string) => Promise<Map<string, number>>;

export const recordedKey = (target: string, metric: string) => `${target}\u0000${metric}`;

export function canaryRef(namespace: string, name: string): ResourceRef {
  return {apiVersion: CANARY_API_VERSION, kind: 'Canary', namespace, name};
}

async function canaryType(client: KubeClient) {
  const type = await servedType(client, CANARY_API_VERSION, 'Canary');
  if (!type) {
    throw new PreconditionError("the cluster does not serve Flagger's Canary (flagger.app/v1beta1)",
      'install Flagger (its CRDs come with it), or use `sparc-mesh canary run`, which needs no controller');
  }
  return type;
}

/** The revisions of a Canary's target Deployment: when its newest ReplicaSet was made, and whether a change is unprocessed. */
async function targetRevisions(client: KubeClient, namespace: string, canary: KubeObject,
  now: () => number): Promise<TargetRevisions>
{
  const targetRef = isRecord(canary.spec) && isRecord(canary.spec.targetRef) ? canary.spec.targetRef : {};
  if (targetRef.kind !== 'Deployment' || typeof targetRef.name !== 'string') return {};
  const deployment = await client.get({apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: targetRef.name});
  const selector = (deployment?.spec as {selector?: {matchLabels?: Record<string, string>}} | undefined)?.selector
    ?.matchLabels;
  if (!deployment || !selector) return {};
  const replicaSets = await client.list(await client.resourceType('apps/v1', 'ReplicaSet'), {namespace,
    labelSelector: Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',')});
  const owned = replicaSets.filter((replicaSet) =>
    ((replicaSet.metadata.ownerReferences ?? []) as {uid?: string}[]).some((owner) =>
      owner.uid === deployment.metadata.uid
    )
  );
  const newestAt = owned.map((replicaSet) => String(replicaSet.metadata.creationTimestamp ?? '')).sort().at(-1);
  const observed = (deployment.status as {observedGeneration?: number} | undefined)?.observedGeneration;
  const generation = deployment.metadata.generation;
  return {
    ...(newestAt ? {newestAt} : {}),
    unobservedChange: typeof generation === 'number' && typeof observed === 'number' && generation > observed,
    readAt: now(),
  };
}

/** A Canary in a phase where the request cannot act: nothing changed, and where to look. */
export function notNow(namespace: string, name: string, reason: string): PreconditionError {
  return new PreconditionError(`Canary ${namespace}/${name} ${reason}`,
    `sparc-mesh canary status -s ${name} -n ${namespace} shows where it stands`);
}

async function getCanary(client: KubeClient, namespace: string, name: string): Promise<KubeObject> {
  const object = await client.get(canaryRef(namespace, name));
  if (!object) {
    throw invalidFlag('service', name, `has no Canary in namespace ${namespace}`,
      `sparc-mesh canary status -n ${namespace} lists the Canaries there`);
  }
  return object;
}

/** One Canary as Flagger left it, without metric values: what promote and abort decide on. */
export async function readCanary(client: KubeClient, namespace: string, name: string,
  now: () => number): Promise<FlaggerCanary>
{
  await canaryType(client);
  const object = await getCanary(client, namespace, name);
  return readFlaggerCanary(object, await targetRevisions(client, namespace, object, now));
}

async function withRecordedValues(canaries: FlaggerCanary[], namespace: string, recorded: RecordedMetrics,
  warnings: string[]): Promise<void>
{
  let values: Map<string, number>;
  try {
    values = await recorded(namespace);
  } catch (error) {
    warnings.push(`metric values unknown: ${(error as Error).message}`);
    return;
  }
  for (const canary of canaries) {
    for (const metric of canary.metrics) {
      const value = values.get(recordedKey(canary.target, metric.name));
      if (value !== undefined) metric.lastValue = recordedValue(metric, value);
    }
  }
}

/**
 * The last value Flagger recorded for each metric of each Canary of a namespace, from its
 * documented gauge `flagger_canary_metric_analysis{name=TARGET, namespace, metric}`.
 */
export function recordedMetrics(prometheus: Pick<PrometheusClient, 'query'>): RecordedMetrics {
  return async (namespace) => {
    const samples = await prometheus.query(`flagger_canary_metric_analysis{namespace=${JSON.stringify(namespace)}}`);
    return new Map(
      samples.map((sample) => [recordedKey(sample.metric.name ?? '', sample.metric.metric ?? ''), sample.value]),
    );
  };
}

async function readStatus(client: KubeClient, input: FlaggerStatusInput,
  now: () => number): Promise<FlaggerStatusResult>
{
  const recorded = input.prometheusUrl && recordedMetrics(prometheusClient(input.prometheusUrl));
  const type = await canaryType(client);
  const objects = input.name === undefined
    ? await client.list(type, {namespace: input.namespace})
    : [await getCanary(client, input.namespace, input.name)];
  const canaries = await Promise.all(
    objects.map(async (object) =>
      readFlaggerCanary(object, await targetRevisions(client, input.namespace, object, now))
    ),
  );
  // Code-unit order: names are DNS labels, and localeCompare would build ICU's collator.
  canaries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const warnings: string[] = [];
  if (recorded && canaries.length) await withRecordedValues(canaries, input.namespace, recorded, warnings);
  return {namespace: input.namespace, canaries, warnings};
}

export async function flaggerStatus(input: FlaggerStatusInput,
  deps: Pick<ActionDeps, 'connect' | 'now'>): Promise<FlaggerStatusResult>
{
  return readStatus(await deps.connect(input.connection), input, deps.now);
}

/**
 * Reads the status again and again, handing each reading to `onReading`, until Flagger is done
 * with every Canary read (promoted, rolled back, or resting with no new revision); the last reading.
 */
export async function watchFlaggerStatus(input: FlaggerStatusInput & PollOptions,
  deps: Pick<ActionDeps, 'connect' | 'now' | 'sleep'>,
  onReading: (result: FlaggerStatusResult) => void): Promise<FlaggerStatusResult>
{
  const client = await deps.connect(input.connection);
  return pollUntil({
    read: () => readStatus(client, input, deps.now),
    each: onReading,
    done: (result) => allSettled(result.canaries),
    describe: (result) =>
      `still rolling out: ${
        result.canaries.filter((canary) => !allSettled([canary])).map((canary) =>
          `${canary.name} (${canary.phase || 'not set up by Flagger'})`
        ).join(', ')
      }`,
  }, input, deps);
}
