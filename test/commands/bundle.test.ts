// The built CLI is a bundle (dist/index.js) and one per command, each compiled from a V8 code
// cache; these guard the two ways that can silently go wrong: a command left out of the
// command table, and a cache V8 refuses (start-up would quietly fall back to compiling everything).
import {spawnSync} from 'node:child_process';
import {readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import {COMMAND_MODULES, COMMANDS} from '../../src/index.js';
import {REPO} from '../helpers/cli.js';

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

  it('starts every command bundle from a code cache that V8 accepts', () => {
    const probe =
      "const {loadCli} = await import('./bin/load-cli.js'); const {cli, scripts} = loadCli(); Object.values(cli.COMMANDS);"
      + ' console.log(JSON.stringify([...scripts].map(([file, script]) => [file, script.cachedDataRejected])));';
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {cwd: REPO, encoding: 'utf8'});
    expect(result.stderr).toBe('');
    const bundles = JSON.parse(result.stdout) as [string, boolean][];
    expect(bundles.map(([file]) => relative(join(REPO, 'dist'), file)).sort())
      .toEqual(['index.js', ...Object.values(COMMAND_MODULES).map((module) => relative('.', module))].sort());
    expect(bundles.filter(([, rejected]) => rejected !== false)).toEqual([]);
  });
});
