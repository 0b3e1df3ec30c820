// `onboard --diff`: what the API server would make of each object (a server-side dry run)
// against what it holds now, as a unified diff of YAML, kubectl diff style.
import {createTwoFilesPatch} from 'diff';
import {ApplyConflictError, type KubeClient} from '../../adapters/kube/client.js';
import {displayName, refOf, type KubeObject} from '../../core/objects.js';
import {toYamlDocument} from '../../ui/manifests.js';
import {namespacesToCreate, withoutServerFields} from '../../core/apply/results.js';

export interface ObjectDiff {
  object: string;
  /** Unified diff; empty when the apply would change nothing. */
  patch: string;
  /** Without --force-conflicts the apply would fail with this conflict; the diff shows the forced result. */
  conflict?: string;
}

/** The unified diff of one object; `live` undefined means it would be created. */
export function objectDiff(name: string, live: KubeObject | undefined, planned: KubeObject): string {
  const before = live ? toYamlDocument(withoutServerFields(live)) : '';
  const after = toYamlDocument(withoutServerFields(planned));
  if (before === after) return '';
  const path = name.replace(' ', '/');
  return createTwoFilesPatch(live ? `live/${path}` : '/dev/null', `planned/${path}`, before, after, undefined,
    undefined, {context: 3})
    .replace(/^=+\n/m, '');
}

export interface DiffRequest {
  objects: readonly KubeObject[];
  force: boolean;
}

/** Server-side dry run of every object, each compared with its live state. Writes nothing. */
export async function diffObjects(client: KubeClient, request: DiffRequest): Promise<ObjectDiff[]> {
  const live = await Promise.all(request.objects.map((object) => client.get(refOf(object))));
  const newNamespaces = namespacesToCreate(request.objects, live);
  return Promise.all(request.objects.map(async (object, index) => {
    const ref = refOf(object);
    // In a namespace still to be created the server cannot dry-run; the rendered object is the best preview.
    if (newNamespaces.has(object.metadata.namespace ?? '')) {
      return {object: displayName(ref), patch: objectDiff(displayName(ref), live[index], object)};
    }
    try {
      const planned = await client.apply(object, {force: request.force, dryRun: true});
      return {object: displayName(ref), patch: objectDiff(displayName(ref), live[index], planned)};
    } catch (error) {
      // A diff is for seeing: show what taking the fields over would do, and say that it needs --force-conflicts.
      if (!(error instanceof ApplyConflictError)) throw error;
      const planned = await client.apply(object, {force: true, dryRun: true});
      return {object: displayName(ref), patch: objectDiff(displayName(ref), live[index], planned),
        conflict: error.message};
    }
  }));
}
