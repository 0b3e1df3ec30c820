// `install linkerd` against a cluster: pre-checks; then, before anything is written, the
// control plane is rendered against the server (helm's dry run, which validates every
// object: a broken chart value stops here); then the CRDs, the control plane's namespace
// with the identity Secret and ConfigMaps (server-side apply), the control plane, and the
// platform baseline. It ends with the real `linkerd check`, every check a row. Re-running
// finishes an install that stopped half-way: helm upgrade --install and server-side apply
// are both idempotent.
import {servedType, type KubeClient, type KubeConnection} from '../../adapters/kube/client.js';
import {helmReleaseCurrent, helmTemplate, helmUpgradeInstall, type Helm} from '../../adapters/tools/helm.js';
import type {HelmRelease} from '../../core/install/istio-helm.js';
import {linkerdCheck, linkerdClientVersion, linkerdInstallManifest,
  type Linkerd} from '../../adapters/tools/linkerd.js';
import {PreconditionError, UsageError} from '../../errors.js';
import {summarize, type ApplySummary} from '../../core/apply/results.js';
import type {LinkerdCheckReport} from '../../core/install/linkerd-check.js';
import {keepInstalledIdentity, LINKERD_NAMESPACE, LINKERD_RELEASE, linkerdHelmReleases, splitLinkerdInstall,
  type LinkerdInstallParts} from '../../core/install/linkerd-install.js';
import {displayName, refOf, type KubeObject} from '../../core/objects.js';
import {applyObjects} from '../apply/apply.js';
import {checkedToolOutput} from '../render-check.js';
import type {ActionDeps} from '../deps.js';
import type {InstallMode} from './istio-cluster.js';
import {ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP, VALUES_CONFIGMAP} from './linkerd-certs.js';
import {linkerdPrechecks} from './linkerd-prechecks.js';
import type {Precheck} from './prechecks.js';

/** How the CRDs and control plane go in: Linkerd's charts through helm, or the linkerd binary's own manifests. */
export type LinkerdInstallMethod =
  | {method: 'helm'; binary: string; charts: string}
  | {method: 'cli'};

export interface LinkerdClusterInput {
  /** Rendered by renderInstall with the identity added; the issuer Secret holds its real key. */
  objects: readonly KubeObject[];
  connection: KubeConnection;
  via: LinkerdInstallMethod;
  /** Generated identity yields to one the cluster has already; identity from files replaces it. */
  identitySource: 'generated' | 'files';
  /** The linkerd executable: `check --pre`, `check`, and the manifests of --method cli. */
  linkerd: string;
  mode: InstallMode;
  force: boolean;
  readinessTimeoutMs: number;
}

export interface LinkerdClusterResult {
  mode: InstallMode;
  method: LinkerdInstallMethod['method'];
  version: string;
  prechecks: Precheck[];
  /** `linkerd check --pre`, when it ran (a cluster without Linkerd, the binary there). */
  preCheck?: LinkerdCheckReport['rows'];
  /** The control plane's namespace, identity Secret and ConfigMaps (and, with --method cli, Linkerd's own objects). */
  controlPlane: ApplySummary;
  baseline: ApplySummary;
  /** `linkerd check` after the install; absent after a dry run or without the binary. */
  check?: LinkerdCheckReport;
  notes: string[];
}

export type Progress = (line: string) => void;

/** Server-side apply of Linkerd's and sparc-mesh's objects, each said as progress. */
export function applier(client: KubeClient, input: Pick<LinkerdClusterInput, 'mode' | 'force'>, progress: Progress) {
  const dryRun = input.mode === 'server-dry-run';
  return (objects: readonly KubeObject[]) => applyObjects(client, {
    objects,
    force: input.force,
    dryRun,
    onObject: (result) => progress(`${displayName(result.ref)} ${result.action}${dryRun ? ' (server dry run)' : ''}`),
  });
}

/** Kinds the server does not serve yet, left out of a server dry run (their CRDs come with the install). */
async function splitServed(client: KubeClient,
  objects: readonly KubeObject[]): Promise<{served: KubeObject[]; pending: KubeObject[]}>
{
  const types = await Promise.all(objects.map((object) => servedType(client, object.apiVersion, object.kind)));
  return {served: objects.filter((_, index) => types[index]), pending: objects.filter((_, index) => !types[index])};
}

const LINKERD_VALUES_HINT = 'fix the Linkerd values (sparc-mesh.yaml, or linkerd/control-plane.yaml under --templates)';

/** Linkerd's objects as helm or linkerd rendered them; refused when one fails its schema (a value of the wrong type or shape). */
export const checkedObjects = (source: string, manifest: string) =>
  checkedToolOutput(source, manifest, LINKERD_VALUES_HINT);

