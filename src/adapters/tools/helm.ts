// helm, as install uses it: `helm upgrade --install` (idempotent: a re-run upgrades the
// release to the same values) with its values in a 0600 file (withInputFile).
// Charts come from a repository URL (Istio publishes https://istio-release.storage.googleapis.com/charts)
// or a local directory holding one folder or one packaged archive (CHART-VERSION.tgz) per chart.
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {isDeepStrictEqual} from 'node:util';
import {join} from 'node:path';
import type {KubeConnection} from '../kube/client.js';
import type {HelmRelease} from '../../core/install/istio-helm.js';
import {UsageError} from '../../errors.js';
import {connectionArgs, runTool, withInputFile} from './run-tool.js';

export interface Helm {
  binary: string;
  connection: KubeConnection;
  /** A chart repository URL, or a directory of chart folders. */
  charts: string;
  /** Chart version to ask a repository for. */
  version?: string;
  /**
   * sha256 of the packaged archive `<chart>-<version>.tgz`. With a local directory only that
   * archive is used, and only when its digest matches (an air-gapped copy must be the pinned one).
   */
  sha256?: string;
  onLine?: (line: string) => void;
}

const isRepository = (charts: string) => /^(https?|oci):\/\//.test(charts);

/** Where a chart is in a local directory: its own folder, Istio's source layout (istio-control/istio-discovery), or its archive at the version asked for. */
function localChart(dir: string, chart: string, version: string | undefined): string {
  const folders = chart === 'istiod'
    ? [join(dir, 'istiod'), join(dir, 'istio-control', 'istio-discovery')]
    : [join(dir, chart)];
  const folder = folders.find((candidate) => existsSync(join(candidate, 'Chart.yaml')));
  const archive = version === undefined ? undefined : join(dir, `${chart}-${version}.tgz`);
  return folder ?? (archive && existsSync(archive) ? archive : folders[0]!);
}

/** The archive of a chart in a local directory, refused unless its sha256 is the pinned one. */
function verifiedArchive(dir: string, chart: string, version: string | undefined, sha256: string): string {
  const archive = join(dir, `${chart}-${version ?? ''}.tgz`);
  if (!existsSync(archive)) {
    throw new UsageError(`--chart-dir: ${archive} is missing`,
      `put the packaged chart ${chart} ${version ?? ''} there (helm pull ${chart} --version ${version ?? ''})`,
      'MissingChart');
  }
  const actual = createHash('sha256').update(readFileSync(archive)).digest('hex');
  if (actual !== sha256) {
    throw new UsageError(`--chart-dir: ${archive} has sha256 ${actual}; sparc-mesh pins ${sha256}`,
      'use the archive of the pinned release (docs/observability.md lists them)', 'ChartDigestMismatch');
  }
  return archive;
}

function chartArgs(helm: Helm, chart: string): string[] {
  if (!isRepository(helm.charts) && helm.sha256) {
    return [verifiedArchive(helm.charts, chart, helm.version, helm.sha256)];
  }
  if (!isRepository(helm.charts)) return [localChart(helm.charts, chart, helm.version)];
  return [chart, '--repo', helm.charts, ...(helm.version ? ['--version', helm.version] : [])];
}

export interface ReleaseOptions {
  dryRun: boolean;
  timeoutMs: number;
}

/** `helm template`: what a release would apply, rendered by helm alone (no cluster is asked). */
export async function helmTemplate(helm: Helm, release: HelmRelease): Promise<string> {
  return withInputFile('values.yaml', release.values, async (values) =>
    (await runTool({
      tool: 'helm',
      binary: helm.binary,
      timeoutMs: 120_000,
      args: ['template', release.name, ...chartArgs(helm, release.chart), '--namespace', release.namespace, '--values',
        values],
    })).stdout);
}

export async function helmUpgradeInstall(helm: Helm, release: HelmRelease, options: ReleaseOptions): Promise<void> {
  const seconds = Math.ceil(options.timeoutMs / 1000);
  await withInputFile('values.yaml', release.values, (values) => runTool({
    tool: 'helm',
    binary: helm.binary,
    onLine: helm.onLine,
    timeoutMs: options.timeoutMs + 60_000,
    args: ['upgrade', '--install', release.name, ...chartArgs(helm, release.chart), '--namespace', release.namespace,
      '--create-namespace', '--values', values, '--wait', `--timeout=${seconds}s`,
      ...(options.dryRun ? ['--dry-run=server'] : []), ...connectionArgs(helm.connection, '--kube-context')],
  }));
}

/**
 * Whether `release` is deployed from its chart at `version` with exactly its values. Some
 * charts (Linkerd's) generate certificates on every render, so an upgrade to the same
 * release would still change the cluster: a re-run leaves such a release alone.
 */
export async function helmReleaseCurrent(helm: Helm, release: HelmRelease, version: string): Promise<boolean> {
  const scope = ['--namespace', release.namespace, ...connectionArgs(helm.connection, '--kube-context')];
  const listed = await runTool({tool: 'helm', binary: helm.binary, timeoutMs: 60_000,
    args: ['list', '--filter', `^${release.name}$`, '--output', 'json', ...scope]});
  const found = (JSON.parse(listed.stdout) as {name: string; status: string; chart: string}[]).find((entry) =>
    entry.name === release.name
  );
  if (found?.status !== 'deployed' || found.chart !== `${release.chart}-${version}`) return false;
  const values = await runTool({tool: 'helm', binary: helm.binary, timeoutMs: 60_000,
    args: ['get', 'values', release.name, '--output', 'json', ...scope]});
  return isDeepStrictEqual(JSON.parse(values.stdout) ?? {}, JSON.parse(JSON.stringify(release.values)));
}

/** A release as `helm list` reports it. */
export interface ListedRelease {
  name: string;
  namespace: string;
  status: string;
  /** `<chart>-<version>`. */
  chart: string;
  app_version: string;
}

/** Every release in the cluster (`helm list --all-namespaces`), failed and pending ones included. */
export async function helmListAll(helm: Pick<Helm, 'binary' | 'connection'>): Promise<ListedRelease[]> {
  const listed = await runTool({tool: 'helm', binary: helm.binary, timeoutMs: 60_000,
    args: ['list', '--all-namespaces', '--all', '--output', 'json',
      ...connectionArgs(helm.connection, '--kube-context')]});
  return JSON.parse(listed.stdout) as ListedRelease[];
}
