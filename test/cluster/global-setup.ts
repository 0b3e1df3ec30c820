// vitest globalSetup of the e2e project: builds the missing test binaries (printing a line per
// binary with its time: a cold build is long), starts the test cluster, names its kubeconfig to
// the tests through SPARC_MESH_KUBECONFIG and stops it at the end, keeping the component logs
// under .sparc-mesh-test/logs/ when a test failed.
//
// With SPARC_MESH_KUBECONFIG already set (for example to the kubeconfig printed by
// `npm run cluster:up`), the tests use that cluster and nothing is started.
import type {TestProject} from 'vitest/node';
import {buildMissing} from './build.js';
import {killClusterNow, startCluster, stopCluster} from './cluster.js';
import {loadClusterState} from './state.js';
import {auditLogEnv, kubeconfigEnv} from './testbin.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const log = (line: string) => console.log(line);
  await buildMissing(log);
  if (process.env[kubeconfigEnv]) {
    log(`cluster: using ${process.env[kubeconfigEnv]} from ${kubeconfigEnv}`);
    // The audit log of a cluster that `npm run cluster:up` started.
    const auditLog = (await loadClusterState())?.auditLog;
    if (auditLog && !process.env[auditLogEnv]) process.env[auditLogEnv] = auditLog;
    return undefined;
  }
  const state = await startCluster({log});
  process.env[kubeconfigEnv] = state.kubeconfig;
  process.env[auditLogEnv] = state.auditLog;
  // If vitest exits or is killed before teardown, the components must not outlive it.
  const onExit = () => killClusterNow(state);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    killClusterNow(state);
    for (const name of signals) process.off(name, onSignal);
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  for (const name of signals) process.on(name, onSignal);
  return async () => {
    process.off('exit', onExit);
    for (const name of signals) process.off(name, onSignal);
    const vitestState = project.vitest.state;
    const failed = vitestState.getCountOfFailedTests() > 0 || vitestState.getFailedFilepaths().length > 0;
    const kept = await stopCluster(state, {keepLogs: failed});
    if (kept) log(`cluster: a test failed; component logs kept in ${kept}`);
  };
}
