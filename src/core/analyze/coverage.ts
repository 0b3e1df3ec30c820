// Which missing objects a run may report. A folder of manifests rarely holds every Service,
// pod, Secret or namespace its objects refer to; istioctl analyze stays quiet about what files
// cannot know, and so does validate: a finding that concludes something is missing
// (`Finding.absent`) is reported from partial input only where the input holds objects of
// that kind in that namespace (any namespace for cluster-wide conclusions). Pods count as held
// where the input holds Pods or pod-template controllers, as manifests rarely hold Pods.
// `ANY_KIND` in a namespace is held where the input holds any of the namespace's objects (a
// Namespace object alone does not count): rules about a namespace's missing defaults need that.
import {groupOf, type SourcedObject} from '../objects.js';
import type {Absence, Finding} from './types.js';

/** Controllers whose pod template stands for the Pods they run, with their API group. */
const POD_TEMPLATE_KINDS = new Map(
  Object.entries({Deployment: 'apps', StatefulSet: 'apps', DaemonSet: 'apps', ReplicaSet: 'apps', Job: 'batch',
    CronJob: 'batch'}),
);

export const ANY_KIND = '*';

/** True when the input can tell that objects of the absence's kind are missing there. */
export type Coverage = (absence: Absence) => boolean;

export function coverageOf(objects: readonly SourcedObject[], partial: boolean): Coverage {
  if (!partial) return () => true;
  // Kinds held anywhere, and by namespace: sets of a few kinds each, rather than a key string per object.
  const anywhere = new Set<string>();
  const byNamespace = new Map<string, Set<string>>();
  for (const {object} of objects) {
    const namespace = object.metadata.namespace ?? '';
    let there = byNamespace.get(namespace);
    if (!there) byNamespace.set(namespace, there = new Set());
    const {kind} = object;
    anywhere.add(kind);
    there.add(kind);
    if (POD_TEMPLATE_KINDS.get(kind) === groupOf(object.apiVersion)) {
      anywhere.add('Pod');
      there.add('Pod');
    }
    if (kind !== 'Namespace') there.add(ANY_KIND);
  }
  return ({kind, namespace}) =>
    namespace === undefined ? anywhere.has(kind) : byNamespace.get(namespace)?.has(kind) ?? false;
}

/** The findings the input can support: those without an absence, or whose absence it covers. */
export function withinCoverage(findings: readonly Finding[], covers: Coverage): Finding[] {
  return findings.filter((finding) => !finding.absent || covers(finding.absent));
}
