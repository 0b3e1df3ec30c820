// `sparc-mesh debug bundle`: lists the namespaces as validate does (plus their Secrets as
// stored, so that redaction knows their values, and their events), runs validate's
// analysers, and writes the redacted archive.
import type {KubeConnection} from '../../adapters/kube/client.js';
import {writeGzipArchive} from '../../adapters/files/write-archive.js';
import {validateAnalyzers} from '../../core/analyze/all.js';
import {ISTIO_NAMESPACE} from '../../core/analyze/istio/create-context.js';
import {runAnalysis} from '../../core/analyze/run.js';
import {bundleFiles, type BundleManifest} from '../../core/debug/bundle.js';
import {tarArchive} from '../../core/debug/tar.js';
import type {KubeObject} from '../../core/objects.js';
import type {ActionDeps} from '../deps.js';
import {listLive} from '../validate/live.js';

export interface BundleInput {
  connection: KubeConnection;
  /** Absent or empty: the context's namespace. */
  namespaces: string[];
  /** Absent: `sparc-mesh-bundle-<UTC time>.tar.gz` in the working directory. */
  file?: string;
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

const type = (kind: string, plural: string) => ({group: '', version: 'v1', kind, plural, namespaced: true});

/** What the archive lacks, said in its manifest rather than left to be guessed. */
const NOT_COLLECTED = [
  'proxy and control-plane log tails: this version reads no container logs (use kubectl logs POD -c istio-proxy --tail 200)',
  'istioctl/linkerd check output: run `linkerd check` or `istioctl analyze` beside the bundle',
];

export function defaultBundleName(nowMs: number): string {
  return `sparc-mesh-bundle-${new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}Z.tar.gz`;
}

export async function debugBundle(input: BundleInput, deps: BundleDeps): Promise<BundleResult> {
  const client = await deps.connect(input.connection);
  const namespaces = input.namespaces.length > 0 ? [...new Set(input.namespaces)] : [client.contextNamespace];
  const [listed, secrets, events] = await Promise.all([
    listLive(client, [...new Set([...namespaces, ISTIO_NAMESPACE])]),
    Promise.all(namespaces.map((namespace) => client.list(type('Secret', 'secrets'), {namespace}))),
    Promise.all(namespaces.map((namespace) => client.list(type('Event', 'events'), {namespace}))),
  ]);
  // The listing drops Secrets' data; the stored Secrets replace those copies, to be redacted with their values known.
  const objects: KubeObject[] = [
    ...listed.filter((object) => !(object.kind === 'Secret' && object.apiVersion === 'v1')),
    ...secrets.flat(),
  ];
  const findings = runAnalysis({objects: objects.map((object) => ({object})), namespaces}, {
    analyzers: validateAnalyzers(undefined),
    failOn: 'error',
    isReported: (finding) => !finding.resource?.namespace || namespaces.includes(finding.resource.namespace),
  });
  const collectedAtMs = deps.now();
  const {files, manifest} = bundleFiles({namespaces, objects, events: events.flat(), findings, collectedAtMs,
    notCollected: NOT_COLLECTED});
  const file = input.file ?? defaultBundleName(collectedAtMs);
  await deps.writeArchive(file, tarArchive(files, collectedAtMs));
  return {file, manifest};
}
