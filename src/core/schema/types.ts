import type {ResourceRef} from '../objects.js';
import type {ValidatorError} from './problems.js';

/** The shape of an Ajv standalone validate function. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}

/** The validator of a kind, or undefined when no schema exists for it (src/adapters/schemas loads them). */
export type ValidatorLookup = (apiVersion: string, kind: string) => Validator | undefined;

/** CEL rules of the kinds in schemas/: `checked` + `transition` + `unsupported` = `total`. */
export interface CelCoverage {
  total: number;
  checked: number;
  /** Checked rules that also run as JavaScript (cel/to-js.ts); @bufbuild/cel judges the rest, and what these leave to it. */
  compiled: number;
  /** Rules that read `oldSelf`: run on update only, so never offline. */
  transition: number;
  /** Reason → rules. */
  unsupported: Record<string, number>;
}

/** Which rule of the schema an object broke; `unknown-kind` means there is no schema to judge it by. */
export type SchemaRule =
  | 'unknown-kind'
  | 'unknown-field'
  | 'required'
  | 'type'
  | 'enum'
  | 'const'
  | 'format'
  | 'pattern'
  | 'length'
  | 'range'
  | 'items'
  | 'properties'
  | 'unique'
  | 'one-of'
  | 'any-of'
  | 'not'
  | 'cel'
  | 'other';

export interface SchemaProblem {
  /**
   * `invalid`: the object breaks its kind's schema. `unknown-kind`: no schema exists for its
   * apiVersion/kind; the caller decides (a rendered object: a bug; a user's manifest: a warning).
   */
  type: 'invalid' | 'unknown-kind';
  object: ResourceRef;
  /** Dotted/indexed path inside the object, e.g. `spec.http[0].route[0].weight`; '' for the object itself. */
  path: string;
  /**
   * The same place as keys and array positions, ending at a field the object has: the
   * offending field itself, or for a missing one the object that lacks it. Findings use it
   * to point at the field's line.
   */
  field?: (string | number)[];
  rule: SchemaRule;
  message: string;
  /** For a CEL rule (`cel`): its `reason` (FieldValueForbidden, ...), when it gives one. */
  reason?: string;
}

/** Where a kind's schema came from: a Go module at a pinned version and a file inside it. */
export interface SchemaOrigin {
  /** `module@version`, e.g. `istio.io/istio@v0.0.0-2026…`. */
  module: string;
  path: string;
}

export interface SchemaIndexEntry {
  /** Path under schemas/ of the CommonJS module whose `module.exports` is the validate function. */
  module: string;
  family: string;
  source: SchemaOrigin;
}

/** `schemas/index.json`, written by `npm run schemas` (scripts/schemas/generate.ts). */
export interface SchemaIndex {
  /** Family → `module@version` the schemas were generated from. */
  pins: Record<string, string>;
  /** Fingerprint of the generator and Ajv, so that a stale schemas/ is rebuilt. */
  generator: string;
  /** V8 version the code caches (`*.cjs.v8cache`) were made with; another V8 does not read them. */
  v8: string;
  /** Families left out, with the reason. */
  missing: Record<string, string>;
  /** Kinds a later source also defines, skipped because an earlier one provides them. */
  shadowed: string[];
  /** Formats left unchecked, by name; what the kinds' CEL rules are and how many are checked. */
  stats: {ignoredFormats: Record<string, number>; cel: CelCoverage};
  /** `apiVersion/kind` (`apps/v1/Deployment`, `v1/Service`) → its module. */
  kinds: Record<string, SchemaIndexEntry>;
}
