// The live objects a run analyses: the kinds every analyser declares as its inputs (or the
// kinds a caller names), in some namespaces (a namespace and Istio's root namespace, which
// holds mesh-wide policy) or in all.
import type {KubeClient, ResourceType} from '../../adapters/kube/client.js';
import {liveInputs} from '../../core/analyze/all.js';
import type {GroupKind} from '../../core/analyze/types.js';
import {groupOf, type KubeObject} from '../../core/objects.js';

/** The served types among the wanted kinds; `*` takes every kind of its group. */
export function wantedTypes(served: readonly ResourceType[], wanted: readonly GroupKind[]): ResourceType[] {
  const keys = new Set(wanted.map(({group, kind}) => `${group}/${kind}`));
  return served.filter((type) => keys.has(`${type.group}/${type.kind}`) || keys.has(`${type.group}/*`));
}

/**
 * What analysis needs of a live object: no managed fields, never a Secret's data, and of a
 * CRD only its identity (its schemas are megabytes that no analyser reads).
 */
function forAnalysis(object: KubeObject): KubeObject {
  const {managedFields: _managed, ...metadata} = object.metadata;
  const copy: KubeObject = {...object, metadata};
  const group = groupOf(object.apiVersion);
  if (object.kind === 'Secret' && group === '') {
    delete copy.data;
    delete copy.stringData;
  }
  if (object.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    copy.spec = {group: spec.group, names: spec.names, scope: spec.scope};
    delete copy.status;
  }
  return copy;
}

/** Types are listed in parallel; a failed list fails the run. By default, every kind an analyser reads. */
export async function listLive(client: KubeClient, namespaces: string[] | undefined,
  wanted: readonly GroupKind[] = liveInputs()): Promise<KubeObject[]>
{
  const types = wantedTypes(await client.discover([...new Set(wanted.map(({group}) => group))]), wanted);
  const calls = types.flatMap((type) => (!type.namespaced || namespaces === undefined
    ? [{type, scope: {}}]
    : namespaces.map((namespace) => ({type, scope: {namespace}})))
  );
  const lists = await Promise.all(calls.map(({type, scope}) => client.list(type, scope)));
  return lists.flat().map(forAnalysis);
}
