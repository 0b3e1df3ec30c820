// The one door to a Kubernetes API server. Commands and actions see only the KubeClient
// interface (contract.ts); the implementation over plain HTTPS (client-node.ts) is imported on
// first use, so that `--help` and file-only commands never load it, and tests pass a fake instead.
import type {KubeClientFactory} from './contract.js';

export * from './contract.js';

/** The real client, loaded lazily. */
export const createKubeClient: KubeClientFactory = async (connection) => {
  const {ClientNodeKubeClient} = await import('./client-node.js');
  return ClientNodeKubeClient.connect(connection);
};
