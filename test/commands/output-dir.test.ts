// --output-dir through the commands (in-process): a second run with fewer objects leaves no
// stale file of the first, a user's file is refused by name, and an empty --output-dir is an
// error before anything else happens.
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCommand} from '../helpers/run-command.js';

function outputDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'sparc-mesh-')), 'out');
}

describe('onboard --output-dir', () => {
  it('a run without --enable-canary removes the Canary file of a run with it', async () => {
    const dir = outputDir();
    expect((await runCommand(['onboard', '-s', 'web', '-n', 'sparc', '--enable-canary', '--output-dir', dir])).status)
      .toBe(0);
    const canary = readdirSync(dir).filter((name) => name.includes('-canary-'));
    expect(canary).toHaveLength(1);
    const second = await runCommand(['onboard', '-s', 'web', '-n', 'sparc', '--output-dir', dir]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(
      `removed 1 that an earlier run wrote and this one does not: ${join(dir, canary[0]!)}`,
    );
    expect(readdirSync(dir).filter((name) => name.includes('-canary-'))).toEqual([]);
  });

  it('refuses to overwrite a file the user wrote, naming it, unless --force', async () => {
    const dir = outputDir();
    expect((await runCommand(['onboard', '-s', 'web', '-n', 'sparc', '--output-dir', dir])).status).toBe(0);
    const name = readdirSync(dir).find((file) => file.includes('-serviceaccount-'))!;
    writeFileSync(join(dir, name), 'kind: ServiceAccount # mine\n');
    const refused = await runCommand(['onboard', '-s', 'web', '-n', 'sparc', '--output-dir', dir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${join(dir, name)} was not written by sparc-mesh`);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir, name), 'utf8')).toBe('kind: ServiceAccount # mine\n');
    expect((await runCommand(['onboard', '-s', 'web', '-n', 'sparc', '--output-dir', dir, '--force'])).status).toBe(0);
    expect(readFileSync(join(dir, name), 'utf8')).toContain('kind: ServiceAccount\n');
  });

  it('--force alone is refused: it only means something with --output-dir', async () => {
    const result = await runCommand(['onboard', '-s', 'web', '-n', 'sparc', '--dry-run', '--force']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--output-dir');
  });

  for (const command of [['onboard', '-s', 'web', '-n', 'sparc'], ['install', 'istio'], ['install', 'linkerd']]) {
    it(`${command.join(' ')} --output-dir "": exit 2, offline`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'sparc-mesh-'));
      const result = await runCommand([...command, '--output-dir', '', '--kubeconfig', join(cwd, 'no-such-kubeconfig')],
        {cwd});
      expect(result.stderr).toContain('--output-dir');
      expect(result.status).toBe(2);
      expect(existsSync(join(cwd, 'no-such-kubeconfig'))).toBe(false);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }
});
