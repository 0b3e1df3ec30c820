// Runs the built CLI as a user would: a separate process, real exit codes, real files.
// `npm test` builds dist/ first; run `npm run build` before running these alone.
import {spawnSync} from 'node:child_process';
import {execa} from 'execa';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function requireBuild(): void {
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
}

export function cli(args: string[],
  options: {cwd?: string; input?: string; env?: Record<string, string>; timeoutMs?: number} = {}): CliResult
{
  requireBuild();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', CI: 'true', ...options.env},
    timeout: options.timeoutMs,
  });
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** cli() without blocking this process: for tests whose own servers (an exporter Prometheus scrapes) must keep answering meanwhile. */
export async function cliAsync(args: string[], options: {env?: Record<string, string>} = {}): Promise<CliResult> {
  requireBuild();
  const result = await execa(process.execPath, [BIN, ...args], {cwd: REPO, reject: false,
    env: {NO_COLOR: '1', CI: 'true', ...options.env}});
  return {status: result.exitCode ?? null, stdout: result.stdout, stderr: result.stderr};
}
