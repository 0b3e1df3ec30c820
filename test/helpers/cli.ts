// Runs the built CLI as a user would: a separate process, real exit codes, real files.
// `npm test` builds dist/ first; run `npm run build` before running these alone.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[],
  options: {cwd?: string; input?: string; env?: Record<string, string>; timeoutMs?: number} = {}): CliResult
{
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', CI: 'true', ...options.env},
    timeout: options.timeoutMs,
  });
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}
