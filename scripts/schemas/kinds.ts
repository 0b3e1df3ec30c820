// What the generator extracts: one schema per group/version/kind, with where it came from.
import type {CelNode} from '../../src/core/schema/cel/types.js';
import type {SchemaNode} from './openapi.js';

export type Family = 'kubernetes' | 'gateway-api' | 'istio' | 'linkerd' | 'flagger' | 'prometheus-operator';

/** Earlier families win when two sources define the same group/version/kind. */
export const FAMILY_PRECEDENCE: readonly Family[] = ['kubernetes', 'gateway-api', 'istio', 'linkerd', 'flagger',
  'prometheus-operator'];

export interface SchemaSource {
  /** Go module and version the file was read from, e.g. `istio.io/istio@v1.2.3`. */
  module: string;
  /** Path of the file inside the module (Linkerd's: inside its committed extract, schemas-src/linkerd/). */
  path: string;
}

export interface KindSchema {
  family: Family;
  group: string;
  version: string;
  kind: string;
  source: SchemaSource;
  /** JSON Schema of the whole object; `$ref`s point into the shared Kubernetes definitions. */
  schema: SchemaNode;
  /** The CEL rules and what they need of the schema; absent when the kind has none. */
  cel?: CelNode;
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** The index key: `apps/v1/Deployment`, `v1/Service`. */
export function kindKey(kind: Pick<KindSchema, 'group' | 'version' | 'kind'>): string {
  return `${apiVersionOf(kind.group, kind.version)}/${kind.kind}`;
}

/** Schema ids are absolute so that references resolve the same from every kind (never fetched). */
export const SCHEMA_ID_BASE = 'https://schemas.sparc-mesh.invalid/';
/** Where shared Kubernetes definitions live in the compiled output. */
export const DEFINITIONS_ID = `${SCHEMA_ID_BASE}k8s.json`;
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export function definitionRef(name: string): string {
  return `${DEFINITIONS_ID}#/definitions/${name}`;
}

/**
 * The checks every top-level object gets on top of its own schema: apiVersion and kind are
 * exactly this kind's, metadata is present, and an object (not a list) has a name, as
 * `kubectl apply` requires.
 */
export function identityConstraints(group: string, version: string, kind: string, named: boolean): SchemaNode {
  const metadata: SchemaNode = named ? {type: 'object', required: ['name']} : {type: 'object'};
  return {
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: {type: 'string', const: apiVersionOf(group, version)},
      kind: {type: 'string', const: kind},
      metadata,
    },
  };
}
