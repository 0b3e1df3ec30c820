// An in-memory KubeClient for tests of error paths and of what actions ask for: it serves
// the objects it is given and fails where it is told to (Helm's fake client does the same).
import {groupOf, versionOf, type KubeObject} from '../../core/objects.js';
import type {KubeClient, ListScope, ResourceType} from './client.js';

export interface FakeKubeClientOptions {
  objects?: KubeObject[];
  /** Served types; by default one per apiVersion/kind of `objects`, namespaced unless the kind is cluster-scoped. */
  types?: ResourceType[];
  contextNamespace?: string;
  /** Throw this from discover(). */
  failDiscovery?: Error;
  /** Throw this when listing the named kind. */
  failList?: {kind: string; error: Error};
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'GatewayClass']);

function typesOf(objects: readonly KubeObject[]): ResourceType[] {
  const byKey = new Map<string, ResourceType>();
  for (const object of objects) {
    const group = groupOf(object.apiVersion);
    byKey.set(`${group}/${object.kind}`, {group, version: versionOf(object.apiVersion), kind: object.kind,
      plural: `${object.kind.toLowerCase()}s`, namespaced: !CLUSTER_SCOPED.has(object.kind)});
  }
  return [...byKey.values()];
}

export class FakeKubeClient implements KubeClient {
  readonly contextNamespace: string;
  /** Every list call, in order, so tests can assert what was asked. */
  readonly listCalls: {kind: string; scope: ListScope}[] = [];
  private readonly objects: KubeObject[];
  private readonly types: ResourceType[];

  constructor(private readonly options: FakeKubeClientOptions = {}) {
    this.objects = options.objects ?? [];
    this.types = options.types ?? typesOf(this.objects);
    this.contextNamespace = options.contextNamespace ?? 'default';
  }

  async discover(groups: readonly string[]): Promise<ResourceType[]> {
    if (this.options.failDiscovery) throw this.options.failDiscovery;
    return this.types.filter((type) => groups.includes(type.group));
  }

  async list(type: ResourceType, scope: ListScope): Promise<KubeObject[]> {
    this.listCalls.push({kind: type.kind, scope});
    if (this.options.failList?.kind === type.kind) throw this.options.failList.error;
    return this.objects.filter((object) => object.kind === type.kind && groupOf(object.apiVersion) === type.group
      && (!type.namespaced || !scope.namespace || object.metadata.namespace === scope.namespace));
  }
}
