// Stops the test cluster's kube-apiserver in its tracks (SIGSTOP) and lets it go on (SIGCONT),
// for tests of what a client does when the server stops answering in the middle of its work.
// The process keeps its id and its process group, so stopCluster() still ends it.
import {readFileSync, readdirSync} from 'node:fs';

/** The kube-apiserver serving the kubeconfig's server, found by its --secure-port. */
function apiServerPid(kubeconfig: string): number {
  const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as {clusters: {cluster: {server: string}}[]};
  const port = new URL(config.clusters[0]!.cluster.server).port;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv[0]?.endsWith('/kube-apiserver') && argv.includes(`--secure-port=${port}`)) return Number(entry);
  }
  throw new Error(`no kube-apiserver process serves port ${port} of ${kubeconfig}`);
}

/** Pauses the API server; the returned function resumes it. */
export function pauseApiServer(kubeconfig: string): () => void {
  const pid = apiServerPid(kubeconfig);
  process.kill(pid, 'SIGSTOP');
  return () => process.kill(pid, 'SIGCONT');
}
