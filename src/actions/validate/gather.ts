// The objects a run analyses: files and standard input, the live cluster, or files with the
// cluster as their context. Also decides which findings the run reports.
import {invalidFlag} from '../../errors.js';
import type {KubeConnection} from '../../adapters/kube/client.js';
import {ISTIO_NAMESPACE} from '../../core/analyze/istio/create-context.js';
import {parseErrorFinding} from '../../core/analyze/schema-findings.js';
import type {Finding} from '../../core/analyze/types.js';
import {groupOf, type KubeObject, type SourcedObject} from '../../core/objects.js';
import {untimed} from '../timings.js';
import type {ValidateDeps} from './deps.js';
import {listLive} from './live.js';
import type {MeshConfig} from './mesh-config.js';

/** Where objects come from; `validate` and `validate reachability` share it. */
export interface GatherInput {
  /** Files, folders and `-`; empty means the live cluster. */
  paths: string[];
  /** With paths: add the live cluster's objects as context for the files. */
  cluster: boolean;
  connection: KubeConnection;
  namespace?: string;
  allNamespaces: boolean;
  meshConfigFile?: string;
}

export interface Gathered {
  objects: SourcedObject[];
  texts?: ReadonlyMap<string, string>;
  inputFindings: Finding[];
  files: string[];
  skippedDocuments: number;
  isReported?: (finding: Finding) => boolean;
}

function rootNamespace(meshConfig: MeshConfig | undefined): string {
  return typeof meshConfig?.rootNamespace === 'string' ? meshConfig.rootNamespace : ISTIO_NAMESPACE;
}

function identity(object: KubeObject): string {
  return [groupOf(object.apiVersion), object.kind, object.metadata.namespace ?? '', object.metadata.name ?? ''].join(
    '\u0000',
  );
}

export async function gather(input: GatherInput, deps: ValidateDeps,
  meshConfig: MeshConfig | undefined): Promise<Gathered>
{
  if (input.allNamespaces && input.namespace) {
    throw invalidFlag('all-namespaces', true, 'cannot be combined with --namespace');
  }
  const useFiles = input.paths.length > 0;
  if (input.cluster && !useFiles) {
    throw invalidFlag('cluster', true, 'adds the live cluster to files, but no path was given',
      'without paths, validate already analyses the live cluster');
  }
  const time = deps.time ?? untimed;
  const manifests = useFiles ? await time('read files', () => deps.readManifests(input.paths)) : undefined;
  const gathered: Gathered = {
    objects: manifests?.objects ?? [],
    inputFindings: (manifests?.parseErrors ?? []).map(parseErrorFinding),
    files: manifests?.files ?? [],
    skippedDocuments: manifests?.skippedDocuments ?? 0,
    ...(manifests?.texts ? {texts: manifests.texts} : {}),
  };
  if (useFiles && !input.cluster) return gathered;

  const client = await deps.connect(input.connection);
  // Files with --cluster are checked against the whole cluster unless -n narrows it.
  const namespace = input.allNamespaces
    ? undefined
    : input.namespace ?? (useFiles ? undefined : client.contextNamespace);
  const live = await time('list cluster',
    () => listLive(client, namespace === undefined ? undefined : [...new Set([namespace, rootNamespace(meshConfig)])]));
  // An object in the files replaces its live version: the files are what is about to be applied.
  const fromFiles = new Set(gathered.objects.map(({object}) => identity(object)));
  gathered.objects = [...gathered.objects,
    ...live.filter((object) => !fromFiles.has(identity(object))).map((object) => ({object}))];
  if (useFiles) gathered.isReported = (finding) => !finding.resource || finding.file !== undefined;
  else if (namespace !== undefined) {
    gathered.isReported = (finding) =>
      !finding.resource || finding.resource.namespace === namespace
      || (finding.resource.kind === 'Namespace' && finding.resource.name === namespace);
  }
  return gathered;
}
