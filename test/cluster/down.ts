// npm run cluster:down — stops the cluster that `npm run cluster:up` started and removes its files.
import {stopCluster} from './cluster.js';
import {forgetClusterState, loadClusterState} from './state.js';

async function main(): Promise<void> {
  const state = await loadClusterState();
  if (!state) {
    console.log('cluster: none running');
    return;
  }
  await stopCluster(state);
  await forgetClusterState();
  console.log(`cluster: stopped ${state.server}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
