// `sparc-mesh validate`: gather objects (files, standard input, the live cluster or both),
// run every analyser, apply suppressions and decide the exit code. Commands only parse
// flags and print; everything that decides what a run means happens here or in core.
import {readFile} from 'node:fs/promises';
import yaml from 'js-yaml';
import {invalidFile, invalidFlag, UsageError} from '../errors.js';
import {readManifests, STDIN_NAME, type ManifestSet, type ReadOptions} from '../adapters/files/read-manifests.js';
import {assertSomeKubeconfig} from '../adapters/kube/kubeconfig.js';
import {createKubeClient, type KubeClient, type KubeClientFactory, type KubeConnection, type ResourceType} from '../adapters/kube/client.js';
import {analyzeIstio, istioAnalyzers, optionalIstioAnalyzers} from '../core/analyze/istio/index.js';
import {ISTIO_NAMESPACE} from '../core/analyze/istio/create-context.js';
import {buildReachability, type ReachabilityModel, type ReachabilityOptions} from '../core/analyze/reachability/index.js';
import {catalogue, findRule, nearMatches} from '../core/analyze/catalogue.js';
import {parseSuppressions, runAnalysis, type FailOn, type FindingsReport} from '../core/analyze/run.js';
import {smAnalyzers} from '../core/analyze/rules/index.js';
import {parseErrorFinding, schemaFinding} from '../core/analyze/schema-findings.js';
import {checkObject, schemaNotes} from '../core/schema/index.js';
import type {AnalysisInput, Analyzer, Finding, RuleDoc} from '../core/analyze/types.js';
import {groupOf, refOf, type KubeObject, type SourcedObject} from '../core/objects.js';
import {fieldLines, type FieldLineFinder} from '../core/field-line.js';
import type {SchemaProblem} from '../core/schema/index.js';
import type {AnalysedResource} from '../ui/findings/index.js';
import {untimed, type PhaseTimer} from './timings.js';

export interface ValidateInput {
  /** Files, folders and `-`; empty means the live cluster. */
  paths: string[];
  /** With paths: add the live cluster's objects as context for the files. */
  cluster: boolean;
  connection: KubeConnection;
  namespace?: string;
  allNamespaces: boolean;
  suppress: string[];
  failOn: FailOn;
  meshConfigFile?: string;
  /** Also run the analysers istioctl leaves out by default (IST0136, alpha-phase annotations). */
  alphaAnnotations?: boolean;
}

export interface ValidateDeps {
  readManifests: (paths: readonly string[], options?: ReadOptions) => Promise<ManifestSet>;
  connect: KubeClientFactory;
  readText: (file: string) => Promise<string>;
  checkSchema: (object: KubeObject) => Promise<SchemaProblem[]>;
  /** After the schema checks: what they could not judge (CEL rules not checked), printed once. */
  schemaNotes: () => string[];
  /** Replaces the analysers (tests); by default every analyser sparc-mesh has. */
  analyzers?: (meshConfig: Record<string, unknown> | undefined) => Analyzer[];
  /** Times each phase (`SPARC_MESH_TIMING=1`); by default nothing is timed. */
  time?: PhaseTimer;
}

export const defaultValidateDeps: ValidateDeps = {
  readManifests,
  connect: (connection) => {
    assertSomeKubeconfig(connection, 'pass --kubeconfig FILE, or give manifest paths to analyse files instead of a cluster');
    return createKubeClient(connection);
  },
  readText: (file) => readFile(file, 'utf8'),
  checkSchema: checkObject,
  schemaNotes,
};

export interface ValidateResult {
  report: FindingsReport;
  /** Every analysed object, for printers that list passing resources too (JUnit). */
  resources: AnalysedResource[];
  /** File names that are not files (standard input), for printers that link to files (SARIF). */
  pseudoFiles: string[];
  /** 3 when a finding is at or above --fail-on, else 0. */
  exitCode: 0 | 3;
  /** For standard error (and --json warnings): what the run could not check. */
  notes: string[];
}

