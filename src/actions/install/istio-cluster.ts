// `install istio` against a cluster: pre-checks, then the rendered IstioOperator through
// istioctl (which waits for the control plane to be ready), then the platform baseline by
// server-side apply (all or nothing, as onboard applies). Re-running finishes an install
// that stopped half-way: istioctl install is idempotent and so is server-side apply.
import {PreconditionError} from '../../errors.js';
import {servedType, type KubeClient, type KubeConnection} from '../../adapters/kube/client.js';
import {helmUpgradeInstall} from '../../adapters/tools/helm.js';
import {istioctlInstall, istioctlRelease} from '../../adapters/tools/istioctl.js';
import {istioHelmReleases} from '../../core/install/istio-helm.js';
import {displayName, refOf, type KubeObject} from '../../core/objects.js';
import {DEFAULT_REVISION, parseIstioVersion, type IstioVersion} from '../../core/install/istio-versions.js';
import type {ApplySummary} from '../../core/apply/results.js';
import {applyObjects} from '../apply/apply.js';
import type {ActionDeps} from '../deps.js';
import {istioPrechecks, type Precheck} from './prechecks.js';

export type InstallMode = 'apply' | 'server-dry-run';

/** How the control plane goes in: istioctl (its version is the one installed), or Istio's Helm charts at a given version. */
export type InstallMethod =
  | {method: 'istioctl'; binary: string}
  | {method: 'helm'; binary: string; charts: string; version: string};

export interface IstioClusterInput {
  /** Rendered by renderInstall: the IstioOperator and the baseline. */
  objects: readonly KubeObject[];
  connection: KubeConnection;
  via: InstallMethod;
  mode: InstallMode;
  force: boolean;
  readinessTimeoutMs: number;
}

export interface IstioClusterResult {
  mode: InstallMode;
  version: string;
  revision: string;
  prechecks: Precheck[];
  baseline: ApplySummary;
}

/** Objects whose kind the server does not serve yet (their CRDs come with the control plane). */
async function unserved(client: KubeClient, objects: readonly KubeObject[]): Promise<Set<KubeObject>> {
  const types = await Promise.all(objects.map((object) => servedType(client, object.apiVersion, object.kind)));
  return new Set(objects.filter((_, index) => !types[index]));
}

/** The Istio release the method installs. */
async function versionOf(via: InstallMethod): Promise<IstioVersion> {
  if (via.method === 'helm') {
    const version = parseIstioVersion(via.version);
    if (!version) {
      throw new PreconditionError(`--istio-version: ${JSON.stringify(via.version)} is not an Istio version`,
        'write it as 1.30.4');
    }
    return version;
  }
  return istioctlRelease(via.binary);
}

/** The control plane through istioctl, or through Istio's charts one release after another (base first: it holds the CRDs). */
async function installControlPlane(input: IstioClusterInput, operator: KubeObject, version: IstioVersion,
  progress: (line: string) => void): Promise<void>
{
  const dryRun = input.mode === 'server-dry-run';
  const {via} = input;
  if (via.method === 'istioctl') {
    return istioctlInstall({binary: via.binary, connection: input.connection, onLine: progress}, {operator, dryRun,
      readinessTimeoutMs: input.readinessTimeoutMs});
  }
  const helm = {binary: via.binary, connection: input.connection, charts: via.charts, version: via.version,
    onLine: progress};
  for (const release of istioHelmReleases(operator, version.text)) {
    progress(
      `helm: release ${release.name} (chart ${release.chart}) in ${release.namespace}${
        dryRun ? ' (server dry run)' : ''
      }`,
    );
    await helmUpgradeInstall(helm, release, {dryRun, timeoutMs: input.readinessTimeoutMs});
  }
}

export async function installIstioToCluster(input: IstioClusterInput,
  deps: Pick<ActionDeps, 'connect' | 'progress'>): Promise<IstioClusterResult>
{
  const {progress} = deps;
  const operator = input.objects.find((object) => object.kind === 'IstioOperator');
  if (!operator) throw new Error('the rendered install has no IstioOperator');
  const baseline = input.objects.filter((object) => object !== operator);
  const version = await versionOf(input.via);
  const revision = (operator.spec as {revision?: string} | undefined)?.revision || DEFAULT_REVISION;
  const dryRun = input.mode === 'server-dry-run';

  const client = await deps.connect(input.connection);
  const {checks} = await istioPrechecks(client, {version, revision,
    namespace: operator.metadata.namespace ?? 'istio-system', baseline});
  for (const check of checks) progress(`pre-check ${check.name}: ${check.message}`);

  progress(`${input.via.method} ${version.text}: installing revision ${revision}${dryRun ? ' (dry run)' : ''}`);
  await installControlPlane(input, operator, version, progress);

  const pending = dryRun ? await unserved(client, baseline) : new Set<KubeObject>();
  const applied = await applyObjects(client, {
    objects: baseline.filter((object) => !pending.has(object)),
    force: input.force,
    dryRun,
    onObject: (result) => progress(`${displayName(result.ref)} ${result.action}${dryRun ? ' (server dry run)' : ''}`),
  });
  if (pending.size) {
    applied.notes.push(
      `not checked by the API server, because their CRDs come with the control plane: ${
        [...pending].map((object) => displayName(refOf(object))).join(', ')
      }`,
    );
  }
  return {mode: input.mode, version: version.text, revision, prechecks: checks, baseline: applied};
}
