// The built CLI is a bundle (dist/index.js) and one per command, each compiled from a V8 code
// cache; these guard the ways that can silently go wrong: a command left out of the command
// table, a cache V8 refuses (start-up would quietly fall back to compiling everything), a
// module a short command does not need loaded again, and templates parsed ahead that are not
// what the files say.
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import {BUILTIN_TEMPLATES, PARSED_TEMPLATES, parseTemplate,
  type ParsedTemplates} from '../../src/adapters/files/templates.js';
import {COMMAND_MODULES, COMMANDS} from '../../src/index.js';
import {REPO} from '../helpers/cli.js';

/** The bundles commands load only when a run needs them (scripts/bundle.mjs). */
const SEPARATE_BUNDLES = ['cel-evaluator.js', 'config-file.js'];

function commandIds(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return commandIds(path);
    const id = relative(join(REPO, 'src/commands'), path).replace(/\.ts$/, '').replace(/(^|\/)index$/, '').split('/')
      .join(':');
    return [id];
  });
}

describe('the bundled CLI', () => {
  it('lists every command under src/commands in its command table', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(commandIds(join(REPO, 'src/commands')).sort());
  });

  it('starts from a code cache that V8 accepts', () => {
    const probe =
      "const {loadCli} = await import('./bin/load-cli.js'); const {script} = loadCli(); console.log(JSON.stringify({rejected: script.cachedDataRejected}));";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {cwd: REPO, encoding: 'utf8'});
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({rejected: false});
  });

  it('starts every command bundle, and each bundle they load on demand, from a code cache that V8 accepts', () => {
    const probe =
      "const {loadCli} = await import('./bin/load-cli.js'); const {cli, scripts} = loadCli(); Object.values(cli.COMMANDS);"
      + " const {createRequire} = await import('node:module'); const require = createRequire(process.cwd() + '/dist/');"
      + ` for (const bundle of ${JSON.stringify(SEPARATE_BUNDLES)}) require('./' + bundle);`
      + ' console.log(JSON.stringify([...scripts].map(([file, script]) => [file, script.cachedDataRejected])));';
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {cwd: REPO, encoding: 'utf8'});
    expect(result.stderr).toBe('');
    const bundles = JSON.parse(result.stdout) as [string, boolean][];
    expect(bundles.map(([file]) => relative(join(REPO, 'dist'), file)).sort())
      .toEqual(
        ['index.js', ...SEPARATE_BUNDLES, ...Object.values(COMMAND_MODULES).map((module) => relative('.', module))]
          .sort(),
      );
    expect(bundles.filter(([, rejected]) => rejected !== false)).toEqual([]);
  });

  it.each(['istio', 'linkerd'])('renders a service (%s) without the modules only some runs need', (mesh) => {
    const result = spawnSync(process.execPath, ['--import', './test/fixtures/start-up/report-loads.mjs', 'bin/run.js',
      'onboard', '-s', 'new-service', '-n', 'sparc', '-m', mesh, '--enable-canary', '--dry-run'], {cwd: REPO,
      encoding: 'utf8', env: {...process.env, CI: 'true'}});
    expect(result.status, result.stderr).toBe(0);
    const {files, builtins} = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as {files: string[];
      builtins: string[]};
    // The CEL evaluator and the config file's parser are bundles of their own (every rule the rendered objects meet
    // runs as generated JavaScript), the validators' runtime is part of the command's bundle: nothing else is read
    // and compiled.
    expect(files.map((file) => relative(REPO, file)))
      .toEqual(['bin/run.js', 'bin/load-cli.js', 'dist/index.js', 'dist/commands/onboard.js']);
    // Loaded by oclif's start-up before (through wsl-utils and its own file reads), used by no dry run.
    expect(builtins.filter((name) => ['child_process', 'fs/promises', 'readline', 'dgram'].includes(name))).toEqual([]);
    // The manifests and the note go straight to the descriptors: neither process.stdout nor process.stderr (a pipe
    // here) is created, so Node's streams, net and tty are not loaded (src/ui/stdio.ts). In CI, as here, no colour or
    // progress display asks whether stdout is a terminal.
    expect(builtins.filter((name) => ['stream', 'net', 'tty'].includes(name))).toEqual([]);
    expect(result.stdout).toMatch(/^---\napiVersion: v1\nkind: Namespace\n/);
  });

  it("gives each command a slice of oclif's manifest: its entry and those of the commands under it", () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'oclif.manifest.json'), 'utf8')) as {version: string;
      commands: Record<string, unknown>};
    const ids = Object.keys(manifest.commands);
    expect(ids.sort()).toEqual(Object.keys(COMMAND_MODULES).sort());
    for (const id of ids) {
      const slice = JSON.parse(readFileSync(join(REPO, 'dist/manifests', `${id.replaceAll(':', '/')}.json`), 'utf8'));
      const under = ids.filter((other) => other === id || other.startsWith(`${id}:`));
      expect(slice).toEqual({version: manifest.version,
        commands: Object.fromEntries(under.map((other) => [other, manifest.commands[other]]))});
    }
    // `validate --help` still lists the commands under it.
    const help = spawnSync(process.execPath, ['bin/run.js', 'validate', '--help'], {cwd: REPO, encoding: 'utf8'});
    expect(help.stdout).toMatch(/COMMANDS\n {2}validate explain {7}Explain a finding code/);
  });

  it('is ASCII, which V8 keeps as one byte per character', () => {
    const bundles = readdirSync(join(REPO, 'dist'), {recursive: true, encoding: 'utf8'}).filter((file) =>
      file.endsWith('.js')
    );
    expect(bundles).toContain('index.js');
    const nonAscii = bundles.filter((file) => /[^\0-\x7f]/.test(readFileSync(join(REPO, 'dist', file), 'utf8')));
    expect(nonAscii).toEqual([]);
  });

  it('parsed the built-in templates ahead exactly as a run parses them', () => {
    const parsed = JSON.parse(readFileSync(PARSED_TEMPLATES, 'utf8')) as ParsedTemplates;
    const files = readdirSync(BUILTIN_TEMPLATES, {recursive: true, encoding: 'utf8'}).filter((file) =>
      file.endsWith('.yaml')
    );
    expect(Object.keys(parsed).sort()).toEqual(files.sort());
    for (const file of files) {
      const text = readFileSync(join(BUILTIN_TEMPLATES, file), 'utf8');
      expect(parsed[file]).toEqual({text, documents: parseTemplate(file, text)});
    }
  });
});
