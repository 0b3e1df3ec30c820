// The rules every command's flags share, run in-process with a kube client factory that
// records each connection: a blank value, flags that exclude each other and flags the run
// would ignore all stop the command with exit 2 naming the flag, before any cluster is asked.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {runCommand} from '../helpers/run-command.js';

async function refused(args: string[]): Promise<{status: number | null; stderr: string; connected: number}> {
  const connect = vi.fn(async () => {
    throw new Error('the command reached for a cluster');
  });
  const result = await runCommand(args, {deps: {connect}});
  return {status: result.status, stderr: result.stderr, connected: connect.mock.calls.length};
}

const out = () => join(mkdtempSync(join(tmpdir(), 'sparc-mesh-flags-')), 'out');

describe('a blank value of any flag or argument is refused, naming it', () => {
  // String-valued flags of each command, each left blank as an unset shell variable leaves it;
  // no --dry-run, so that a blank value falling through would reach the recording factory.
  const commands: [string[], string[]][] = [
    [['onboard', '-s', 'svc'], ['output-dir', 'namespace', 'config', 'templates', 'kubeconfig', 'context', 'port',
      'allow-from', 'ingress-host', 'wait-timeout']],
    [['install', 'istio'], ['output-dir', 'config', 'templates', 'revision', 'hub', 'istioctl', 'kubeconfig',
      'context']],
    [['install', 'linkerd'], ['output-dir', 'trust-anchor-file', 'issuer-validity']],
    [['offboard', '-s', 'svc', '-n', 'sparc'], ['kubeconfig', 'context']],
    [['upgrade', 'istio'], ['to', 'from', 'revision', 'istioctl', 'kubeconfig']],
    [['validate'], ['mesh-config', 'namespace', 'suppress', 'kubeconfig']],
  ];
  for (const [command, flags] of commands) {
    for (const flag of flags) {
      for (const blank of ['', ' ']) {
        it(`${command.join(' ')} --${flag} ${JSON.stringify(blank)}`, async () => {
          const result = await refused([...command, `--${flag}`, blank]);
          expect(result.stderr).toContain(`--${flag}: ${JSON.stringify(blank)} is empty`);
          expect(result.status).toBe(2);
          expect(result.connected).toBe(0);
        });
      }
    }
  }

  it('a blank path argument of validate', async () => {
    const result = await refused(['validate', 'test/fixtures', '']);
    expect(result.stderr).toContain('argument 2: "" is empty');
    expect(result.status).toBe(2);
  });

  it('the run never falls through to a cluster: onboard --output-dir "" without --dry-run', async () => {
    const result = await refused(['onboard', '-s', 'x', '-n', 'sparc', '-m', 'istio', '--output-dir', '']);
    expect(result).toMatchObject({status: 2, connected: 0});
  });
});

describe('flags that exclude each other are refused together', () => {
  const cases: [string, string[], string][] = [
    ['--dry-run with --output-dir', ['onboard', '-s', 'svc', '--dry-run', '--output-dir', out()], '--dry-run'],
    ['--dry-run=server with --output-dir', ['onboard', '-s', 'svc', '--dry-run=server', '--output-dir', out()],
      '--dry-run'],
    ['install: --dry-run with --output-dir', ['install', 'istio', '--dry-run', '--output-dir', out()], '--dry-run'],
    ['--json with -o yaml', ['onboard', '-s', 'svc', '--dry-run', '--json', '-o', 'yaml'], '--json'],
    ['--json with -o table on validate', ['validate', 'test/fixtures', '--json', '-o', 'table'], '--json'],
    ['--diff with --output-dir', ['onboard', '-s', 'svc', '--diff', '--output-dir', out()], '--diff'],
    ['--all-contexts with --context', ['onboard', '-s', 'svc', '--all-contexts', '--context', 'a'], '--all-contexts'],
  ];
  for (const [name, args, flag] of cases) {
    it(name, async () => {
      const result = await runCommand(args, {deps: {connect: vi.fn()}});
      expect(result.status).toBe(2);
      // With --json the refusal is in the envelope on stdout.
      expect(`${result.stdout}${result.stderr}`).toContain(flag);
      expect(`${result.stdout}${result.stderr}`).toMatch(/cannot also be provided/);
    });
  }
});

describe('flags the run would ignore are refused, never dropped', () => {
  const cases: [string, string[], RegExp][] = [
    ['-n on install istio', ['install', 'istio', '--dry-run', '-n', 'sparc'], /Nonexistent flag: -n/],
    ['-n on install linkerd', ['install', 'linkerd', '--dry-run', '-n', 'sparc'], /Nonexistent flag: -n/],
    ['-n on upgrade istio', ['upgrade', 'istio', '--to', '1.31.2', '-n', 'sparc'], /Nonexistent flag: -n/],
    ['--output-dir on upgrade istio', ['upgrade', 'istio', '--to', '1.31.2', '--output-dir', 'x'],
      /Nonexistent flag: --output-dir/],
    ['-n on validate FILE', ['validate', 'test/fixtures', '-n', 'sparc'],
      /--namespace: "sparc" does nothing with paths and no --cluster/],
    ['-A on validate FILE', ['validate', 'test/fixtures', '-A'],
      /--all-namespaces: true does nothing with paths and no --cluster/],
    ['--context on validate reachability FILE', ['validate', 'reachability', 'test/fixtures', '--context', 'a'],
      /--context: \["a"\] does nothing with paths/],
    ['--context with onboard --dry-run', ['onboard', '-s', 'svc', '--dry-run', '--context', 'prod'],
      /--context: \["prod"\] does nothing with --dry-run/],
    ['--kubeconfig with install --output-dir', ['install', 'istio', '--output-dir', out(), '--kubeconfig', 'k'],
      /--kubeconfig: "k" does nothing with --dry-run \(client\) or --output-dir/],
    ['--force-conflicts with onboard --dry-run', ['onboard', '-s', 'svc', '--dry-run', '--force-conflicts'],
      /--force-conflicts: true does nothing/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const result = await refused(args);
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(2);
      expect(result.connected).toBe(0);
    });
  }
});
