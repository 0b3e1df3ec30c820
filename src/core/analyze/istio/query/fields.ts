// Safe readers for the untyped YAML that analysers walk. Manifests come from users,
// so any field may be missing or of the wrong type; these return a neutral value
// instead of throwing, and analysers stay free of repeated type guards.
import type {KubeObject} from '../../../objects.js';
import {isRecord} from '../../../record.js';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Strings of an array, skipping anything else (e.g. `hosts`, `gateways`, `exportTo`). */
export function asStrings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

/** A string → string map such as labels or a selector; non-string values are dropped. */
export function asStringMap(value: unknown): Record<string, string> {
  const record = asRecord(value);
  if (!record) return {};
  const result: Record<string, string> = {};
  // for-in, not entries: labels of every workload pass here, and the pairs would be arrays to collect.
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'string') result[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') result[key] = String(item);
  }
  return result;
}

/** Numbers may arrive as YAML strings ("8080"); anything that is not a whole number yields undefined. */
export function asInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

export function specOf(object: KubeObject): Record<string, unknown> {
  return asRecord(object.spec) ?? {};
}

/** '' when the YAML gives no namespace: Istio's offline analysis does the same, and origins then read `Kind name`. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? '';
}

export function nameOf(object: KubeObject): string {
  return object.metadata.name ?? '';
}

/** Walks a dotted path of record keys, e.g. `at(spec, 'trafficPolicy', 'tls')`. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const record = asRecord(current);
    if (!record) return undefined;
    current = record[key];
  }
  return current;
}
