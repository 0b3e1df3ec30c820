// istioctl, as install and upgrade use it. The IstioOperator goes to istioctl as a file
// (withInputFile: 0600, in a private temporary directory, removed afterwards).
import type {KubeConnection} from '../kube/client.js';
import type {KubeObject} from '../../core/objects.js';
import {runTool, withInputFile} from './run-tool.js';

export interface Istioctl {
  binary: string;
  connection: KubeConnection;
  /** Progress: each line istioctl prints. */
  onLine?: (line: string) => void;
}

/** istioctl draws its logo in ASCII art before a dry run; progress wants its words only. */
const hasWords = (line: string) => /[A-Za-z]/.test(line);

function progressOf(istioctl: Istioctl): ((line: string) => void) | undefined {
  const {onLine} = istioctl;
  return onLine && ((line) => hasWords(line) && onLine(line.trim()));
}

function connectionArgs(connection: KubeConnection): string[] {
  return [...(connection.kubeconfig ? ['--kubeconfig', connection.kubeconfig] : []), ...(connection.context ? ['--context', connection.context] : [])];
}

/** The version of the istioctl binary itself (`istioctl version --remote=false`). */
export async function istioctlVersion(binary: string): Promise<string> {
  const {stdout} = await runTool({tool: 'istioctl', binary, args: ['version', '--remote=false', '-o', 'json'], timeoutMs: 30_000});
  return (JSON.parse(stdout) as {clientVersion?: {version?: string}}).clientVersion?.version ?? '';
}

export interface InstallOptions {
  operator: KubeObject;
  dryRun: boolean;
  readinessTimeoutMs: number;
}

/** `istioctl install -f OPERATOR -y`: installs or updates the control plane and waits for it to be ready. */
export async function istioctlInstall(istioctl: Istioctl, options: InstallOptions): Promise<void> {
  const seconds = Math.ceil(options.readinessTimeoutMs / 1000);
  await withInputFile('istio-operator.yaml', options.operator, (file) => runTool({
    tool: 'istioctl', binary: istioctl.binary, onLine: progressOf(istioctl),
    args: ['install', '-f', file, '--skip-confirmation', `--readiness-timeout=${seconds}s`, ...(options.dryRun ? ['--dry-run'] : []), ...connectionArgs(istioctl.connection)],
    // istioctl waits per component; the limit covers all of them and the apply itself.
    timeoutMs: options.readinessTimeoutMs * 4 + 60_000,
  }));
}

/** `istioctl uninstall --revision R -y`: removes one control-plane revision (shared resources stay). */
export async function istioctlUninstallRevision(istioctl: Istioctl, revision: string): Promise<void> {
  await runTool({tool: 'istioctl', binary: istioctl.binary, onLine: progressOf(istioctl),
    args: ['uninstall', '--revision', revision, '--skip-confirmation', ...connectionArgs(istioctl.connection)], timeoutMs: 300_000});
}
