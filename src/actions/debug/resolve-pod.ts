// A debug target (`POD`, `deploy/NAME`, `svc/NAME`) turned into one live pod: a pod by
// name, or the first ready pod (by name) among those a Deployment's or Service's selector
// picks. Asked of the API server (the target, then its pods by that selector only), or
// found in a listing the command makes anyway (no request of its own).
import {PreconditionError, UsageError} from '../../errors.js';
import type {KubeClient, ResourceType} from '../../adapters/kube/client.js';
import {asStringMap, at} from '../../core/analyze/istio/query/fields.js';
import {matchesLabels} from '../../core/analyze/istio/query/selectors.js';
import {groupOf, type KubeObject} from '../../core/objects.js';
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

const API_VERSIONS: Readonly<Record<WorkloadTarget['kind'], string>> = {Pod: 'v1', Deployment: 'apps/v1',
  Service: 'v1'};

const describe = (target: WorkloadTarget, namespace: string) => `${target.kind} ${namespace}/${target.name}`;

function notFound(target: WorkloadTarget, namespace: string): PreconditionError {
  return new PreconditionError(`${describe(target, namespace)} does not exist`,
    `list them with kubectl get ${target.kind.toLowerCase()}s -n ${namespace}`, 'NotFound');
}

/** The Deployment's or Service's selector, which must select something. */
function selectorOf(found: KubeObject, target: WorkloadTarget, namespace: string): Record<string, string> {
  const selector = asStringMap(at(found, ...(SELECTOR_PATHS[target.kind] ?? [])));
  if (Object.keys(selector).length === 0) {
    throw new PreconditionError(`${describe(target, namespace)} has no label selector, so it selects no pod`);
  }
  return selector;
}

const labelSelectorOf = (selector: Record<string, string>) =>
  Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',');

/** The first ready pod by name, else the first pod by name. */
function chosenPod(pods: readonly KubeObject[], target: WorkloadTarget, namespace: string,
  selector: Record<string, string>): KubeObject
{
  const sorted = [...pods].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const pod = sorted.find(isReady) ?? sorted[0];
  if (!pod) {
    throw new PreconditionError(`${describe(target, namespace)} selects no pod (${labelSelectorOf(selector)})`,
      'scale it up or fix its selector', 'NoPod');
  }
  return pod;
}

export async function resolvePod(client: KubeClient, namespace: string, target: WorkloadTarget): Promise<KubeObject> {
  const found = await client.get({apiVersion: API_VERSIONS[target.kind], kind: target.kind, namespace,
    name: target.name});
  if (!found) throw notFound(target, namespace);
  if (target.kind === 'Pod') return found;
  const selector = selectorOf(found, target, namespace);
  const pods = await client.list(POD_TYPE, {namespace, labelSelector: labelSelectorOf(selector)});
  return chosenPod(pods, target, namespace, selector);
}

/** The same pod as resolvePod, found in a listing that holds the namespace's pods, Deployments and Services. */
export function podInListing(objects: readonly KubeObject[], namespace: string, target: WorkloadTarget): KubeObject {
  const group = groupOf(API_VERSIONS[target.kind]);
  const inNamespace = (object: KubeObject, kind: string) =>
    object.kind === kind && object.metadata.namespace === namespace;
  const found = objects.find((object) =>
    inNamespace(object, target.kind) && object.metadata.name === target.name && groupOf(object.apiVersion) === group
  );
  if (!found) throw notFound(target, namespace);
  if (target.kind === 'Pod') return found;
  const selector = selectorOf(found, target, namespace);
  const pods = objects.filter((object) =>
    inNamespace(object, 'Pod') && groupOf(object.apiVersion) === ''
    && matchesLabels(selector, asStringMap(object.metadata.labels))
  );
  return chosenPod(pods, target, namespace, selector);
}
