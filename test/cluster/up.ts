// npm run cluster:up — builds what is missing, starts a test cluster for a person to use and
// prints its kubeconfig. It keeps running after this script exits; `npm run cluster:down` ends it.
import {buildMissing} from './build.js';
import {isAlive, startCluster} from './cluster.js';
import {loadClusterState, saveClusterState, sharedKubeconfig} from './state.js';

async function main(): Promise<void> {
  const running = await loadClusterState();
  if (running && Object.values(running.pids).every((pid) => isAlive(pid))) {
    console.log(`cluster: already running at ${running.server}`);
    console.log(sharedKubeconfig);
    return;
  }
  await buildMissing();
  const state = await startCluster();
  await saveClusterState(state);
  console.log(`cluster: up at ${state.server}; component logs in ${state.logDir}`);
  console.log(`cluster: export KUBECONFIG=${sharedKubeconfig}`);
  console.log(sharedKubeconfig);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