/**
 * Built-in kinds the analysers read (grep the analysers for byKind and kind checks when adding
 * one); mesh API groups are listed whole. ReplicaSets are left out: their Deployments and Pods say it all.
 */
const BUILTIN_KINDS: Record<string, string[]> = {
  '': ['Namespace', 'Service', 'Pod', 'ConfigMap', 'Secret', 'ServiceAccount', 'Node'],
  apps: ['Deployment', 'StatefulSet', 'DaemonSet'],
  batch: ['Job', 'CronJob'],
  'networking.k8s.io': ['NetworkPolicy'],
  'admissionregistration.k8s.io': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
};
const MESH_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io',
  'gateway.networking.k8s.io', 'gateway.networking.x-k8s.io', 'policy.linkerd.io', 'linkerd.io'];

export interface AnalyzerOptions {
  alphaAnnotations?: boolean;
  /** Only files are analysed, no cluster: Istio's analysers judge pods only where the files hold workloads. */
  filesOnly?: boolean;
}

export function defaultAnalyzers(meshConfig: Record<string, unknown> | undefined, options: AnalyzerOptions = {}): Analyzer[] {
  const analyzers = options.alphaAnnotations ? [...istioAnalyzers, ...optionalIstioAnalyzers] : undefined;
  const istioOptions = {...(meshConfig ? {meshConfig} : {}), ...(analyzers ? {analyzers} : {}), ...(options.filesOnly ? {filesOnly: true} : {})};
  return [{name: 'istio', analyze: (input: AnalysisInput) => analyzeIstio(input.objects, istioOptions)}, ...smAnalyzers];
}

/**
 * Schema findings for the objects read from files. Live objects are not checked: the API
 * server validated them when they were written.
 */
async function schemaFindings(objects: readonly SourcedObject[], checkSchema: ValidateDeps['checkSchema']): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const target of objects) {
    if (!target.source) continue;
    for (const problem of await checkSchema(target.object)) findings.push(schemaFinding(problem, target));
  }
  return findings;
}

/**
 * Moves findings that name a field from their object's first line to the field's line,
 * where the file's text shows it. A finding's line is its document's first line until
 * then; the items of a `kind: List` document share that line and keep it (their paths
 * start below the list).
 */
function atFieldLines(objects: readonly SourcedObject[], texts: ReadonlyMap<string, string> | undefined): (findings: Finding[]) => Finding[] {
  const perDocument = new Map<string, number>();
  const documentKey = (file: string, line: number) => `${line}\u0000${file}`;
  for (const {source} of objects) {
    if (source) perDocument.set(documentKey(source.file, source.line), (perDocument.get(documentKey(source.file, source.line)) ?? 0) + 1);
  }
  const finders = new Map<string, FieldLineFinder>();
  const finderFor = (file: string): FieldLineFinder | undefined => {
    const text = texts?.get(file);
    if (text === undefined) return undefined;
    if (!finders.has(file)) finders.set(file, fieldLines(text));
    return finders.get(file);
  };
  return (findings) => {
    for (const finding of findings) {
      const {field, file, line} = finding;
      if (!field || file === undefined || line === undefined || perDocument.get(documentKey(file, line)) !== 1) continue;
      finding.line = finderFor(file)?.(line, field) ?? line;
    }
    return findings;
  };
}

