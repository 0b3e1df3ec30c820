// An object as the API server hands it to CEL: defaults of its schema applied where a
// field is absent (the server defaults before it validates), and numbers typed as the
// schema types them: `integer` → CEL int (bigint), `number` → double, and where the schema
// does not say (int-or-string, preserved unknown fields) as Go decodes JSON: whole
// numbers are ints.
import type {CelNode} from './types.js';

export function celValueOf(value: unknown, node: CelNode | undefined): unknown {
  if (typeof value === 'number') return numberOf(value, node);
  if (Array.isArray(value)) return value.map((item: unknown) => celValueOf(item, node?.items));
  if (typeof value !== 'object' || value === null) return value;
  const fields = value as Record<string, unknown>;
  const converted: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) converted[key] = celValueOf(fields[key], node?.properties?.[key] ?? node?.additionalProperties);
  for (const [key, property] of Object.entries(node?.properties ?? {})) {
    if (property.default !== undefined && !(key in converted)) converted[key] = celValueOf(property.default, property);
  }
  return converted;
}

function numberOf(value: number, node: CelNode | undefined): number | bigint {
  if (node?.type === 'number' || !Number.isInteger(value)) return value;
  return BigInt(value);
}
