// The one way sparc-mesh runs an external tool (istioctl, helm, linkerd): an argument
// array (never a shell string), a time limit, and failures turned into ToolError with the
// tool, its arguments, exit code and the tail of what it printed. execa loads on first use.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ToolError, UsageError} from '../../errors.js';
import type {KubeConnection} from '../kube/client.js';

export interface ToolRun {
  /** Name shown in errors, e.g. `istioctl`. */
  tool: string;
  /** The executable: a path, or a name looked up on PATH. */
  binary: string;
  args: readonly string[];
  timeoutMs?: number;
  /** Called with each line the tool prints (stdout and stderr), for progress. */
  onLine?: (line: string) => void;
  /** Exit codes besides 0 after which the output is still the answer (`linkerd check` exits 1 when a check fails). */
  answeringExitCodes?: readonly number[];
}

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

const TAIL_LINES = 15;

function tail(text: string): string {
  return text.trim().split('\n').slice(-TAIL_LINES).join('\n');
}

export async function runTool(run: ToolRun): Promise<ToolOutput> {
  const {execa} = await import('execa');
  const sink = run.onLine && lineSink(run.onLine);
  const result = await execa(run.binary, [...run.args], {reject: false, timeout: run.timeoutMs, stdin: 'ignore',
    ...(sink ? {stdout: sink, stderr: sink} : {})});
  const answered = result.exitCode !== undefined && !result.timedOut
    && (run.answeringExitCodes ?? []).includes(result.exitCode);
  if (result.failed && !answered) {
    if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new UsageError(`${run.tool} was not found (looked for ${JSON.stringify(run.binary)})`,
        `install ${run.tool} or pass --${run.tool} PATH`, 'ToolNotFound');
    }
    const why = result.timedOut ? `did not finish within ${Math.round((run.timeoutMs ?? 0) / 1000)}s` : undefined;
    throw new ToolError(run.tool, run.args, result.exitCode, tail(`${result.stderr}\n${result.stdout}`.trim()),
      why ? `${run.tool} ${run.args[0] ?? ''} ${why}` : undefined);
  }
  return {stdout: result.stdout, stderr: result.stderr};
}

/** An execa generator that passes each line on and keeps it in the result. */
function lineSink(onLine: (line: string) => void) {
  return function*(line: unknown) {
    onLine(String(line));
    yield line;
  };
}

/** --kubeconfig and the context, under the name the tool gives that flag (`--context`, helm's `--kube-context`). */
export function connectionArgs(connection: KubeConnection, contextFlag: '--context' | '--kube-context'): string[] {
  return [...(connection.kubeconfig ? ['--kubeconfig', connection.kubeconfig] : []),
    ...(connection.context ? [contextFlag, connection.context] : [])];
}

/**
 * Hands a tool its input as a file: `value` as JSON (which is YAML) in a private temporary
 * directory, mode 0600 (values and configuration may hold what others should not read),
 * removed when `use` is done.
 */
export async function withInputFile<T>(name: string, value: unknown, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-'));
  try {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(value), {mode: 0o600});
    return await use(file);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}
