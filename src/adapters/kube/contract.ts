// What a KubeClient is: the interface commands and actions see, what its methods take, and
// the errors they throw. The implementations (client-node.ts, fake.ts) import this module;
// client.ts re-exports it with the factory that loads the real client.
import type {Duplex} from 'node:stream';
import {ToolError} from '../../errors.js';
import {displayName, type KubeObject, type ResourceRef} from '../../core/objects.js';

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
  /** Label selector as kubectl's `-l` takes it, e.g. `app.kubernetes.io/managed-by=sparc-mesh,sparc-mesh.io/service=pay`. */
  labelSelector?: string;
  /** Field selector as kubectl's `--field-selector` takes it, e.g. `involvedObject.name=pay-7d9f`. */
  fieldSelector?: string;
}

/** The field manager every write of sparc-mesh is recorded under. */
export const FIELD_MANAGER = 'sparc-mesh';

export interface WriteOptions {
  /** `dryRun=All`: the API server runs admission and validation and persists nothing. */
  dryRun?: boolean;
  /** Defaults to FIELD_MANAGER. */
  fieldManager?: string;
}

export interface MergePatchOptions extends WriteOptions {
  /** Patch this subresource instead of the object: `status` for what a controller reports (kubectl's --subresource). */
  subresource?: 'status';
}

export interface ApplyOptions extends WriteOptions {
  /** Take over fields another manager owns instead of failing with an ApplyConflictError. */
  force?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  /** Delete only if the object still has this uid (it is the one we created, not a newer namesake). */
  uid?: string;
}

/** One field another manager owns, as the API server names it in a 409. */
export interface FieldConflict {
  manager: string;
  field: string;
}

/** Server-side apply refused: fields of the object are owned by other managers. */
export class ApplyConflictError extends ToolError {
  override readonly code = 'ApplyConflict';
  override readonly hint = 'pass --force-conflicts to take the fields over, or change them with their owner';
  constructor(readonly ref: ResourceRef, readonly conflicts: readonly FieldConflict[], serverMessage: string) {
    const fields = conflicts.map((conflict) => `${conflict.field} (owned by "${conflict.manager}")`).join(', ');
    super('kube-apiserver', ['PATCH', displayName(ref)], 409, serverMessage,
      `${displayName(ref)}: ${conflicts.length} field${
        conflicts.length === 1 ? '' : 's'
      } owned by another field manager: ${fields || serverMessage}.`
        + ' Pass --force-conflicts to take them over for sparc-mesh, or change them with their owner.');
    this.name = 'ApplyConflictError';
  }
}

/** The API server does not serve a kind (its CRD is not installed, or the version is gone). */
export class KindNotServedError extends ToolError {
  override readonly code = 'KindNotServed';
  override readonly hint = 'install the CRD of the kind (or the component that brings it) first';
  constructor(readonly apiVersion: string, readonly kind: string) {
    super('kube-apiserver', ['GET', apiVersion], 404, '',
      `the API server does not serve ${kind} in ${apiVersion}: install its CRD (or the component that brings it) first`);
    this.name = 'KindNotServedError';
  }
}

/** The API server's version, from /version. */
export interface ServerVersion {
  major: number;
  minor: number;
  /** As the server reports it, e.g. `v1.36.3`. */
  gitVersion: string;
}

/** One thing the caller wants to do, as a SelfSubjectAccessReview asks it (`kubectl auth can-i`). */
export interface AccessCheck {
  verb: string;
  /** API group; '' for the core group. */
  group: string;
  /** Plural resource name, e.g. `customresourcedefinitions`. */
  resource: string;
  /** Absent: cluster-wide (every namespace for namespaced resources). */
  namespace?: string;
}

/** An object of a namespace by name (a pod, a Service). */
export interface NamespacedName {
  namespace: string;
  name: string;
}

/** Which part of a container's log (pods/log), as `kubectl logs --tail N --limit-bytes B [--previous]` asks for it. */
export interface LogOptions {
  /** The last N lines. */
  tailLines: number;
  /**
   * At most this many bytes, counted from the first of those lines (the API server's limitBytes;
   * the client stops reading there too): one log line can be megabytes.
   */
  limitBytes: number;
  /** The log of the container's instance before its last restart. */
  previous?: boolean;
}

/** A container's log as read. */
export interface ContainerLog {
  text: string;
  /** The answer reached limitBytes: its last line may be cut and newer lines were not read. */
  cut: boolean;
}

/** The REST mapping of a kind, or undefined while the server does not serve it (its CRD is not installed yet). */
export async function servedType(client: KubeClient, apiVersion: string,
  kind: string): Promise<ResourceType | undefined>
{
  try {
    return await client.resourceType(apiVersion, kind);
  } catch (error) {
    if (error instanceof KindNotServedError) return undefined;
    throw error;
  }
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
  /** REST mapping of an apiVersion and kind, from discovery (cached); KindNotServedError when not served. */
  resourceType(apiVersion: string, kind: string): Promise<ResourceType>;
  /** The live object, or undefined when it does not exist. */
  get(ref: ResourceRef): Promise<KubeObject | undefined>;
  /** Server-side apply (`application/apply-patch+yaml`); the object as the server stored it, or would (dry run). */
  apply(object: KubeObject, options?: ApplyOptions): Promise<KubeObject>;
  /** JSON merge patch, recorded under the field manager; the patched object. */
  mergePatch(ref: ResourceRef, patch: Record<string, unknown>, options?: MergePatchOptions): Promise<KubeObject>;
  /** Deletes (background propagation); false when the object was already gone. */
  delete(ref: ResourceRef, options?: DeleteOptions): Promise<boolean>;
  serverVersion(): Promise<ServerVersion>;
  /** Whether the caller may do each thing, in the order asked (SelfSubjectAccessReview). */
  canI(checks: readonly AccessCheck[]): Promise<boolean[]>;
  /**
   * One connection to a port of a pod through the API server (pods/portforward), as
   * `kubectl port-forward` opens one per client connection: the stream ends when the pod's side
   * closes, and fails with what the kubelet reported when it could not connect.
   */
  openPodPort(pod: NamespacedName, port: number): Promise<Duplex>;
  /**
   * Part of a container's log (pods/log). Fails as the API server does: 400 while the container
   * waits to start or has no previous instance, 403 without access to pods/log, 404 when the pod is gone.
   */
  containerLog(pod: NamespacedName, container: string, options: LogOptions): Promise<ContainerLog>;
}

/** Connection flags as kubectl spells them. */
export interface KubeConnection {
  kubeconfig?: string;
  context?: string;
  /** Longest wait for one answer of the API server (default 30s): a hung server must not hang the CLI. */
  requestTimeoutMs?: number;
}

export type KubeClientFactory = (connection: KubeConnection) => Promise<KubeClient>;