type HelmMethod = Extract<LinkerdInstallMethod, {method: 'helm'}>;

/** helm as the install and the upgrade of Linkerd's charts run it: the pinned chart version, from the repository or --chart-dir. */
export function linkerdHelm(connection: KubeConnection, via: HelmMethod, progress: Progress): Helm {
  return {binary: via.binary, connection, charts: via.charts, version: LINKERD_RELEASE.chartVersion, onLine: progress};
}

/** Every release rendered by helm and its objects checked against their schemas, before anything is written: a broken value changes nothing. */
export async function checkLinkerdReleases(helm: Helm, releases: readonly HelmRelease[],
  progress: Progress): Promise<void>
{
  for (const release of releases) {
    progress(
      `helm: rendering release ${release.name} (chart ${release.chart} ${LINKERD_RELEASE.chartVersion}) and checking its objects`,
    );
    await checkedObjects(`chart ${release.chart}`, await helmTemplate(helm, release));
  }
}

/**
 * `helm upgrade --install` of a release, unless it is deployed from this chart version with
 * these values already: Linkerd's charts make new webhook certificates on every render, so an
 * upgrade to the same release would still change a working control plane.
 */
export async function upgradeLinkerdRelease(helm: Helm, release: HelmRelease, timeoutMs: number,
  progress: Progress): Promise<void>
{
  if (await helmReleaseCurrent(helm, release, LINKERD_RELEASE.chartVersion)) {
    progress(
      `helm: release ${release.name} is deployed from chart ${release.chart} ${LINKERD_RELEASE.chartVersion} with these values: left as it is`,
    );
    return;
  }
  progress(`helm: release ${release.name}`);
  await helmUpgradeInstall(helm, release, {dryRun: false, timeoutMs});
}

async function installWithHelm(input: LinkerdClusterInput, values: Record<string, unknown>, via: HelmMethod,
  applyIdentity: () => Promise<ApplySummary>, progress: Progress): Promise<ApplySummary>
{
  const helm = linkerdHelm(input.connection, via, progress);
  const releases = linkerdHelmReleases(values);
  const timeoutMs = input.readinessTimeoutMs;
  await checkLinkerdReleases(helm, releases, progress);
  if (input.mode === 'server-dry-run') {
    // A dry run prints the whole manifest: not progress.
    for (const release of releases) {
      await helmUpgradeInstall({...helm, onLine: undefined}, release, {dryRun: true, timeoutMs});
    }
    return applyIdentity();
  }
  const [crds, controlPlane] = releases;
  await upgradeLinkerdRelease(helm, crds!, timeoutMs, progress);
  const identity = await applyIdentity();
  await upgradeLinkerdRelease(helm, controlPlane!, timeoutMs, progress);
  return identity;
}

async function installWithCli(client: KubeClient, input: LinkerdClusterInput, linkerd: Linkerd,
  parts: LinkerdInstallParts, controlPlaneRuns: boolean, progress: Progress): Promise<ApplySummary>
{
  const apply = applier(client, input, progress);
  if (controlPlaneRuns) {
    // linkerd install refuses a cluster that has Linkerd, and generates new webhook certificates on every run:
    // a running control plane of this release is left as it is.
    const identityApplied = await apply(parts.identity);
    return summarize(identityApplied.objects, [
      `Linkerd ${LINKERD_RELEASE.version} already runs in ${LINKERD_NAMESPACE}: its CRDs and control plane were left as they are (linkerd install would replace its webhook certificates)`,
    ]);
  }
  progress('linkerd install --crds');
  const crds = await checkedObjects('linkerd install --crds', await linkerdInstallManifest(linkerd, {crds: true}));
  const crdsApplied = await apply(crds);
  const identityApplied = await apply(parts.identity);
  if (input.mode === 'server-dry-run') {
    return summarize([...crdsApplied.objects, ...identityApplied.objects], [
      'linkerd install (the control plane) was not rendered: it reads the issuer Secret and the CRDs from the cluster, which a dry run does not write',
    ]);
  }
  progress('linkerd install');
  // The namespace is install's own (applied with the identity, the same labels): applied twice by one field manager, the second would drop the first's labels.
  const controlPlane =
    (await checkedObjects('linkerd install', await linkerdInstallManifest(linkerd, {values: parts.values})))
      .filter((object) => !(object.kind === 'Namespace' && object.metadata.name === LINKERD_NAMESPACE));
  const controlPlaneApplied = await apply(controlPlane);
  return summarize([...crdsApplied.objects, ...identityApplied.objects, ...controlPlaneApplied.objects]);
}

