// istioctl, as install and upgrade use it. The IstioOperator goes to istioctl as a file
// (withInputFile: 0600, in a private temporary directory, removed afterwards).
import {PreconditionError} from '../../errors.js';
import type {KubeConnection} from '../kube/client.js';
import type {KubeObject} from '../../core/objects.js';
import {parseIstioVersion, type IstioVersion} from '../../core/install/istio-versions.js';
import {connectionArgs, runTool, withInputFile} from './run-tool.js';

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

/** The Istio release an istioctl binary installs (`istioctl version --remote=false`). */
export async function istioctlRelease(binary: string): Promise<IstioVersion> {
  const {stdout} = await runTool({tool: 'istioctl', binary, args: ['version', '--remote=false', '-o', 'json'],
    timeoutMs: 30_000});
  const printed = (JSON.parse(stdout) as {clientVersion?: {version?: string}}).clientVersion?.version ?? '';
  const version = parseIstioVersion(printed);
  if (!version) {
    throw new PreconditionError(
      `cannot tell which Istio ${binary} installs (it printed version ${JSON.stringify(printed)})`,
      'pass --istioctl PATH to a released istioctl',
    );
  }
  return version;
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
    tool: 'istioctl',
    binary: istioctl.binary,
    onLine: progressOf(istioctl),
    args: ['install', '-f', file, '--skip-confirmation', `--readiness-timeout=${seconds}s`,
      ...(options.dryRun ? ['--dry-run'] : []), ...connectionArgs(istioctl.connection, '--context')],
    // istioctl waits per component; the limit covers all of them and the apply itself.
    timeoutMs: options.readinessTimeoutMs * 4 + 60_000,
  }));
}

/** `istioctl uninstall --revision R -y`: removes one control-plane revision (shared resources stay). */
export async function istioctlUninstallRevision(istioctl: Istioctl, revision: string): Promise<void> {
  await runTool({tool: 'istioctl', binary: istioctl.binary, onLine: progressOf(istioctl),
    args: ['uninstall', '--revision', revision, '--skip-confirmation',
      ...connectionArgs(istioctl.connection, '--context')], timeoutMs: 300_000});
}

/**
 * What `istioctl bug-report` adds as its analysis, as JSON: `istioctl analyze -A` over the
 * live cluster (exit 79 says it found issues: its answer) and `istioctl version` (client,
 * control plane and proxies).
 */
export function istioctlAnalyzeAll(istioctl: Istioctl, timeoutMs: number): Promise<string> {
  return jsonAnswer(istioctl, ['analyze', '--all-namespaces', '-o', 'json'], timeoutMs, [79]);
}

export function istioctlVersions(istioctl: Istioctl, timeoutMs: number): Promise<string> {
  return jsonAnswer(istioctl, ['version', '-o', 'json'], timeoutMs);
}

/** A command's JSON against the run's cluster, without istioctl's log lines (withoutLogLines). */
async function jsonAnswer(istioctl: Istioctl, args: string[], timeoutMs: number,
  answeringExitCodes: number[] = []): Promise<string>
{
  const {stdout} = await runTool({tool: 'istioctl', binary: istioctl.binary, timeoutMs, answeringExitCodes,
    args: [...args, ...connectionArgs(istioctl.connection, '--context')]});
  return withoutLogLines(stdout);
}

/** A line of Istio's log: `2026-12-06T20:40:39.451739Z<TAB>error<TAB>...`. */
const ISTIO_LOG_LINE = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z\t/;

/**
 * istioctl's answer without its log lines, which Istio's logger writes to standard output too:
 * `istioctl version` prints `error port forward failed` lines before its JSON when it cannot
 * reach a control-plane pod, and the JSON is the answer.
 */
function withoutLogLines(stdout: string): string {
  return stdout.split('\n').filter((line) => !ISTIO_LOG_LINE.test(line)).join('\n');
}
