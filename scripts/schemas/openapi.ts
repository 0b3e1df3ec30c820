// OpenAPI (as Kubernetes writes it) → JSON Schema that Ajv compiles, judging an object the
// way the API server would with strict field validation (`kubectl apply --validate=strict`).
//
// Two dialects share one walk:
// - `builtin`: k8s.io/kubernetes api/openapi-spec/v3. The server decodes these into Go
//   structs, so unknown fields are errors wherever a struct has declared properties, and
//   objects without declared properties (RawExtension, FieldsV1) hold arbitrary JSON.
// - `crd`: a CustomResourceDefinition's openAPIV3Schema (a structural schema). Anything not
//   declared is pruned, which strict validation reports as an unknown field, unless
//   `x-kubernetes-preserve-unknown-fields` keeps it.
//
// Keywords that only document (description, default, example, list-map metadata) are
// dropped; a keyword this walk does not know fails loudly, so a new upstream construct is
// noticed instead of silently ignored.

export type Dialect = 'builtin' | 'crd';
export type SchemaNode = Record<string, unknown>;

/** Things the conversion deliberately does not check, counted for the index and the docs. */
export interface ConversionStats {
  /** `format` values left unchecked, by name (the server does not check them either, or checks them in Go code we cannot mirror exactly). */
  ignoredFormats: Record<string, number>;
}

export function emptyStats(): ConversionStats {
  return {ignoredFormats: {}};
}

export function addStats(into: ConversionStats, from: ConversionStats): void {
  for (const [format, count] of Object.entries(from.ignoredFormats)) {
    into.ignoredFormats[format] = (into.ignoredFormats[format] ?? 0) + count;
  }
}

// Formats the server enforces. Built-in types: Go decoding rejects out-of-range int32/int64,
// malformed RFC 3339 times and malformed base64. CRDs: apiextensions validates string formats
// only; of those, the ones whose ajv-formats definition matches the server's are kept.
const CHECKED_FORMATS: Record<Dialect, ReadonlySet<string>> = {
  builtin: new Set(['int32', 'int64', 'date-time', 'byte']),
  crd: new Set(['date-time', 'byte', 'ipv4', 'ipv6', 'uuid', 'date']),
};

// k8s.io/apimachinery/pkg/api/resource: the expression its parse error quotes.
const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const QUANTITY_DEFINITION = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

