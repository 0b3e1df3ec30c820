// install istio --method helm with the real helm, against a control plane of this file's own
// (see istio-lifecycle.test.ts for why). The charts are Istio's own, from the pinned
// istio.io/istio module the test binaries are built from (in Go's module cache), read in
// place: the published chart repository is on the internet. The ingress gateway is left out:
// its pods are injected by istiod's webhook, and no istiod answers under kwok. For the same
// reason there is no second run here: on `helm upgrade` Istio's charts render the config
// validation webhook fail-closed, and with no istiod behind it every Istio object is refused
// (the re-run of the istioctl path is tested in istio-lifecycle.test.ts).
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import versions from '../../versions.json' with {type: 'json'};
import {startCluster, stopCluster, type ClusterState} from '../cluster/cluster.js';
import {testbinPath} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';
import {pinnedModuleDir} from './pinned-module.js';

let cluster: ClusterState;
let charts: string;
let config: string;

function sparc(args: string[]) {
  return cli([...args, '--kubeconfig', cluster.kubeconfig, '--wait-timeout', '2m'], {
    env: {SPARC_MESH_HELM: testbinPath('helm')},
  });
}

async function helmReleases(): Promise<{name: string; status: string; revision: string}[]> {
  const {stdout} = await execa(testbinPath('helm'), ['list', '-n', 'istio-system', '-o', 'json', '--kubeconfig',
    cluster.kubeconfig]);
  return JSON.parse(stdout) as {name: string; status: string; revision: string}[];
}

beforeAll(async () => {
  charts = join(pinnedModuleDir('istio'), 'manifests', 'charts');
  cluster = await startCluster();
  config = join(cluster.workDir, 'sparc-mesh.yaml');
  writeFileSync(config, 'istio:\n  ingressGateway:\n    enabled: false\n');
});

afterAll(async () => {
  if (cluster) await stopCluster(cluster);
});

describe('install istio --method helm', () => {
  it('needs --istio-version, and says so before touching anything (exit 2)', () => {
    const result = sparc(['install', 'istio', '--method', 'helm', '--charts', charts, '--config', config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--method helm needs --istio-version');
  });

  it('installs base and istiod as Helm releases, then the baseline', async () => {
    const first = sparc(['install', 'istio', '--method', 'helm', '--istio-version', versions.go.istio.stamp, '--charts',
      charts, '--config', config, '--json']);
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).result.cluster.baseline.summary).toMatch(/^\d+ created$/);
    expect((await helmReleases()).map((release) => [release.name, release.status])).toEqual([['istio-base', 'deployed'],
      ['istiod', 'deployed']]);
    const peer = await execa(testbinPath('kubectl'), ['--kubeconfig', cluster.kubeconfig, 'get', 'peerauthentication',
      'default', '-n', 'istio-system', '-o', 'jsonpath={.spec.mtls.mode}']);
    expect(peer.stdout).toBe('STRICT');
    // What helm installed is found again as Istio at the chart's version: upgrade plans start from it.
    const plan = sparc(['upgrade', 'plan', 'istio', '--to', '1.31.0']);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`From revision default (Istio ${versions.go.istio.stamp}) to revision 1-31-0:`);
  });
});
