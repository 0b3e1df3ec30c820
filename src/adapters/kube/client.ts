// The one door to a Kubernetes API server. Commands and actions see only this interface;
// the @kubernetes/client-node implementation is imported on first use, so that `--help`
// and file-only commands never load it, and tests pass a fake instead.
import type {KubeObject} from '../../core/objects.js';

/** A resource type the API server serves, as discovery reports it. */
export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The path segment, e.g. `virtualservices`. */
  plural: string;
  namespaced: boolean;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Where to list: one namespace, or every namespace when `namespace` is absent. */
export interface ListScope {
  namespace?: string;
}

export interface KubeClient {
  /** Namespace of the kubeconfig context (`default` when it names none), as kubectl uses it. */
  readonly contextNamespace: string;
  /**
   * Resource types that support `list`, for the given API groups ('' = core), each at the
   * group's preferred version. Groups the server does not serve (a mesh not installed) are absent.
   */
  discover(groups: readonly string[]): Promise<ResourceType[]>;
  /** Every object of a type in the scope, with apiVersion and kind set on each item. Cluster-scoped types ignore the namespace. */
  list(type: ResourceType, scope: ListScope): Promise<KubeObject[]>;
}

/** Connection flags as kubectl spells them. */
export interface KubeConnection {
  kubeconfig?: string;
  context?: string;
}

export type KubeClientFactory = (connection: KubeConnection) => Promise<KubeClient>;

/** The real client, loaded lazily. */
export const createKubeClient: KubeClientFactory = async (connection) => {
  const {ClientNodeKubeClient} = await import('./client-node.js');
  return ClientNodeKubeClient.connect(connection);
};