const COPIED = ['type', 'enum', 'const', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required'] as const;

const DOCUMENTATION_ONLY = new Set(['description', 'default', 'example', 'title', 'externalDocs',
  'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy',
  'x-kubernetes-unions', 'x-kubernetes-group-version-kind', 'x-kubernetes-action', 'x-kubernetes-list-type']);

const HANDLED = new Set<string>([...COPIED, 'nullable', 'format', 'exclusiveMinimum', 'exclusiveMaximum', 'properties',
  'additionalProperties', 'items', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', 'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-validations']);

export interface ConvertOptions {
  dialect: Dialect;
  /** Rewrites an OpenAPI `$ref` (`#/components/schemas/X`) to where the definition lives in the output. */
  ref: (openapiRef: string) => string;
  /** Where ObjectMeta lives in the output (embedded resources point at it). */
  objectMetaRef: string;
  /** Path for error messages: which file and definition is being converted. */
  where: string;
}

/**
 * The API server reads `pattern` as Go's RE2, whose `(?i)` (case-insensitive from here on)
 * JavaScript's RegExp refuses: each letter after it, outside a character class, becomes a class
 * of both cases (the Prometheus Operator's `^(?i)(abort|warn)?$`). Classes are left as written:
 * no CRD sparc-mesh reads has one after `(?i)`.
 */
export function javascriptPattern(pattern: string): string {
  const flag = pattern.indexOf('(?i)');
  if (flag === -1) return pattern;
  let out = pattern.slice(0, flag);
  let inClass = false;
  for (let index = flag + '(?i)'.length; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      out += char + (pattern[++index] ?? '');
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    out += !inClass && /[a-z]/i.test(char) ? `[${lower}${upper}]` : char;
  }
  return out;
}

class Converter {
  readonly stats = emptyStats();
  constructor(private readonly options: ConvertOptions) {}

  /**
   * `closed`: this node describes a value's fields (not a value constraint inside
   * allOf/anyOf/oneOf/not), so undeclared fields are errors unless preserved.
   */
  node(input: unknown, path: string, closed: boolean): SchemaNode {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw this.fail(path, 'a schema must be an object');
    }
    const node = input as SchemaNode;
    for (const key of Object.keys(node)) {
      if (!HANDLED.has(key) && !DOCUMENTATION_ONLY.has(key)) throw this.fail(path, `unknown schema keyword "${key}"`);
    }
    const single = singleRef(node);
    if (single !== undefined) return {$ref: this.options.ref(single)};

    const out: SchemaNode = {};
    if (typeof node.$ref === 'string') out.$ref = this.options.ref(node.$ref);
    for (const key of COPIED) if (node[key] !== undefined) out[key] = node[key];
    if (typeof out.pattern === 'string') out.pattern = javascriptPattern(out.pattern);
    this.bounds(node, out);
    this.format(node, out);

    if (node.properties !== undefined) {
      const properties: SchemaNode = {};
      for (const [name, child] of Object.entries(node.properties as SchemaNode)) {
        properties[name] = this.node(child, `${path}.${name}`, closed);
      }
      out.properties = properties;
    }
    if (typeof node.additionalProperties === 'object') {
      out.additionalProperties = this.node(node.additionalProperties, `${path}.*`, closed);
    } else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
    if (node.items !== undefined) out.items = this.node(node.items, `${path}[]`, closed);
    for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (node[combinator] !== undefined) {
        out[combinator] = (node[combinator] as unknown[]).map((branch, i) =>
          this.node(branch, `${path}.${combinator}[${i}]`, false)
        );
      }
    }
    if (node.not !== undefined) out.not = this.node(node.not, `${path}.not`, false);

    collapseTypeAlternatives(out);
    exclusiveFields(out);
    if (node['x-kubernetes-int-or-string'] === true) intOrString(out);
    if (node['x-kubernetes-embedded-resource'] === true) this.embeddedResource(out);
    if (node['x-kubernetes-list-type'] === 'set' && this.options.dialect === 'crd') out.uniqueItems = true;
    if (closed && node['x-kubernetes-preserve-unknown-fields'] !== true) this.close(out);
    if (node.nullable === true) nullable(out);
    return out;
  }

  definition(name: string, input: unknown): SchemaNode {
    const out = this.node(input, name, true);
    if (name === QUANTITY_DEFINITION) out.pattern = QUANTITY_PATTERN;
    return out;
  }

  private close(out: SchemaNode): void {
    if (out.additionalProperties !== undefined || out.$ref !== undefined) return;
    const isObject = out.type === 'object' || out.properties !== undefined;
    if (!isObject) return;
    // Built-in objects without declared fields are free-form JSON (RawExtension, FieldsV1);
    // a structural CRD schema prunes everything it does not declare.
    if (this.options.dialect === 'builtin' && out.properties === undefined) return;
    out.additionalProperties = false;
  }

  // OpenAPI 3.0 writes exclusive bounds as booleans next to minimum/maximum.
  private bounds(node: SchemaNode, out: SchemaNode): void {
    for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (node[exclusive] === true && node[bound] !== undefined) {
        out[exclusive] = node[bound];
        delete out[bound];
      } else if (typeof node[exclusive] === 'number') out[exclusive] = node[exclusive];
    }
  }

  private format(node: SchemaNode, out: SchemaNode): void {
    const format = node.format;
    if (typeof format !== 'string' || format === 'int-or-string') return;
    if (CHECKED_FORMATS[this.options.dialect].has(format)) out.format = format;
    else this.stats.ignoredFormats[format] = (this.stats.ignoredFormats[format] ?? 0) + 1;
  }

  // An embedded object must carry apiVersion and kind, and its metadata is an ObjectMeta.
  private embeddedResource(out: SchemaNode): void {
    const properties = (out.properties ?? {}) as SchemaNode;
    properties.apiVersion ??= {type: 'string'};
    properties.kind ??= {type: 'string'};
    properties.metadata = {$ref: this.options.objectMetaRef};
    out.properties = properties;
    out.required = [...new Set([...(out.required as string[] | undefined ?? []), 'apiVersion', 'kind'])];
  }

  private fail(path: string, problem: string): Error {
    return new Error(`${this.options.where}: ${path}: ${problem}`);
  }
}

