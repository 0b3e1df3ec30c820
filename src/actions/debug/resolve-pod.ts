// A debug target (`POD`, `deploy/NAME`, `svc/NAME`) turned into one live pod: a pod by
// name, or the first ready pod (by name) among those a Deployment's or Service's selector
// picks, listed with that selector only.
import {PreconditionError, UsageError} from '../../errors.js';
import type {KubeClient, ResourceType} from '../../adapters/kube/client.js';
import {asStringMap, at} from '../../core/analyze/istio/query/fields.js';
import type {KubeObject} from '../../core/objects.js';
import {parseWorkloadTarget, type WorkloadTarget} from '../../core/debug/target.js';

export const POD_TYPE: ResourceType = {group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true};

/** The target as parsed; a malformed one is a usage error naming the argument or flag it came from. */
export function workloadTarget(text: string, named: string): WorkloadTarget {
  const parsed = parseWorkloadTarget(text);
  if (typeof parsed === 'string') {
    throw new UsageError(`${named} ${JSON.stringify(text)} ${parsed}`,
      'e.g. checkout-7d9f6c-x2x, deploy/checkout or svc/checkout', 'InvalidArgument');
  }
  return parsed;
}

function isReady(pod: KubeObject): boolean {
  const conditions = at(pod, 'status', 'conditions');
  return Array.isArray(conditions)
    && conditions.some((condition) => at(condition, 'type') === 'Ready' && at(condition, 'status') === 'True');
}

const SELECTOR_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'selector', 'matchLabels'],
  Service: ['spec', 'selector'],
};

export async function resolvePod(client: KubeClient, namespace: string, target: WorkloadTarget): Promise<KubeObject> {
  const apiVersion = target.kind === 'Deployment' ? 'apps/v1' : 'v1';
  const found = await client.get({apiVersion, kind: target.kind, namespace, name: target.name});
  const what = `${target.kind} ${namespace}/${target.name}`;
  if (!found) {
    throw new PreconditionError(`${what} does not exist`,
      `list them with kubectl get ${target.kind.toLowerCase()}s -n ${namespace}`, 'NotFound');
  }
  if (target.kind === 'Pod') return found;
  const selector = asStringMap(at(found, ...(SELECTOR_PATHS[target.kind] ?? [])));
  const labelSelector = Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',');
  if (labelSelector === '') throw new PreconditionError(`${what} has no label selector, so it selects no pod`);
  const pods = (await client.list(POD_TYPE, {namespace, labelSelector}))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const pod = pods.find(isReady) ?? pods[0];
  if (!pod) {
    throw new PreconditionError(`${what} selects no pod (${labelSelector})`, 'scale it up or fix its selector',
      'NoPod');
  }
  return pod;
}
