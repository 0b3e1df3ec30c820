// CustomResourceDefinitions → one schema per served version, judged as the API server
// judges a custom resource: the version's structural schema, with apiVersion/kind pinned
// and metadata checked as a real ObjectMeta (the server validates it even though CRD
// schemas only say `metadata: {type: object}`).
import yaml from 'js-yaml';
import {celTree} from './cel.js';
import {addStats, converter, emptyStats, type ConversionStats, type SchemaNode} from './openapi.js';
import {definitionRef, identityConstraints, OBJECT_META, type Family, type KindSchema,
  type SchemaSource} from './kinds.js';

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: {openAPIV3Schema?: SchemaNode};
}

interface Crd {
  apiVersion: string;
  kind: string;
  spec: {group: string; names: {kind: string}; versions: CrdVersion[]};
}

export interface CrdSchemas {
  kinds: KindSchema[];
  stats: ConversionStats;
}

/** Every CRD in a (multi-document) YAML text; other documents (policies, RBAC) are skipped. */
export function readCrds(text: string, family: Family, source: SchemaSource): CrdSchemas {
  const stats = emptyStats();
  const kinds: KindSchema[] = [];
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text);
  } catch (error) {
    throw new Error(`${source.module} ${source.path}: not YAML: ${(error as Error).message}`);
  }
  for (const document of documents) {
    if (!isCrd(document)) continue;
    const {group, names} = document.spec;
    for (const version of document.spec.versions) {
      if (!version.served) continue;
      const where = `${source.module} ${source.path} ${group}/${version.name} ${names.kind}`;
      const openapi = version.schema?.openAPIV3Schema;
      if (!openapi) throw new Error(`${where}: served version without a schema`);
      const convert = converter({dialect: 'crd', ref: () => {
        throw new Error(`${where}: $ref in a CRD schema`);
      }, objectMetaRef: definitionRef(OBJECT_META), where});
      const root = hoistObjects(convert.node(openapi, 'openAPIV3Schema', true));
      addStats(stats, convert.stats);
      const cel = celTree(openapi);
      kinds.push({family, group, version: version.name, kind: names.kind, source,
        schema: withObjectIdentity(root, group, version.name, names.kind), ...(cel ? {cel} : {})});
    }
  }
  return {kinds, stats};
}

/**
 * Moves every object schema with declared fields into `definitions`, referenced by `$ref`;
 * identical ones (DestinationRule's traffic policy at the top and in every subset, Istio's
 * string matches) share one definition. Ajv then emits one function per distinct object
 * instead of one giant function per kind, and V8 compiles only the functions an object
 * actually reaches: a VirtualService with two routes does not pay for every field Istio has.
 */
function hoistObjects(root: SchemaNode): SchemaNode {
  const definitions: Record<string, SchemaNode> = {};
  const nameOfShape = new Map<string, string>();
  const visit = (node: SchemaNode, path: string): SchemaNode => {
    const out = {...node};
    if (out.properties !== undefined) {
      out.properties = Object.fromEntries(
        Object.entries(out.properties as Record<string, SchemaNode>).map((
          [name, child],
        ) => [name, visit(child, path === '' ? name : `${path}.${name}`)]),
      );
    }
    if (typeof out.items === 'object') out.items = visit(out.items as SchemaNode, `${path}-`);
    if (typeof out.additionalProperties === 'object') {
      out.additionalProperties = visit(out.additionalProperties as SchemaNode, `${path}*`);
    }
    if (out.properties === undefined || path === '') return out;
    // Children are visited first, so identical subtrees already hold identical $refs here.
    const shape = JSON.stringify(out);
    let name = nameOfShape.get(shape);
    if (name === undefined) {
      name = path;
      nameOfShape.set(shape, name);
      definitions[name] = out;
    }
    return {$ref: `#/definitions/${encodeURIComponent(name)}`};
  };
  const hoisted = visit(root, '');
  return {...hoisted, definitions};
}

function isCrd(document: unknown): document is Crd {
  const candidate = document as Partial<Crd> | null;
  return candidate?.kind === 'CustomResourceDefinition' && candidate.apiVersion === 'apiextensions.k8s.io/v1';
}

/**
 * The server always accepts apiVersion, kind and metadata at the root, whatever the schema
 * declares, and validates metadata as ObjectMeta; a CRD may add constraints on
 * metadata.name/generateName (the only ones it is allowed), which are kept.
 */
function withObjectIdentity(root: SchemaNode, group: string, version: string, kind: string): SchemaNode {
  const {definitions, ...object} = root;
  const properties = {...(object.properties as SchemaNode | undefined)};
  const declaredMetadata = properties.metadata as SchemaNode | undefined;
  const metadata: SchemaNode = {$ref: definitionRef(OBJECT_META)};
  if (declaredMetadata?.properties !== undefined) metadata.allOf = [{properties: declaredMetadata.properties}];
  properties.apiVersion = {type: 'string'};
  properties.kind = {type: 'string'};
  properties.metadata = metadata;
  return {definitions, allOf: [{...object, properties}, identityConstraints(group, version, kind, true)]};
}