async function versionOf(input: LinkerdClusterInput): Promise<string> {
  if (input.via.method === 'helm') return LINKERD_RELEASE.version;
  const version = await linkerdClientVersion(input.linkerd);
  if (version !== LINKERD_RELEASE.version) {
    throw new PreconditionError(
      `${input.linkerd} installs Linkerd ${version}; this sparc-mesh installs ${LINKERD_RELEASE.version}`,
      `pass --linkerd PATH to the linkerd ${LINKERD_RELEASE.version} binary, or use --method helm`,
    );
  }
  return version;
}

/** `linkerd check` after the install; a missing binary is a note, not a failure. */
export async function finalCheck(linkerd: Linkerd, waitMs: number,
  notes: string[]): Promise<LinkerdCheckReport | undefined>
{
  try {
    return await linkerdCheck(linkerd, {scope: 'all', waitMs});
  } catch (error) {
    if (!(error instanceof UsageError && error.code === 'ToolNotFound')) throw error;
    notes.push(`linkerd check did not run: ${error.message}`);
    return undefined;
  }
}

export const IDENTITY_NAMES = {valuesConfigMap: VALUES_CONFIGMAP, issuerSecret: ISSUER_SECRET,
  trustRootsConfigMap: TRUST_ROOTS_CONFIGMAP};

/** The trust anchors of the identity the cluster has, when it has both the issuer Secret and the trust roots. */
export async function installedTrustAnchors(client: KubeClient): Promise<string | undefined> {
  const [secret, roots] = await Promise.all([
    client.get({apiVersion: 'v1', kind: 'Secret', namespace: LINKERD_NAMESPACE, name: ISSUER_SECRET}),
    client.get({apiVersion: 'v1', kind: 'ConfigMap', namespace: LINKERD_NAMESPACE, name: TRUST_ROOTS_CONFIGMAP}),
  ]);
  const anchors = (roots as {data?: Record<string, string>} | undefined)?.data?.['ca-bundle.crt'];
  return secret && anchors ? anchors : undefined;
}

export async function installLinkerdToCluster(input: LinkerdClusterInput,
  deps: Pick<ActionDeps, 'connect' | 'progress'>): Promise<LinkerdClusterResult>
{
  const {progress} = deps;
  const dryRun = input.mode === 'server-dry-run';
  const rendered = splitLinkerdInstall(input.objects, IDENTITY_NAMES);
  const version = await versionOf(input);
  const linkerd = {binary: input.linkerd, connection: input.connection};

  const client = await deps.connect(input.connection);
  const pre = await linkerdPrechecks(client, {version, objects: [...rendered.identity, ...rendered.baseline], linkerd});
  for (const check of pre.checks) progress(`pre-check ${check.name}: ${check.message}`);
  const notes: string[] = [];
  const installedAnchors = input.identitySource === 'generated' ? await installedTrustAnchors(client) : undefined;
  const parts = installedAnchors ? keepInstalledIdentity(rendered, IDENTITY_NAMES, installedAnchors) : rendered;
  if (installedAnchors) {
    notes.push(
      `kept the cluster's identity (Secret ${LINKERD_NAMESPACE}/${ISSUER_SECRET} and ConfigMap ${LINKERD_NAMESPACE}/${TRUST_ROOTS_CONFIGMAP}); the generated credentials were not used`,
    );
  }

  progress(`${input.via.method}: installing Linkerd ${version}${dryRun ? ' (dry run)' : ''}`);
  const apply = applier(client, input, progress);
  const controlPlane = input.via.method === 'helm'
    ? await installWithHelm(input, parts.values, input.via, () => apply(parts.identity), progress)
    : await installWithCli(client, input, linkerd, parts, pre.installed.length > 0, progress);

  const {served, pending} = dryRun ? await splitServed(client, parts.baseline) : {served: parts.baseline, pending: []};
  const baseline = await apply(served);
  if (pending.length) {
    baseline.notes.push(
      `not checked by the API server, because their CRDs come with the control plane: ${
        pending.map((object) => displayName(refOf(object))).join(', ')
      }`,
    );
  }
  notes.push(...controlPlane.notes, ...baseline.notes);
  const check = dryRun ? undefined : await finalCheck(linkerd, input.readinessTimeoutMs, notes);
  return {
    mode: input.mode,
    method: input.via.method,
    version,
    prechecks: pre.checks,
    ...(pre.preRows && {preCheck: pre.preRows}),
    controlPlane,
    baseline,
    ...(check && {check}),
    notes,
  };
}
