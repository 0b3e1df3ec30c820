// The cluster that `npm run cluster:up` leaves running, recorded so that `cluster:down` (and
// anyone else) can find it: .sparc-mesh-test/cluster.json, with its kubeconfig beside it.
import {mkdir, readFile, rm, writeFile, copyFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ClusterState} from './cluster.js';

export const stateDir = fileURLToPath(new URL('../../.sparc-mesh-test/', import.meta.url));
const stateFile = join(stateDir, 'cluster.json');
export const sharedKubeconfig = join(stateDir, 'kubeconfig');

export async function saveClusterState(state: ClusterState): Promise<void> {
  await mkdir(dirname(stateFile), {recursive: true});
  await copyFile(state.kubeconfig, sharedKubeconfig);
  await writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export async function loadClusterState(): Promise<ClusterState | undefined> {
  const text = await readFile(stateFile, 'utf8').catch(() => undefined);
  return text ? (JSON.parse(text) as ClusterState) : undefined;
}

export async function forgetClusterState(): Promise<void> {
  await rm(stateFile, {force: true});
  await rm(sharedKubeconfig, {force: true});
}
