// For e2e tests that run on a control plane of their own (startCluster): kubectl against it,
// the resourceVersion of every object of some kinds, to prove a re-run changed nothing, and the
// Gateway API's CRDs that install linkerd needs.
import {join} from 'node:path';
import {execa} from 'execa';
import {moduleDir} from '../../scripts/schemas/go.js';
import type {ClusterState} from '../cluster/cluster.js';
import {testbinPath} from '../cluster/testbin.js';
import {goPin} from '../cluster/versions.js';

export async function kubectl(cluster: ClusterState, args: string[]): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], {reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

/** Kind/namespace/name → resourceVersion of every object of `kinds` (kubectl's comma-separated list). */
export async function resourceVersions(cluster: ClusterState, kinds: string): Promise<Record<string, string>> {
  const list = JSON.parse(await kubectl(cluster, ['get', kinds, '-A', '-o', 'json'])) as {
    items: {kind: string; metadata: {namespace?: string; name: string; resourceVersion: string}}[];
  };
  return Object.fromEntries(
    list.items.map((
      item,
    ) => [`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`, item.metadata.resourceVersion]),
  );
}

/** Linkerd's routes build on the Gateway API: the pinned release's standard channel, from the Go module cache. */
export async function installGatewayApi(cluster: ClusterState): Promise<void> {
  const gatewayApi = goPin('gatewayApi');
  await kubectl(cluster, ['apply', '--server-side', '-f',
    join(moduleDir(gatewayApi.module, gatewayApi.version), 'config/crd/standard')]);
  // The API server writes each CRD's status once it is served: before, resourceVersions still move.
  await kubectl(cluster, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
}
