// Linkerd's workloads: the control plane's, and the meshed ones (injected by annotation on
// themselves or their namespace), and restarting them so that new pods pick up what changed
// (new trust roots, a new issuer, a new control plane's proxy) as `kubectl rollout restart` does.
import type {KubeClient} from '../../adapters/kube/client.js';
import {displayName, type KubeObject, type ResourceRef} from '../../core/objects.js';
import {restartWorkloads, waitForRollouts} from '../apply/rollout.js';
import type {ActionDeps} from '../deps.js';

const INJECT = 'linkerd.io/inject';

const annotations = (object: KubeObject | undefined) => object?.metadata.annotations ?? {};
const templateOf = (workload: KubeObject) => (workload as {spec?: {template?: KubeObject}}).spec?.template;

/** The control plane's workloads, then every workload injected by annotation on itself or its namespace (and not opted out). */
export async function meshedWorkloads(client: KubeClient,
  controlPlane: string): Promise<{controlPlane: ResourceRef[]; data: ResourceRef[]}>
{
  const [namespaces, ...workloads] = await Promise.all([
    client.list(await client.resourceType('v1', 'Namespace'), {}),
    client.list(await client.resourceType('apps/v1', 'Deployment'), {}),
    client.list(await client.resourceType('apps/v1', 'StatefulSet'), {}),
  ]);
  const injected = new Set(
    namespaces.filter((namespace) => annotations(namespace)[INJECT] === 'enabled').map((namespace) =>
      namespace.metadata.name
    ),
  );
  const refOf = (workload: KubeObject): ResourceRef => ({apiVersion: 'apps/v1', kind: workload.kind,
    namespace: workload.metadata.namespace, name: workload.metadata.name ?? ''});
  const all = workloads.flat();
  const meshed = all.filter((workload) => {
    const inject = annotations(templateOf(workload))[INJECT];
    return workload.metadata.namespace !== controlPlane && inject !== 'disabled'
      && (inject === 'enabled' || injected.has(workload.metadata.namespace));
  });
  return {controlPlane: all.filter((workload) => workload.metadata.namespace === controlPlane).map(refOf),
    data: meshed.map(refOf)};
}

/** Restarts the workloads and waits until every rollout is complete, saying each status. */
export async function restartAndWait(client: KubeClient, refs: readonly ResourceRef[],
  options: {restartedAt: string; timeoutMs: number},
  deps: Pick<ActionDeps, 'now' | 'sleep' | 'progress'>): Promise<void>
{
  if (!refs.length) return;
  await restartWorkloads(client, refs, options.restartedAt);
  await waitForRollouts(client, refs, {timeoutMs: options.timeoutMs, now: deps.now, sleep: deps.sleep,
    onStatus: (status) => deps.progress(`  ${displayName(status.ref)}: ${status.message}`)});
}
