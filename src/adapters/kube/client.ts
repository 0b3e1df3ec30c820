// The one door to a Kubernetes API server. Commands and actions see only the KubeClient
// interface (contract.ts); the implementation over plain HTTPS (client-node.ts) is imported on
// first use, so that `--help` and file-only commands never load it, and tests pass a fake instead.
import type {KubeClientFactory} from './contract.js';
import {assertSomeKubeconfig} from './kubeconfig.js';

export * from './contract.js';

/** The real client, loaded lazily; with no kubeconfig anywhere, a usage error that says so (exit 2) instead of client-node's fallback server. */
export const createKubeClient: KubeClientFactory = async (connection) => {
  assertSomeKubeconfig(connection,
    'pass --kubeconfig FILE or set $KUBECONFIG; --dry-run or --output-dir render without a cluster');
  const {ClientNodeKubeClient} = await import('./client-node.js');
  return ClientNodeKubeClient.connect(connection);
};
