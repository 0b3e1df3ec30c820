// Built-in kinds from k8s.io/kubernetes api/openapi-spec/v3: one file per group/version,
// each carrying the components it references. Definitions are merged into one shared set
// (they are identical across files) and every kind of a group/version file becomes a schema.
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {addStats, converter, emptyStats, type ConversionStats, type SchemaNode} from './openapi.js';
import {definitionRef, identityConstraints, OBJECT_META, type KindSchema} from './kinds.js';

const SPEC_DIR = 'api/openapi-spec/v3';
const COMPONENT_PREFIX = '#/components/schemas/';
const API_MACHINERY_META = 'io.k8s.apimachinery.pkg.apis.meta.';
// `api__v1_openapi.json`, `apis__apps__v1_openapi.json`
const GROUP_VERSION_FILE = /^(?:api__(v[0-9a-z]+)|apis__([^_]+)__(v[0-9a-z]+))_openapi\.json$/;

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface KubernetesSchemas {
  definitions: Record<string, SchemaNode>;
  kinds: KindSchema[];
  stats: ConversionStats;
}

export function readKubernetes(moduleDir: string, moduleAtVersion: string): KubernetesSchemas {
  const files = readdirSync(join(moduleDir, SPEC_DIR)).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`${moduleAtVersion}: no OpenAPI v3 files under ${SPEC_DIR}`);
  const raw = new Map<string, unknown>();
  const kindsByFile: Array<{file: string; name: string; gvk: GroupVersionKind}> = [];
  for (const file of files) {
    const document = JSON.parse(readFileSync(join(moduleDir, SPEC_DIR, file), 'utf8')) as {
      components?: {schemas?: Record<string, SchemaNode>};
    };
    const fileGroupVersion = groupVersionOfFile(file);
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (!raw.has(name)) raw.set(name, schema);
      const gvks = schema['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined;
      // API machinery envelopes (Status, DeleteOptions, WatchEvent, APIResourceList) are never
      // objects one applies; types listed under several groups are such envelopes too.
      if (!fileGroupVersion || gvks?.length !== 1 || name.startsWith(API_MACHINERY_META)) continue;
      const gvk = gvks[0]!;
      // Lists (PodList, v1 List) are responses and `kubectl apply` input that kubectl splits into
      // their items; the items are what gets judged, so lists get no schema of their own.
      if (gvk.kind.endsWith('List') && (schema.properties as SchemaNode | undefined)?.items !== undefined) continue;
      if (gvk.group === fileGroupVersion.group && gvk.version === fileGroupVersion.version) {
        kindsByFile.push({file, name, gvk});
      }
    }
  }

  const stats = emptyStats();
  const definitions: Record<string, SchemaNode> = {};
  for (const name of [...raw.keys()].sort()) {
    const convert = converter({dialect: 'builtin', ref: refToDefinition, objectMetaRef: definitionRef(OBJECT_META),
      where: `${moduleAtVersion} ${name}`});
    definitions[name] = convert.definition(name, raw.get(name));
    addStats(stats, convert.stats);
  }

  const kinds = kindsByFile.map(({file, name, gvk}): KindSchema => {
    const metadata = (definitions[name]!.properties as SchemaNode | undefined)?.metadata as SchemaNode | undefined;
    const named = metadata?.$ref === definitionRef(OBJECT_META);
    return {
      family: 'kubernetes',
      ...gvk,
      source: {module: moduleAtVersion, path: `${SPEC_DIR}/${file}`},
      schema: {allOf: [{$ref: definitionRef(name)}, identityConstraints(gvk.group, gvk.version, gvk.kind, named)]},
    };
  });
  return {definitions, kinds, stats};
}

function refToDefinition(openapiRef: string): string {
  if (!openapiRef.startsWith(COMPONENT_PREFIX)) throw new Error(`unexpected $ref ${openapiRef}`);
  return definitionRef(openapiRef.slice(COMPONENT_PREFIX.length));
}

function groupVersionOfFile(file: string): {group: string; version: string} | undefined {
  const match = GROUP_VERSION_FILE.exec(file);
  if (!match) return undefined;
  return match[1] ? {group: '', version: match[1]} : {group: match[2]!, version: match[3]!};
}
