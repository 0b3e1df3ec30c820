// `debug bundle`'s flags as the command reads them: the tail's bounds, --no-logs and
// --no-checks reaching the action, and a tail refused when no log is read.
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {FakeKubeClient} from '../../src/adapters/kube/fake.js';
import {runCommand} from '../helpers/run-command.js';
import {istiod, pod} from '../unit/debug/cluster-objects.js';

const client = () =>
  new FakeKubeClient({objects: [pod('shop', 'web-1', {app: 'web'}), istiod('1.30.3')],
    containerLogs: {'shop/web-1/istio-proxy': 'one\ntwo\nthree\n', 'istio-system/istiod-1/discovery': 'ready\n'}});

async function bundle(flags: string[]) {
  const file = join(await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-')), 'b.tar.gz');
  return runCommand(['debug', 'bundle', '-n', 'shop', '-o', file, '--json', ...flags], {
    deps: {connect: async () => client()},
  });
}

describe('debug bundle flags', () => {
  it.each([['0'], ['10001'], ['many']])('refuses --tail %s (exit 2, naming the flag)', async (tail) => {
    const result = await bundle(['--tail', tail]);
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toContain('--tail');
  });

  it('refuses --tail with --no-logs', async () => {
    const result = await bundle(['--no-logs', '--tail', '50']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).message).toBe('--tail: 50 is a tail of the logs that --no-logs leaves out');
  });

  it('reads the tail asked for, and leaves logs and checks out when told', async () => {
    const tailed = JSON.parse((await bundle(['--tail', '2', '--no-checks'])).stdout).result;
    expect(tailed.manifest.logs).toEqual([{file: 'logs/istio-system/istiod-1/discovery.log', lines: 1}, {
      file: 'logs/shop/web-1/istio-proxy.log',
      lines: 2,
    }]);
    expect(tailed.manifest.notCollected).toEqual(['mesh CLI checks: not asked for']);
    const bare = JSON.parse((await bundle(['--no-logs', '--no-checks'])).stdout).result;
    expect(bare.manifest.logs).toEqual([]);
    expect(bare.manifest.notCollected).toEqual(['container logs: not asked for', 'mesh CLI checks: not asked for']);
  });
});
