// When the rollout of a Deployment or StatefulSet is complete, judged on the object alone, in
// the words of `kubectl rollout status`.
import type {KubeObject} from '../objects.js';

const num = (value: unknown) => (typeof value === 'number' ? value : 0);

/** Is the rollout of a Deployment or StatefulSet complete? */
export function rolloutStatus(workload: KubeObject): {ready: boolean; message: string} {
  const spec = (workload.spec ?? {}) as Record<string, unknown>;
  const status = (workload.status ?? {}) as Record<string, unknown>;
  const wanted = spec.replicas === undefined ? 1 : num(spec.replicas);
  if (num(workload.metadata.generation) > num(status.observedGeneration)) {
    return {ready: false, message: 'waiting for the controller to observe the new spec'};
  }
  if (workload.kind === 'Deployment') {
    const conditions = (status.conditions ?? []) as {type?: string; reason?: string}[];
    if (conditions.some((condition) =>
      condition.type === 'Progressing' && condition.reason === 'ProgressDeadlineExceeded'
    )) {
      return {ready: false, message: 'exceeded its progress deadline'};
    }
    const updated = num(status.updatedReplicas);
    if (updated < wanted) return {ready: false, message: `${updated} of ${wanted} new replicas have been updated`};
    if (num(status.replicas) > updated) {
      return {ready: false, message: `${num(status.replicas) - updated} old replicas are pending termination`};
    }
    if (num(status.availableReplicas) < updated) {
      return {ready: false, message: `${num(status.availableReplicas)} of ${updated} updated replicas are available`};
    }
    return {ready: true, message: 'successfully rolled out'};
  }
  const ready = num(status.readyReplicas);
  if (ready < wanted) return {ready: false, message: `${ready} of ${wanted} pods are ready`};
  if (status.updateRevision !== status.currentRevision) {
    return {ready: false, message: `${num(status.updatedReplicas)} of ${wanted} pods are at the new revision`};
  }
  return {ready: true, message: 'successfully rolled out'};
}