/** `{$ref}` or `{allOf: [{$ref}]}` with nothing else but documentation: the built-in way of writing a reference. */
function singleRef(node: SchemaNode): string | undefined {
  const validating = Object.keys(node).filter((key) => !DOCUMENTATION_ONLY.has(key));
  if (validating.length !== 1) return undefined;
  if (typeof node.$ref === 'string') return node.$ref;
  const allOf = node.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) {
    const only = allOf[0] as SchemaNode;
    if (Object.keys(only).length === 1 && typeof only.$ref === 'string') return only.$ref;
  }
  return undefined;
}

/** `oneOf: [{type: a}, {type: b}]` (IntOrString, Quantity) says `type: [a, b]`, which reports one clear error. */
function collapseTypeAlternatives(out: SchemaNode): void {
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const branches = out[combinator] as SchemaNode[] | undefined;
    if (!branches || out.type !== undefined) continue;
    if (!branches.every((branch) => Object.keys(branch).length === 1 && typeof branch.type === 'string')) continue;
    out.type = branches.map((branch) => branch.type);
    delete out[combinator];
  }
}

/** Custom keyword (see compile.ts): `{fields, atMostOne}`; its error names the fields. */
export const ONE_OF_FIELDS = 'oneOfFields';

/**
 * Istio writes "at most one of a, b" as
 * `oneOf: [{not: {anyOf: [{required: [a]}, {required: [b]}]}}, {required: [a]}, {required: [b]}]`
 * and "exactly one of a, b" as the same without the `not` branch. Both mean what they say,
 * exactly; a failed oneOf only says "must match exactly one schema", so they become one
 * keyword whose error can name the fields. Any other oneOf is left as it is.
 */
function exclusiveFields(out: SchemaNode): void {
  const branches = out.oneOf as SchemaNode[] | undefined;
  if (!branches) return;
  const singleRequired = (branch: SchemaNode): string | undefined => {
    const required = branch.required as string[] | undefined;
    return Object.keys(branch).length === 1 && required?.length === 1 ? required[0] : undefined;
  };
  const noneOf = branches[0]?.not as SchemaNode | undefined;
  const atMostOne = Object.keys(branches[0] ?? {}).length === 1 && noneOf !== undefined;
  const fieldBranches = atMostOne ? branches.slice(1) : branches;
  const fields = fieldBranches.map(singleRequired);
  if (fields.length === 0 || fields.some((field) => field === undefined)) return;
  if (atMostOne) {
    const excluded = Object.keys(noneOf).length === 1
      ? (noneOf.anyOf as SchemaNode[] | undefined)?.map(singleRequired)
      : undefined;
    if (JSON.stringify(excluded) !== JSON.stringify(fields)) return;
  }
  delete out.oneOf;
  out[ONE_OF_FIELDS] = {fields, atMostOne};
}

function intOrString(out: SchemaNode): void {
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const branches = out[combinator] as SchemaNode[] | undefined;
    if (branches?.every((branch) => Object.keys(branch).length === 1 && typeof branch.type === 'string')) {
      delete out[combinator];
    }
  }
  out.type = ['integer', 'string'];
}

function nullable(out: SchemaNode): void {
  if (out.type !== undefined) out.type = [...new Set([...[out.type].flat() as string[], 'null'])];
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
}

export function converter(options: ConvertOptions): Converter {
  return new Converter(options);
}
