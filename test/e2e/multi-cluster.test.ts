// One command, several clusters: --context repeated and --all-contexts against two real
// control planes (the shared test cluster and one of this file's own) plus a context whose
// server does not answer, merged into one kubeconfig as a platform team's would be.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCluster, stopCluster, type ClusterState} from '../cluster/cluster.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';
import {ensureIstioCrds} from './istio-crds.js';

interface Kubeconfig {
  clusters: {name: string; cluster: {server: string}}[];
  users: {name: string; user: unknown}[];
  contexts: {name: string; context: {cluster: string; user: string; namespace?: string}}[];
  'current-context'?: string;
}

const NAMESPACE = 'e2e-multi';
let second: ClusterState;
let merged: string;

/** The kubeconfig's one cluster, user and context, renamed to `name` (and pointed elsewhere if asked). */
function entriesOf(file: string, name: string, server?: string): Pick<Kubeconfig, 'clusters' | 'users' | 'contexts'> {
  const config = JSON.parse(JSON.stringify(JSON.parse(readFileSync(file, 'utf8')) as Kubeconfig));
  const cluster = config.clusters[0]!;
  return {
    clusters: [{name, cluster: {...cluster.cluster, ...(server ? {server} : {})}}],
    users: [{name, user: config.users[0]!.user}],
    contexts: [{name, context: {cluster: name, user: name}}],
  };
}

function kubectl(kubeconfig: string, args: string[]) {
  return execa(testbinPath('kubectl'), ['--kubeconfig', kubeconfig, ...args], {reject: false});
}

/** The service's own objects in a cluster (what offboard removes). */
async function serviceObjects(kubeconfig: string): Promise<string[]> {
  const listed = await kubectl(kubeconfig, ['get',
    'serviceaccounts,networkpolicies,authorizationpolicies.security.istio.io', '-n', NAMESPACE, '-l',
    'sparc-mesh.io/service=pay', '-o', 'name']);
  return listed.stdout.split('\n').filter(Boolean);
}

function sparc(args: string[]) {
  return cli([...args, '--kubeconfig', merged]);
}

interface Outcome {
  context: string;
  ok: boolean;
  result?: {summary: string};
  error?: {message: string};
}
const clustersOf = (stdout: string) => (JSON.parse(stdout) as {result: {clusters: Outcome[]}}).result.clusters;

beforeAll(async () => {
  second = await startCluster();
  const parts = [entriesOf(testKubeconfig(), 'first'), entriesOf(second.kubeconfig, 'second'),
    entriesOf(testKubeconfig(), 'unreachable', 'https://127.0.0.1:9')];
  const config = {apiVersion: 'v1', kind: 'Config', 'current-context': 'first',
    clusters: parts.flatMap((part) => part.clusters), users: parts.flatMap((part) => part.users),
    contexts: parts.flatMap((part) => part.contexts)};
  merged = join(second.workDir, 'fleet.kubeconfig');
  writeFileSync(merged, JSON.stringify(config), {mode: 0o600});
  await Promise.all([ensureIstioCrds(testKubeconfig()), ensureIstioCrds(second.kubeconfig)]);
  await kubectl(testKubeconfig(), ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true',
    '--timeout=120s']);
});

afterAll(async () => {
  await kubectl(testKubeconfig(), ['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  if (second) await stopCluster(second);
});

describe('several clusters at once', () => {
  it('onboards into each --context, one result per cluster', async () => {
    const result = sparc(['onboard', '-s', 'pay', '-n', NAMESPACE, '-m', 'istio', '--context', 'first', '--context',
      'second', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const clusters = clustersOf(result.stdout);
    expect(clusters.map((cluster) => [cluster.context, cluster.ok])).toEqual([['first', true], ['second', true]]);
    for (const cluster of clusters) expect(cluster.result?.summary).toMatch(/^\d+ created$/);
    for (const kubeconfig of [testKubeconfig(), second.kubeconfig]) {
      const peer = await kubectl(kubeconfig, ['get', 'peerauthentication', 'default', '-n', NAMESPACE, '-o',
        'jsonpath={.spec.mtls.mode}']);
      expect(peer.stdout).toBe('STRICT');
      expect(await serviceObjects(kubeconfig)).toContain('serviceaccount/pay');
    }
  });

  it('--all-contexts goes on where a cluster fails, says which, and exits 1', async () => {
    const result = sparc(['onboard', '-s', 'pay', '-n', NAMESPACE, '-m', 'istio', '--all-contexts']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^\[first\] nothing changed \(\d+ unchanged\)$/m);
    expect(result.stdout).toMatch(/^\[second\] nothing changed \(\d+ unchanged\)$/m);
    expect(result.stdout).toMatch(/^\[unreachable\] failed: .*cannot reach https:\/\/127\.0\.0\.1:9/m);
  });

  it('refuses an unknown context before touching any cluster (exit 2)', () => {
    const result = sparc(['offboard', '-s', 'pay', '-n', NAMESPACE, '--yes', '--context', 'first', '--context',
      'nope']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      '--context: "nope" is not a context of the kubeconfig (known: first, second, unreachable)',
    );
  });

  it('offboards from each --context', async () => {
    const result = sparc(['offboard', '-s', 'pay', '-n', NAMESPACE, '--yes', '--context', 'first', '--context',
      'second', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(clustersOf(result.stdout).every((cluster) => cluster.ok && /deleted/.test(cluster.result?.summary ?? '')))
      .toBe(true);
    for (const kubeconfig of [testKubeconfig(), second.kubeconfig]) {
      expect(await serviceObjects(kubeconfig)).toEqual([]);
    }
  });
});
