// Runs the built CLI (`node bin/run.js`, from the dist/ that `npm test` builds) as users
// do, asynchronously so that tests can run commands side by side, with a scratch folder
// of the test's own. The synchronous twin for simple cases is test/helpers/cli.ts.
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {REPO} from '../helpers/cli.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliSession {
  /** A scratch folder for the test's own files, removed by dispose(). */
  root: string;
  run(args: string[], input?: string, env?: Record<string, string>): Promise<RunResult>;
  dispose(): Promise<void>;
}

export async function cliSession(): Promise<CliSession> {
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const root = await mkdtemp(join(tmpdir(), 'sparc-mesh-cli-'));
  return {
    root,
    async run(args, input, env = {}) {
      // cwd is the repository, so fixture paths stay relative as a user would type them.
      const result = await execa('node', [join(REPO, 'bin/run.js'), ...args], {
        cwd: REPO,
        input: input ?? '',
        reject: false,
        env: {NO_COLOR: '', ...env},
        extendEnv: true,
      });
      return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr};
    },
    dispose: () => rm(root, {recursive: true, force: true}),
  };
}
