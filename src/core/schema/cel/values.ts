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
  const properties = node?.properties;
  for (const key of Object.keys(fields)) {
    // An object's field names are CEL identifiers (`namespace` is read as `__namespace__`); a map's keys are data.
    const name = properties ? escapedName(key) : key;
    if (name !== undefined) converted.set(name, celValueOf(fields[key], properties?.[key] ?? node?.additionalProperties));
  }
  for (const [key, property] of Object.entries(properties ?? {})) {
    const name = escapedName(key);
    if (property.default !== undefined && name !== undefined && !converted.has(name)) converted.set(name, celValueOf(property.default, property));
  }
  return celMap(converted);
}

/** CEL's reserved words, which Kubernetes escapes as `__word__` (k8s.io/apiserver/pkg/cel/escaping.go). */
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPES: Record<string, string> = {'__': '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__'};

/** A field name as CEL programs see it, or undefined when it has no CEL name (a leading digit, other characters). */
export function escapedName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name) || /[^A-Za-z0-9_./-]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__|[./-]/g, (matched) => ESCAPES[matched]!);
}

function numberOf(value: number, node: CelNode | undefined): number | bigint {
  if (node?.type === 'number' || !Number.isInteger(value)) return value;
  return BigInt(value);
}
