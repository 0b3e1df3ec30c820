// After onboarding changed something, the service's workloads are restarted so that their pods
// are re-created with the mesh's injection, then watched until the rollout is complete (what
// `kubectl rollout restart` and `kubectl rollout status` do). The time is passed in; when a
// rollout is complete is judged in core/apply/rollout-status.ts.
import type {KubeClient} from '../../adapters/kube/client.js';
import {rolloutStatus} from '../../core/apply/rollout-status.js';
import {displayName, type KubeObject, type ResourceRef} from '../../core/objects.js';
import {ToolError} from '../../errors.js';

export const RESTARTED_AT = 'sparc-mesh.io/restartedAt';
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'] as const;

export interface WorkloadStatus {
  ref: ResourceRef;
  ready: boolean;
  /** kubectl rollout status wording, e.g. `2 of 3 updated replicas are available`. */
  message: string;
}

const refOfWorkload = (workload: KubeObject): ResourceRef => ({apiVersion: 'apps/v1', kind: workload.kind,
  namespace: workload.metadata.namespace, name: workload.metadata.name ?? ''});

/** The Deployments and StatefulSets of a namespace (only those labelled `app=SERVICE` when a service is given): the workloads a restart picks. */
export async function findWorkloads(client: KubeClient, namespace: string, service?: string): Promise<ResourceRef[]> {
  const labelSelector = service === undefined ? undefined : `app=${service}`;
  const lists = await Promise.all(
    WORKLOAD_KINDS.map(async (kind) =>
      client.list(await client.resourceType('apps/v1', kind), {namespace, labelSelector})
    ),
  );
  return lists.flat().map(refOfWorkload);
}

/** Sets the restart annotation on the pod template of each workload, as `kubectl rollout restart` does. */
export async function restartWorkloads(client: KubeClient, workloads: readonly ResourceRef[],
  restartedAt: string): Promise<ResourceRef[]>
{
  const patch = {spec: {template: {metadata: {annotations: {[RESTARTED_AT]: restartedAt}}}}};
  await Promise.all(workloads.map((ref) => client.mergePatch(ref, patch)));
  return [...workloads];
}

export interface WaitOptions {
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  pollMs?: number;
  onStatus?: (status: WorkloadStatus) => void;
}

/** Polls the workloads until every rollout is complete; a ToolError naming those that are not when time runs out. */
export async function waitForRollouts(client: KubeClient, refs: readonly ResourceRef[],
  options: WaitOptions): Promise<WorkloadStatus[]>
{
  const deadline = options.now() + options.timeoutMs;
  const reported = new Map<string, string>();
  for (;;) {
    const statuses = await Promise.all(refs.map(async (ref) => {
      const live = await client.get(ref);
      const status = live ? rolloutStatus(live) : {ready: false, message: 'not found'};
      return {ref, ...status};
    }));
    for (const status of statuses) {
      if (reported.get(displayName(status.ref)) === status.message) continue;
      reported.set(displayName(status.ref), status.message);
      options.onStatus?.(status);
    }
    const waiting = statuses.filter((status) => !status.ready);
    if (waiting.length === 0) return statuses;
    if (options.now() >= deadline) {
      const list = waiting.map((status) => `${displayName(status.ref)}: ${status.message}`).join('; ');
      throw new ToolError('kube-apiserver', ['wait', ...waiting.map((status) => displayName(status.ref))], undefined,
        list, `not every workload rolled out within ${options.timeoutMs / 1000}s: ${list}`);
    }
    await options.sleep(options.pollMs ?? 1000);
  }
}
