import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {proxyConfig, proxyConfigDeps} from '../../../src/actions/debug/proxy-config.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {runCommand} from '../../helpers/run-command.js';
import {testDeps} from '../../helpers/deps.js';
import {serveConfigDump} from './admin-server.js';
import {namespace, pod} from './cluster-objects.js';

const DUMP = {
  configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
    static_clusters: [{cluster: {name: 'prometheus_stats'}}]}],
};

async function dumpFile(content: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'sparc-mesh-proxy-config-')), 'dump.json');
  await writeFile(file, content);
  return file;
}

const objects = [namespace('shop'), pod('shop', 'checkout-1', {app: 'checkout'}),
  pod('shop', 'plain-1', {app: 'plain', proxy: 'none'})];
const deps = proxyConfigDeps(testDeps(new FakeKubeClient({objects})));

describe('debug proxy-config', () => {
  it('summarises a saved config dump given with --file', async () => {
    const result = await runCommand(['debug', 'proxy-config', 'clusters', '--file',
      await dumpFile(JSON.stringify(DUMP))]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('prometheus_stats  -     -       -          STATIC');
  });

  it('refuses a file that is not a config dump, naming the flag (exit 2)', async () => {
    const notJson = await runCommand(['debug', 'proxy-config', 'all', '--file', await dumpFile('{')]);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/--file: ".*dump.json" is not JSON/);
    const pod = await runCommand(['debug', 'proxy-config', 'all', '--file', await dumpFile('{"kind": "Pod"}')]);
    expect(pod.stderr).toMatch(/is not an Envoy config dump/);
    const withNamespace = await runCommand(['debug', 'proxy-config', 'all', '-n', 'shop', '--file',
      await dumpFile(JSON.stringify(DUMP))]);
    expect(withNamespace.status).toBe(2);
    expect(withNamespace.stderr).toContain('--namespace: "shop" does nothing with --file');
  });

  it("reads the live sidecar's admin port through the port-forward", async () => {
    const admin = await serveConfigDump(DUMP);
    const port = admin.port;
    const client = new FakeKubeClient({objects,
      podPorts: (pod, podPort) => (pod.name === 'checkout-1' && podPort === 15000 ? port : new Error('refused'))});
    try {
      const summary = await proxyConfig({connection: {}, namespace: 'shop', target: 'checkout-1'},
        proxyConfigDeps(testDeps(client)));
      expect(summary.clusters.map((row) => row.name)).toEqual(['prometheus_stats']);
    } finally {
      await admin.close();
    }
  });

  it('refuses a pod without the Istio sidecar before connecting to it', async () => {
    await expect(proxyConfig({connection: {}, namespace: 'shop', target: 'plain-1'}, deps)).rejects.toThrow(
      'pod shop/plain-1 has no istio-proxy container, so no Envoy to read',
    );
  });
});
