// An analysis input's objects grouped by kind and indexed by namespace and name (lookup.ts),
// built once per input and shared by every context over it: Istio's analysers' (which adds
// the stand-in ingress gateway) and sparc-mesh's inventory. Indexing is a pass over every
// object that stores a few map entries each; on a large input, doing it once per context
// was a noticeable share of a run.
import {groupOf, type SourcedObject} from '../../../objects.js';
import {buildLookup, remembered, withAdded, type Lookup} from './lookup.js';

export interface ObjectIndex {
  readonly objects: readonly SourcedObject[];
  /** Objects of a kind, optionally restricted to an API group. The list is shared: do not modify it. */
  byKind(kind: string, group?: string): SourcedObject[];
  readonly lookup: Lookup;
}

/** Answers kept by kind and group: analysers ask for a few dozen kinds, many of them repeatedly. */
const rememberedKinds = (find: ObjectIndex['byKind']): ObjectIndex['byKind'] =>
  remembered((kind, group) => `${group ?? '*'}/${kind}`, find);

export function indexObjects(objects: readonly SourcedObject[]): ObjectIndex {
  // Grouped by kind in one pass: otherwise each kind asked for is a scan of every object.
  const ofKind = new Map<string, SourcedObject[]>();
  for (const entry of objects) {
    const list = ofKind.get(entry.object.kind);
    if (list) list.push(entry);
    else ofKind.set(entry.object.kind, [entry]);
  }
  const byKind = rememberedKinds((kind, group) => {
    const sameKind = ofKind.get(kind) ?? [];
    return group === undefined ? sameKind : sameKind.filter((entry) => groupOf(entry.object.apiVersion) === group);
  });
  return {objects, byKind, lookup: buildLookup(objects)};
}

/** `base` with `added` after its objects, answering as an index of both would; `base` is not rebuilt. */
export function withObjects(base: ObjectIndex, added: readonly SourcedObject[]): ObjectIndex {
  if (added.length === 0) return base;
  const extra = indexObjects(added);
  const byKind = rememberedKinds((kind, group) => {
    const more = extra.byKind(kind, group);
    return more.length === 0 ? base.byKind(kind, group) : [...base.byKind(kind, group), ...more];
  });
  return {objects: [...base.objects, ...added], byKind, lookup: withAdded(base.lookup, extra.lookup)};
}
