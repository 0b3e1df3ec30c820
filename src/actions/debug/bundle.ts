// `sparc-mesh debug bundle`: lists the namespaces as validate does (plus their Secrets as
// stored, so that redaction knows their values, and their events), runs validate's
// analysers, reads the proxies' and control planes' log tails and the mesh CLIs' checks,
// and writes the redacted archive.
import type {KubeClient, KubeConnection, ResourceType} from '../../adapters/kube/client.js';
import {writeGzipArchive} from '../../adapters/files/write-archive.js';
import {validateAnalyzers} from '../../core/analyze/all.js';
import {ISTIO_NAMESPACE} from '../../core/analyze/istio/create-context.js';
import {runAnalysis} from '../../core/analyze/run.js';
import {bundleFiles, type BundleManifest, type CollectedLog} from '../../core/debug/bundle.js';
import {CONTROL_PLANE_PODS, logTargets, type LogTarget} from '../../core/debug/log-plan.js';
import {tarArchive} from '../../core/debug/tar.js';
import type {KubeObject} from '../../core/objects.js';
import {ToolError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {settleAll} from '../settle-all.js';
import {listLive} from '../validate/live.js';
import {collectChecks, type MeshCheckInput} from './bundle-checks.js';
import {readLogTail} from './bundle-logs.js';

export interface BundleInput extends MeshCheckInput {
  connection: KubeConnection;
  /** Absent or empty: the context's namespace. */
  namespaces: string[];
  /** Absent: `sparc-mesh-bundle-<UTC time>.tar.gz` in the working directory. */
  file?: string;
  /** Lines of each container log's tail; absent: no logs. */
  tailLines?: number;
  /** Run the mesh CLIs' checks. */
  checks: boolean;
}

export interface BundleResult {
  file: string;
  manifest: BundleManifest;
}

export interface BundleDeps extends Pick<ActionDeps, 'connect' | 'now'> {
  writeArchive: (file: string, tar: Uint8Array) => Promise<void>;
}

export function bundleDeps(deps: Pick<ActionDeps, 'connect' | 'now'>): BundleDeps {
  return {connect: deps.connect, now: deps.now, writeArchive: writeGzipArchive};
}

const type = (kind: string, plural: string): ResourceType => ({group: '', version: 'v1', kind, plural,
  namespaced: true});
const POD = type('Pod', 'pods');
const SECRET = type('Secret', 'secrets');

/** Log requests in flight at once: as many as the client's connections to the API server. */
const LOG_CONCURRENCY = 8;

export function defaultBundleName(nowMs: number): string {
  return `sparc-mesh-bundle-${new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}Z.tar.gz`;
}

/** The control planes' pods, each selector listed in its namespace. */
async function controlPlanePods(client: KubeClient): Promise<KubeObject[]> {
  const lists = await Promise.all(
    CONTROL_PLANE_PODS.flatMap(({namespace, labelSelectors}) =>
      labelSelectors.map((labelSelector) => client.list(POD, {namespace, labelSelector}))
    ),
  );
  return lists.flat();
}

/**
 * Secrets of the control planes' namespaces whose logs are read, for their values only; a
 * namespace whose Secrets cannot be read keeps its logs out (their values could not be redacted).
 */
async function otherSecrets(client: KubeClient, namespaces: readonly string[]) {
  const secrets: KubeObject[] = [];
  const unreadable = new Map<string, string>();
  await Promise.all(namespaces.map(async (namespace) => {
    try {
      secrets.push(...await client.list(SECRET, {namespace}));
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      unreadable.set(namespace,
        `its namespace's Secrets cannot be read, so their values could not be redacted (${error.message})`);
    }
  }));
  return {secrets, unreadable};
}

async function collectLogs(client: KubeClient, targets: readonly LogTarget[], tailLines: number,
  unreadable: ReadonlyMap<string, string>): Promise<{logs: CollectedLog[]; notCollected: string[]}>
{
  const readable = targets.filter((target) => !unreadable.has(target.namespace));
  const outcomes = await settleAll(readable, LOG_CONCURRENCY, (target) => readLogTail(client, target, tailLines));
  const logs: CollectedLog[] = [];
  const notCollected = targets.filter((target) => unreadable.has(target.namespace))
    .map((target) => `${target.file}: ${unreadable.get(target.namespace) ?? ''}`);
  outcomes.forEach((outcome, index) => {
    const target = readable[index]!;
    if (outcome.status === 'fulfilled') logs.push({...target, ...outcome.value});
    else if (outcome.reason instanceof ToolError) notCollected.push(`${target.file}: ${outcome.reason.message}`);
    else throw outcome.reason;
  });
  return {logs, notCollected};
}

export async function debugBundle(input: BundleInput, deps: BundleDeps): Promise<BundleResult> {
  const client = await deps.connect(input.connection);
  const namespaces = input.namespaces.length > 0 ? [...new Set(input.namespaces)] : [client.contextNamespace];
  const [listed, secrets, events, controlPlane] = await Promise.all([
    listLive(client, [...new Set([...namespaces, ISTIO_NAMESPACE])]),
    Promise.all(namespaces.map((namespace) => client.list(SECRET, {namespace}))),
    Promise.all(namespaces.map((namespace) => client.list(type('Event', 'events'), {namespace}))),
    controlPlanePods(client),
  ]);
  // The listing drops Secrets' data; the stored Secrets replace those copies, to be redacted with their values known.
  const objects: KubeObject[] = [
    ...listed.filter((object) => !(object.kind === 'Secret' && object.apiVersion === 'v1')),
    ...secrets.flat(),
  ];
  const targets = input.tailLines === undefined
    ? []
    : logTargets([...objects.filter((object) => object.kind === 'Pod' && object.apiVersion === 'v1'), ...controlPlane],
      namespaces);
  const logNamespaces = [...new Set(targets.map((target) => target.namespace))]
    .filter((namespace) => !namespaces.includes(namespace));
  const [checks, {other, collected}] = await Promise.all([
    input.checks ? collectChecks(input, controlPlane) : {checks: [], notCollected: ['mesh CLI checks: not asked for']},
    otherSecrets(client, logNamespaces).then(async (other) => ({other,
      collected: await collectLogs(client, targets, input.tailLines ?? 0, other.unreadable)})
    ),
  ]);
  const findings = runAnalysis({objects: objects.map((object) => ({object})), namespaces}, {
    analyzers: validateAnalyzers(undefined),
    failOn: 'error',
    isReported: (finding) => !finding.resource?.namespace || namespaces.includes(finding.resource.namespace),
  });
  const collectedAtMs = deps.now();
  const {files, manifest} = bundleFiles({namespaces, objects, events: events.flat(), findings, collectedAtMs,
    logs: collected.logs, checks: checks.checks, otherSecrets: other.secrets,
    notCollected: [...(input.tailLines === undefined ? ['container logs: not asked for'] : []),
      ...collected.notCollected, ...checks.notCollected]});
  const file = input.file ?? defaultBundleName(collectedAtMs);
  await deps.writeArchive(file, tarArchive(files, collectedAtMs));
  return {file, manifest};
}
