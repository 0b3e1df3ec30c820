// Field sets of server-side apply (metadata.managedFields[].fieldsV1), as pure functions:
// who owns what, and the configuration a manager had applied, read back from a live object.
// Rollback rests on them: re-applying what sparc-mesh owned before restores the object.
//
// fieldsV1 is a tree: `f:NAME` a map field, `k:{"name":"http"}` a list item by its merge
// keys, `v:VALUE` a set item, `i:N` a list index, and `.` the node itself. An empty node
// is a leaf: the whole value below it (atomic lists and maps included) belongs to the owner.
import {isDeepStrictEqual} from 'node:util';
import type {KubeObject} from '../objects.js';
import {isRecord} from '../record.js';

export type FieldSet = {[key: string]: FieldSet};

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  fieldsV1?: FieldSet;
  subresource?: string;
}

const isLeaf = (node: FieldSet) => Object.keys(node).length === 0;

export function managedFieldsOf(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = object?.metadata.managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

const isApplyOf = (manager: string) => (entry: ManagedFieldsEntry) =>
  entry.manager === manager && entry.operation === 'Apply' && !entry.subresource;

/** Fields `manager` owns through server-side apply (the main resource, every apiVersion). */
export function appliedFields(object: KubeObject | undefined, manager: string): FieldSet {
  return managedFieldsOf(object).filter(isApplyOf(manager)).reduce<FieldSet>(
    (all, entry) => union(all, entry.fieldsV1 ?? {}),
    {},
  );
}

/** Fields every other manager (and `manager`'s own non-apply writes) owns on the main resource. */
export function othersFields(object: KubeObject | undefined, manager: string): FieldSet {
  const isMine = isApplyOf(manager);
  return managedFieldsOf(object).filter((entry) => !isMine(entry) && !entry.subresource)
    .reduce<FieldSet>((all, entry) => union(all, entry.fieldsV1 ?? {}), {});
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = {...a};
  for (const [key, node] of Object.entries(b)) {
    const mine = out[key];
    // A leaf owns everything below it, so it absorbs any finer set.
    out[key] = mine === undefined ? node : isLeaf(mine) || isLeaf(node) ? {} : union(mine, node);
  }
  return out;
}

export function intersect(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [key, node] of Object.entries(a)) {
    const other = b[key];
    if (other === undefined) continue;
    if (isLeaf(node) || isLeaf(other)) {
      out[key] = isLeaf(node) ? other : node;
      continue;
    }
    const common = intersect(node, other);
    if (!isLeaf(common)) out[key] = common;
  }
  return out;
}

/** Fields of `a` that `b` does not hold. */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = {};
  for (const [key, node] of Object.entries(a)) {
    const other = b[key];
    if (other === undefined) out[key] = node;
    else if (isLeaf(other)) continue;
    else if (isLeaf(node)) out[key] = node;
    else {
      const rest = difference(node, other);
      if (!isLeaf(rest)) out[key] = rest;
    }
  }
  return out;
}

/** Does the list item carry every merge-key value of a `k:` entry? */
function matchesKey(item: unknown, key: Record<string, unknown>): boolean {
  return isRecord(item) && Object.entries(key).every(([name, value]) => isDeepStrictEqual(item[name], value));
}

function extractList(items: unknown[], fields: FieldSet): unknown[] {
  const out: unknown[] = [];
  items.forEach((item, index) => {
    for (const [key, node] of Object.entries(fields)) {
      const body = key.slice(2);
      if (key.startsWith('k:')) {
        const mergeKey = JSON.parse(body) as Record<string, unknown>;
        if (!matchesKey(item, mergeKey)) continue;
        // The merge keys identify the item, so they go with it even when the owner holds no more.
        out.push(
          isLeaf(node) ? structuredClone(item) : {...mergeKey, ...(extract(item, node) as Record<string, unknown>)},
        );
        return;
      }
      if ((key.startsWith('v:') && isDeepStrictEqual(JSON.parse(body), item))
        || (key.startsWith('i:') && Number(body) === index))
      {
        out.push(isLeaf(node) ? structuredClone(item) : extract(item, node));
        return;
      }
    }
  });
  return out;
}

/** The part of `value` that `fields` covers: what the owner of those fields had set. */
export function extract(value: unknown, fields: FieldSet): unknown {
  if (Array.isArray(value)) return extractList(value, fields);
  if (!isRecord(value)) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(fields)) {
    if (!key.startsWith('f:')) continue;
    const name = key.slice(2);
    if (!(name in value)) continue;
    out[name] = isLeaf(node) ? structuredClone(value[name]) : extract(value[name], node);
  }
  return out;
}

/**
 * The configuration that, applied by `manager` with force, puts an object changed by an apply
 * back as it was:
 * - every field `manager` owned before, with its value from before (fields it added since are
 *   dropped by the apply, because it no longer claims them and nobody else owns them);
 * - every field the apply took from another manager (--force-conflicts), with its value from
 *   before: the value comes back, the field stays owned by `manager`;
 * - when `manager` owned nothing before, that leaves only the object's identity, and applying
 *   it releases every field `manager` holds.
 */
export function restoreConfig(before: KubeObject, after: KubeObject, manager: string): KubeObject {
  const ownedBefore = appliedFields(before, manager);
  const taken = intersect(appliedFields(after, manager),
    difference(othersFields(before, manager), othersFields(after, manager)));
  const fields = union(ownedBefore, taken);
  const body = extract(before, fields) as Record<string, unknown>;
  const metadata = {...(isRecord(body.metadata) ? body.metadata : {}), name: before.metadata.name};
  if (before.metadata.namespace !== undefined) Object.assign(metadata, {namespace: before.metadata.namespace});
  return {...body, apiVersion: before.apiVersion, kind: before.kind, metadata};
}
