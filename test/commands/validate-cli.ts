// Builds the CLI once into a private folder and runs it as users do (`node bin/run.js`).
// A private build, not dist/: other developers build dist/ at the same time, and a test
// must not run a half-written tree. Type errors elsewhere do not stop tsc from emitting,
// so the build is judged by whether the command files exist.
import {existsSync} from 'node:fs';
import {cp, mkdtemp, rm, symlink, access} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';

const repo = fileURLToPath(new URL('../..', import.meta.url));

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface BuiltCli {
  root: string;
  run(args: string[], input?: string, env?: Record<string, string>): Promise<RunResult>;
  /** Removes the private build. */
  dispose(): Promise<void>;
}

export async function buildCli(): Promise<BuiltCli> {
  const root = await mkdtemp(join(tmpdir(), 'sparc-mesh-cli-'));
  // The build config is tsconfig.json (rootDir src); older trees had a separate tsconfig.build.json.
  const project = existsSync(join(repo, 'tsconfig.build.json')) ? 'tsconfig.build.json' : 'tsconfig.json';
  const tsc = await execa('npx', ['tsc', '-p', project, '--outDir', join(root, 'dist')], {cwd: repo, reject: false});
  try {
    await access(join(root, 'dist/commands/validate/index.js'));
  } catch {
    throw new Error(`the CLI did not build:\n${tsc.stdout}\n${tsc.stderr}`);
  }
  await cp(join(repo, 'bin'), join(root, 'bin'), {recursive: true});
  await cp(join(repo, 'package.json'), join(root, 'package.json'));
  await symlink(join(repo, 'node_modules'), join(root, 'node_modules'));
  // Generated schemas (npm run schemas) are found next to dist/, as in the package.
  await symlink(join(repo, 'schemas'), join(root, 'schemas'));
  return {
    root,
    async run(args, input, env = {}) {
      // cwd is the repository, so fixture paths stay relative as a user would type them.
      const result = await execa('node', [join(root, 'bin/run.js'), ...args], {
        cwd: repo, input: input ?? '', reject: false, env: {NO_COLOR: '', ...env}, extendEnv: true,
      });
      return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr};
    },
    dispose: () => rm(root, {recursive: true, force: true}),
  };
}
