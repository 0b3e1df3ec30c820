// helm, as install uses it: `helm upgrade --install` (idempotent: a re-run upgrades the
// release to the same values) with its values in a 0600 file (withInputFile).
// Charts come from a repository URL (Istio publishes https://istio-release.storage.googleapis.com/charts)
// or a local directory holding one folder per chart.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import type {KubeConnection} from '../kube/client.js';
import type {HelmRelease} from '../../core/install/istio-helm.js';
import {connectionArgs, runTool, withInputFile} from './run-tool.js';

export interface Helm {
  binary: string;
  connection: KubeConnection;
  /** A chart repository URL, or a directory of chart folders. */
  charts: string;
  /** Chart version to ask a repository for. */
  version?: string;
  onLine?: (line: string) => void;
}

const isRepository = (charts: string) => /^(https?|oci):\/\//.test(charts);

/** Where a chart is in a local directory: its own folder, or Istio's source layout (istio-control/istio-discovery). */
function localChart(dir: string, chart: HelmRelease['chart']): string {
  const candidates = chart === 'istiod' ? [join(dir, 'istiod'), join(dir, 'istio-control', 'istio-discovery')] : [join(dir, chart)];
  return candidates.find((candidate) => existsSync(join(candidate, 'Chart.yaml'))) ?? candidates[0]!;
}

function chartArgs(helm: Helm, chart: HelmRelease['chart']): string[] {
  if (!isRepository(helm.charts)) return [localChart(helm.charts, chart)];
  return [chart, '--repo', helm.charts, ...(helm.version ? ['--version', helm.version] : [])];
}

export interface ReleaseOptions {
  dryRun: boolean;
  timeoutMs: number;
}

export async function helmUpgradeInstall(helm: Helm, release: HelmRelease, options: ReleaseOptions): Promise<void> {
  const seconds = Math.ceil(options.timeoutMs / 1000);
  await withInputFile('values.yaml', release.values, (values) => runTool({
    tool: 'helm', binary: helm.binary, onLine: helm.onLine, timeoutMs: options.timeoutMs + 60_000,
    args: ['upgrade', '--install', release.name, ...chartArgs(helm, release.chart), '--namespace', release.namespace, '--create-namespace',
      '--values', values, '--wait', `--timeout=${seconds}s`, ...(options.dryRun ? ['--dry-run=server'] : []), ...connectionArgs(helm.connection, '--kube-context')],
  }));
}