/** istioctl's --meshConfigFile holds a MeshConfig document; the `istio` ConfigMap holding one under `mesh` is accepted too. */
async function loadMeshConfig(file: string, readText: ValidateDeps['readText']): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    throw invalidFlag('mesh-config', file, `cannot be read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = yaml.load(text);
  } catch (error) {
    throw invalidFile(file, `is not YAML: ${(error as {reason?: string}).reason ?? (error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidFile(file, 'is not a MeshConfig document');
  const record = document as Record<string, unknown>;
  const data = record.kind === 'ConfigMap' ? (record.data as Record<string, unknown> | undefined) : undefined;
  if (data && typeof data.mesh === 'string') return loadMeshText(data.mesh, file);
  return record;
}

function loadMeshText(text: string, file: string): Record<string, unknown> {
  const mesh = yaml.load(text);
  if (typeof mesh !== 'object' || mesh === null) throw invalidFile(file, 'has a `mesh` key that is not a MeshConfig document');
  return mesh as Record<string, unknown>;
}

/**
 * What analysis needs of a live object: no managed fields, never a Secret's data, and of a
 * CRD only its identity (its schemas are megabytes that no analyser reads).
 */
function forAnalysis(object: KubeObject): KubeObject {
  const {managedFields: _managed, ...metadata} = object.metadata;
  const copy: KubeObject = {...object, metadata};
  const group = groupOf(object.apiVersion);
  if (object.kind === 'Secret' && group === '') {
    delete copy.data;
    delete copy.stringData;
  }
  if (object.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io') {
    const spec = (object.spec ?? {}) as Record<string, unknown>;
    copy.spec = {group: spec.group, names: spec.names, scope: spec.scope};
    delete copy.status;
  }
  return copy;
}

function identity(object: KubeObject): string {
  return [groupOf(object.apiVersion), object.kind, object.metadata.namespace ?? '', object.metadata.name ?? ''].join('\u0000');
}

function wantedTypes(types: readonly ResourceType[]): ResourceType[] {
  return types.filter((type) => MESH_GROUPS.includes(type.group) || (BUILTIN_KINDS[type.group] ?? []).includes(type.kind));
}

/**
 * Live objects: in one namespace (plus Istio's root namespace, which holds mesh-wide
 * policy) or in all. Types are listed in parallel; a failed list fails the run.
 */
async function listLive(client: KubeClient, namespaces: string[] | undefined): Promise<KubeObject[]> {
  const types = wantedTypes(await client.discover(['', ...Object.keys(BUILTIN_KINDS).filter(Boolean), ...MESH_GROUPS]));
  const calls = types.flatMap((type) => (!type.namespaced || namespaces === undefined
    ? [{type, scope: {}}]
    : namespaces.map((namespace) => ({type, scope: {namespace}}))));
  const lists = await Promise.all(calls.map(({type, scope}) => client.list(type, scope)));
  return lists.flat().map(forAnalysis);
}

function rootNamespace(meshConfig: Record<string, unknown> | undefined): string {
  return typeof meshConfig?.rootNamespace === 'string' ? meshConfig.rootNamespace : ISTIO_NAMESPACE;
}

interface Gathered {
  objects: SourcedObject[];
  texts?: ReadonlyMap<string, string>;
  inputFindings: Finding[];
  files: string[];
  skippedDocuments: number;
  isReported?: (finding: Finding) => boolean;
}

async function gather(input: Omit<ValidateInput, 'suppress' | 'failOn'>, deps: ValidateDeps, meshConfig: Record<string, unknown> | undefined): Promise<Gathered> {
  if (input.allNamespaces && input.namespace) throw invalidFlag('all-namespaces', true, 'cannot be combined with --namespace');
  const useFiles = input.paths.length > 0;
  if (input.cluster && !useFiles) throw invalidFlag('cluster', true, 'adds the live cluster to files, but no path was given', 'without paths, validate already analyses the live cluster');
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
  const namespace = input.allNamespaces ? undefined : input.namespace ?? (useFiles ? undefined : client.contextNamespace);
  const live = await time('list cluster', () => listLive(client, namespace === undefined ? undefined : [...new Set([namespace, rootNamespace(meshConfig)])]));
  // An object in the files replaces its live version: the files are what is about to be applied.
  const fromFiles = new Set(gathered.objects.map(({object}) => identity(object)));
  gathered.objects = [...gathered.objects, ...live.filter((object) => !fromFiles.has(identity(object))).map((object) => ({object}))];
  if (useFiles) gathered.isReported = (finding) => !finding.resource || finding.file !== undefined;
  else if (namespace !== undefined) {
    gathered.isReported = (finding) => !finding.resource || finding.resource.namespace === namespace
      || (finding.resource.kind === 'Namespace' && finding.resource.name === namespace);
  }
  return gathered;
}

/** Everything `validate reachability` needs: validate's inputs plus the model's filters. */
export interface ReachabilityInput extends Omit<ValidateInput, 'suppress' | 'failOn'> {
  from?: string;
  to?: string;
}

export interface ReachabilityResult {
  model: ReachabilityModel;
  /** YAML syntax errors: the model was built without those documents. */
  problems: Finding[];
}

export async function reachability(input: ReachabilityInput, deps: ValidateDeps = defaultValidateDeps): Promise<ReachabilityResult> {
  const meshConfig = input.meshConfigFile ? await loadMeshConfig(input.meshConfigFile, deps.readText) : undefined;
  const gathered = await gather(input, deps, meshConfig);
  const namespaces = gathered.objects.filter(({object}) => object.kind === 'Namespace' && object.apiVersion === 'v1').map(({object}) => object.metadata.name ?? '');
  const options: ReachabilityOptions = {};
  if (namespaces.length > 0) options.namespaces = namespaces;
  if (meshConfig) options.meshConfig = meshConfig;
  if (input.from) options.from = input.from;
  if (input.to) options.to = input.to;
  return {model: buildReachability(gathered.objects, options), problems: gathered.inputFindings};
}

export async function validate(input: ValidateInput, deps: ValidateDeps = defaultValidateDeps): Promise<ValidateResult> {
  const suppressions = parseSuppressions(input.suppress);
  const meshConfig = input.meshConfigFile ? await loadMeshConfig(input.meshConfigFile, deps.readText) : undefined;
  const gathered = await gather(input, deps, meshConfig);
  const filesOnly = input.paths.length > 0 && !input.cluster;
  const time = deps.time ?? untimed;
  const placed = atFieldLines(gathered.objects, gathered.texts);
  const analyzers = (deps.analyzers ? deps.analyzers(meshConfig) : defaultAnalyzers(meshConfig, {alphaAnnotations: input.alphaAnnotations, filesOnly}))
    .map((analyzer) => ({...analyzer, analyze: (analysed: AnalysisInput) => placed(time(`analyser ${analyzer.name}`, () => analyzer.analyze(analysed)))}));
  const schema = placed(await time('schema', () => schemaFindings(gathered.objects, deps.checkSchema)));
  const report = runAnalysis(meshConfig ? {objects: gathered.objects, meshConfig} : {objects: gathered.objects}, {
    analyzers,
    inputFindings: [...gathered.inputFindings, ...schema],
    suppressions,
    failOn: input.failOn,
    isReported: gathered.isReported,
    stats: {files: gathered.files.length, skippedDocuments: gathered.skippedDocuments},
  });
  const resources = gathered.objects.map(({object, source}) => (source ? {resource: refOf(object), file: source.file, line: source.line} : {resource: refOf(object)}));
  return {report, resources, pseudoFiles: [STDIN_NAME], exitCode: report.summary.failed ? 3 : 0, notes: deps.schemaNotes()};
}

/** The catalogue entry for a code; an unknown code is a usage error that lists the nearest ones. */
export function explainCode(code: string, rules: readonly RuleDoc[] = catalogue()): RuleDoc {
  const doc = findRule(code, rules);
  if (doc) return doc;
  const near = nearMatches(code, rules);
  throw new UsageError(`unknown code ${JSON.stringify(code)}${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`,
    'codes look like IST0101 or SM1001; every code validate reports is listed in docs/validate.md', 'UnknownCode');
}
