// Several clusters at once (--context repeated, or --all-contexts): the same job on each,
// in parallel with a bound, every cluster's progress prefixed with its context, and one
// result per cluster. A cluster that fails does not stop the others; the command then
// exits 1, and the result says which failed and why.
import type {KubeConnection} from '../adapters/kube/client.js';

export interface ClusterOutcome<R, E> {
  context: string;
  ok: boolean;
  result?: R;
  /** The error as --json reports errors (the caller's envelope). */
  error?: E;
}

export interface AcrossClusters<R, E> {
  clusters: ClusterOutcome<R, E>[];
}

/** How many clusters are worked on at once: enough for a fleet, without a burst of connections. */
const CLUSTER_CONCURRENCY = 4;

export async function acrossClusters<R, E>(
  connections: readonly KubeConnection[],
  work: (connection: KubeConnection, report: (line: string) => void) => Promise<R>,
  report: (context: string, line: string) => void,
  describeError: (error: unknown) => E,
): Promise<AcrossClusters<R, E>> {
  const clusters: ClusterOutcome<R, E>[] = new Array(connections.length);
  let next = 0;
  const worker = async () => {
    while (next < connections.length) {
      const index = next++;
      const connection = connections[index]!;
      const context = connection.context ?? '(current context)';
      try {
        clusters[index] = {context, ok: true, result: await work(connection, (line) => report(context, line))};
      } catch (error) {
        clusters[index] = {context, ok: false, error: describeError(error)};
      }
    }
  };
  await Promise.all(Array.from({length: Math.min(CLUSTER_CONCURRENCY, connections.length)}, worker));
  return {clusters};
}
