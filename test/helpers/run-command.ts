// Runs a command inside the test's process, as the CLI would run it from these arguments:
// oclif parses the flags, the base command maps errors to exit codes, and everything the
// command prints is captured. The action dependencies can be replaced (a fake kube client),
// the way Helm's command tests run in-process against a fake. Tests of the process itself
// (exit status of the real process, start-up, the bundle) use test/helpers/cli.ts instead.
import {format} from 'node:util';
import {Config} from '@oclif/core';
import {vi} from 'vitest';
import type {ActionDeps} from '../../src/actions/deps.js';
import type Onboard from '../../src/commands/onboard.js';
import {COMMANDS} from '../../src/index.js';
import {REPO, type CliResult} from './cli.js';

let config: Promise<Config> | undefined;

type CommandId = keyof typeof COMMANDS;

/** The command id the arguments start with (`install istio ...` → install:istio, `certs rotate linkerd` → certs:rotate:linkerd), and the rest. */
function splitCommand(args: readonly string[]): {id: CommandId; argv: string[]} {
  for (const length of [3, 2, 1]) {
    const id = args.slice(0, length).join(':');
    if (id in COMMANDS) return {id: id as CommandId, argv: args.slice(length)};
  }
  throw new Error(`no command in ${args.join(' ')}`);
}

export interface RunOptions {
  /** Working directory during the run (sparc-mesh.yaml is looked for there). */
  cwd?: string;
  env?: Record<string, string>;
  /** Replaces parts of the dependency bag the base command builds. */
  deps?: Partial<ActionDeps>;
}

export async function runCommand(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const {id, argv} = splitCommand(args);
  // Every command extends BaseCommand; typed as one of them so that the subclass may override its bag.
  const Command = COMMANDS[id] as unknown as typeof Onboard;
  const replaced = options.deps ?? {};
  class UnderTest extends Command {
    static override id = id;
    protected override buildDeps(): ActionDeps {
      return {...super.buildDeps(), ...replaced};
    }
  }
  config ??= Config.load({root: REPO});
  const stdout: string[] = [];
  const stderr: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => Boolean(stdout.push(String(chunk)))),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => Boolean(stderr.push(String(chunk)))),
    // oclif's this.log and this.logToStderr print through console.
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void stdout.push(`${format(...parts)}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void stderr.push(`${format(...parts)}\n`)),
  ];
  const cwd = process.cwd();
  for (const [name, value] of Object.entries({NO_COLOR: '1', CI: 'true', ...options.env})) vi.stubEnv(name, value);
  if (options.cwd) process.chdir(options.cwd);
  process.exitCode = undefined;
  try {
    await UnderTest.run(argv, await config);
    return {status: Number(process.exitCode ?? 0), stdout: stdout.join(''), stderr: stderr.join('')};
  } finally {
    process.exitCode = undefined;
    process.chdir(cwd);
    vi.unstubAllEnvs();
    for (const spy of spies) spy.mockRestore();
  }
}
