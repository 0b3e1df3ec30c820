// An object as the API server hands it to CEL: defaults of its schema applied where a
// field is absent (the server defaults before it validates), and numbers typed as the
// schema types them: `integer` → CEL int (bigint), `number` → double, and where the schema
// does not say (int-or-string, preserved unknown fields) as Go decodes JSON: whole
// numbers are ints. Objects become @bufbuild/cel maps whose fields are converted when a
// rule first reads them: most rules read a few fields of a large value.
import {celList, celMap, type CelInput} from '@bufbuild/cel';
import {escapedName} from './names.js';
import type {CelNode} from './types.js';

export function celValueOf(value: unknown, node: CelNode | undefined): CelInput {
  if (typeof value === 'number') return numberOf(value, node);
  if (Array.isArray(value)) return celList(value.map((item: unknown) => celValueOf(item, node?.items)));
  if (typeof value !== 'object' || value === null) return value as CelInput;
  return celMap(new CelFields(value as Record<string, unknown>, node));
}

function numberOf(value: number, node: CelNode | undefined): number | bigint {
  if (node?.type === 'number' || !Number.isInteger(value)) return value;
  return BigInt(value);
}

/** Where a field's value comes from: the object's own key, or the schema's default for an absent property. */
type Source = {key: string} | {default: unknown; node: CelNode};

/**
 * An object's fields under their CEL names, converted on first read. It is all @bufbuild/cel
 * asks of the Map behind a CEL map (get, keys, entries, values, forEach, size).
 */
class CelFields implements ReadonlyMap<string, CelInput> {
  private sources: Map<string, Source> | undefined;
  private readonly converted = new Map<string, CelInput>();

  constructor(private readonly fields: Record<string, unknown>, private readonly node: CelNode | undefined) {}

  private sourceMap(): Map<string, Source> {
    if (this.sources) return this.sources;
    const sources = new Map<string, Source>();
    const properties = this.node?.properties;
    for (const key of Object.keys(this.fields)) {
      // An object's field names are CEL identifiers (`namespace` is read as `__namespace__`); a map's keys are data.
      const name = properties ? escapedName(key) : key;
      if (name !== undefined) sources.set(name, {key});
    }
    for (const [key, property] of Object.entries(properties ?? {})) {
      const name = escapedName(key);
      if (property.default !== undefined && name !== undefined && !(key in this.fields)) {
        sources.set(name, {default: property.default, node: property});
      }
    }
    this.sources = sources;
    return sources;
  }

  get(name: string): CelInput | undefined {
    const cached = this.converted.get(name);
    if (cached !== undefined) return cached;
    const source = this.sourceMap().get(name);
    if (source === undefined) return undefined;
    const value = 'key' in source
      ? celValueOf(this.fields[source.key], this.node?.properties?.[source.key] ?? this.node?.additionalProperties)
      : celValueOf(source.default, source.node);
    this.converted.set(name, value);
    return value;
  }

  has(name: string): boolean {
    return this.sourceMap().has(name);
  }

  get size(): number {
    return this.sourceMap().size;
  }

  keys(): MapIterator<string> {
    return this.sourceMap().keys();
  }

  *values(): MapIterator<CelInput> {
    for (const name of this.keys()) yield this.get(name)!;
  }

  *entries(): MapIterator<[string, CelInput]> {
    for (const name of this.keys()) yield [name, this.get(name)!];
  }

  [Symbol.iterator](): MapIterator<[string, CelInput]> {
    return this.entries();
  }

  forEach(callback: (value: CelInput, key: string, map: ReadonlyMap<string, CelInput>) => void,
    thisArg?: unknown): void
  {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }
}
