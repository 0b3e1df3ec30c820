// For e2e tests that run on a control plane of their own (startCluster): kubectl against it, and
// the resourceVersion of every object of some kinds, to prove a re-run changed nothing.
import {execa} from 'execa';
import type {ClusterState} from '../cluster/cluster.js';
import {testbinPath} from '../cluster/testbin.js';

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
