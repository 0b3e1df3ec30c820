// An object as the API server hands it to CEL: defaults of its schema applied where a
// field is absent (the server defaults before it validates), and numbers typed as the
// schema types them: `integer` → CEL int (bigint), `number` → double, and where the schema
// does not say (int-or-string, preserved unknown fields) as Go decodes JSON: whole
// numbers are ints. Objects and lists become @bufbuild/cel's own maps and lists here, once:
// a plain object would be converted again each time a rule reads `self`.
import {celList, celMap, type CelInput} from '@bufbuild/cel';
import type {CelNode} from './types.js';

export function celValueOf(value: unknown, node: CelNode | undefined): CelInput {
  if (typeof value === 'number') return numberOf(value, node);
  if (Array.isArray(value)) return celList(value.map((item: unknown) => celValueOf(item, node?.items)));
  if (typeof value !== 'object' || value === null) return value as CelInput;
  const fields = value as Record<string, unknown>;
  const converted = new Map<string, CelInput>();
  for (const key of Object.keys(fields)) converted.set(key, celValueOf(fields[key], node?.properties?.[key] ?? node?.additionalProperties));
  for (const [key, property] of Object.entries(node?.properties ?? {})) {
    if (property.default !== undefined && !converted.has(key)) converted.set(key, celValueOf(property.default, property));
  }
  return celMap(converted);
}

function numberOf(value: number, node: CelNode | undefined): number | bigint {
  if (node?.type === 'number' || !Number.isInteger(value)) return value;
  return BigInt(value);
}
