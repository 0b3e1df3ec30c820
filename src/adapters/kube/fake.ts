// An in-memory KubeClient for tests of error paths and of what actions ask for: it serves
// the objects it is given and fails where it is told to (Helm's fake client does the same).
// Writes are modelled only as far as the actions look at them: apply merges the config into
// the stored object, records the manager's fields and bumps resourceVersion when something
// changed; it does not remove fields a manager stopped applying (the real API server does,
// and the e2e tests check that against it).
import {connect} from 'node:net';
import type {Duplex} from 'node:stream';
import {isDeepStrictEqual} from 'node:util';
import {displayName, groupOf, versionOf, type KubeObject, type ResourceRef} from '../../core/objects.js';
import {isRecord} from '../../core/record.js';
import {ToolError} from '../../errors.js';
import {FIELD_MANAGER, KindNotServedError, type AccessCheck, type ApplyOptions, type ContainerLog, type DeleteOptions,
  type KubeClient, type ListScope, type LogOptions, type MergePatchOptions, type NamespacedName, type ResourceType,
  type ServerVersion} from './contract.js';

/** A write the fake saw, in order: what tests of rollback assert on. */
export interface FakeWrite {
  verb: 'apply' | 'mergePatch' | 'delete';
  ref: ResourceRef;
  dryRun: boolean;
  force?: boolean;
  fieldManager: string;
  body?: Record<string, unknown>;
  /** A merge patch of this subresource. */
  subresource?: 'status';
}

/** Decides whether a call fails: return an error to throw it, undefined to proceed. */
export type FailWhen = (ref: ResourceRef, call: number) => Error | undefined;

export interface FakeKubeClientOptions {
  objects?: KubeObject[];
  /** Served types; by default one per apiVersion/kind of `objects`, namespaced unless the kind is cluster-scoped. */
  types?: ResourceType[];
  contextNamespace?: string;
  /** Throw this from discover(). */
  failDiscovery?: Error;
  /** Throw this when listing the named kind. */
  failList?: {kind: string; error: Error};
  /** Injected failures of writes and reads; `call` counts that verb's calls from 1. */
  failApply?: FailWhen;
  failGet?: FailWhen;
  failDelete?: FailWhen;
  /** What serverVersion() answers (default 1.36). */
  version?: ServerVersion;
  /** Access checks the caller is denied (all others are allowed). */
  deny?: (check: AccessCheck) => boolean;
  /** Where openPodPort connects for a pod's port (a local TCP port), or the error it fails with. */
  podPorts?: (pod: NamespacedName, port: number) => number | Error;
  /**
   * Each container's log by `namespace/pod/container` (`…/container/previous` for the instance before
   * a restart), served with tailLines and limitBytes as the API server applies them; an Error is thrown.
   * Any other container fails as a pod that is gone does (404).
   */
  containerLogs?: Record<string, string | Error>;
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

const keyOf = (ref: ResourceRef) => `${groupOf(ref.apiVersion)}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
const refOfObject = (object: KubeObject): ResourceRef => ({apiVersion: object.apiVersion, kind: object.kind,
  name: object.metadata.name ?? '', namespace: object.metadata.namespace});

/** Maps merge key by key; anything else (lists included) is replaced. */
function merge(live: unknown, config: unknown): unknown {
  if (!isRecord(live) || !isRecord(config)) return config;
  const out: Record<string, unknown> = {...live};
  for (const [key, value] of Object.entries(config)) out[key] = merge(live[key], value);
  return out;
}

/** fieldsV1 of a config: maps are walked, any other value is a leaf (lists are treated as atomic). */
export function fieldsOf(value: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    fields[`f:${key}`] = isRecord(child) ? {'.': {}, ...fieldsOf(child)} : {};
  }
  return fields;
}

/** Labels as a selector `k=v,k2=v2` (equality terms only: all the actions use). */
function matchesSelector(object: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return object.metadata.labels?.[key!] === value;
  });
}

/** `a.b=value,...` over the object's fields, as the API server reads a field selector. */
function matchesFields(object: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [path, value] = term.split('=');
    const found = path!.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), object);
    return String(found ?? '') === value;
  });
}

const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

function content(object: KubeObject): unknown {
  const metadata = Object.fromEntries(Object.entries(object.metadata).filter(([key]) => !SERVER_FIELDS.includes(key)));
  return {...object, metadata};
}

export class FakeKubeClient implements KubeClient {
  readonly contextNamespace: string;
  /** Every list call, in order, so tests can assert what was asked. */
  readonly listCalls: {kind: string; scope: ListScope}[] = [];
  /** Every write, in order, dry runs included. */
  readonly writes: FakeWrite[] = [];
  private readonly store = new Map<string, KubeObject>();
  private readonly types: ResourceType[];
  private readonly calls = {apply: 0, get: 0, delete: 0};
  private revision = 1;

  constructor(private readonly options: FakeKubeClientOptions = {}) {
    const objects = options.objects ?? [];
    for (const object of objects) this.store.set(keyOf(refOfObject(object)), object);
    this.types = options.types ?? typesOf(objects);
    this.contextNamespace = options.contextNamespace ?? 'default';
  }

  /** What the fake holds now. */
  get objects(): KubeObject[] {
    return [...this.store.values()];
  }

  /** The stored object (not a copy: tests may inspect it). */
  peek(ref: ResourceRef): KubeObject | undefined {
    return this.store.get(keyOf(ref));
  }

  async resourceType(apiVersion: string, kind: string): Promise<ResourceType> {
    const group = groupOf(apiVersion);
    const type = this.types.find((candidate) => candidate.group === group && candidate.kind === kind);
    if (!type) throw new KindNotServedError(apiVersion, kind);
    return {...type, version: versionOf(apiVersion)};
  }

  async get(ref: ResourceRef): Promise<KubeObject | undefined> {
    await this.resourceType(ref.apiVersion, ref.kind);
    const failure = this.options.failGet?.(ref, ++this.calls.get);
    if (failure) throw failure;
    const object = this.store.get(keyOf(ref));
    return object && structuredClone(object);
  }

  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const ref = refOfObject(object);
    await this.resourceType(ref.apiVersion, ref.kind);
    const fieldManager = options.fieldManager ?? FIELD_MANAGER;
    this.writes.push({verb: 'apply', ref, dryRun: Boolean(options.dryRun), force: Boolean(options.force), fieldManager,
      body: structuredClone(object) as Record<string, unknown>});
    const failure = this.options.failApply?.(ref, ++this.calls.apply);
    if (failure) throw failure;
    const live = this.store.get(keyOf(ref));
    const merged = merge(live ?? {}, object) as KubeObject;
    const entry = {manager: fieldManager, operation: 'Apply', apiVersion: object.apiVersion, fieldsType: 'FieldsV1',
      fieldsV1: fieldsOf(object)};
    const others = ((live?.metadata.managedFields ?? []) as {manager: string}[]).filter((other) =>
      other.manager !== fieldManager
    );
    merged.metadata = {...merged.metadata, managedFields: [...others, entry]};
    if (live && isDeepStrictEqual(content(live), content(merged))) return structuredClone(live);
    merged.metadata.uid = live?.metadata.uid ?? `uid-${displayName(ref)}`;
    merged.metadata.resourceVersion = String(++this.revision);
    if (!options.dryRun) this.store.set(keyOf(ref), merged);
    return structuredClone(merged);
  }

  async mergePatch(ref: ResourceRef, patch: Record<string, unknown>,
    options: MergePatchOptions = {}): Promise<KubeObject>
  {
    this.writes.push({verb: 'mergePatch', ref, dryRun: Boolean(options.dryRun),
      fieldManager: options.fieldManager ?? FIELD_MANAGER, body: patch,
      ...(options.subresource ? {subresource: options.subresource} : {})});
    const live = this.store.get(keyOf(ref));
    if (!live) throw new Error(`${displayName(ref)} not found`);
    const patched = merge(live, patch) as KubeObject;
    patched.metadata.resourceVersion = String(++this.revision);
    if (!options.dryRun) this.store.set(keyOf(ref), patched);
    return structuredClone(patched);
  }

  async delete(ref: ResourceRef, options: DeleteOptions = {}): Promise<boolean> {
    await this.resourceType(ref.apiVersion, ref.kind);
    this.writes.push({verb: 'delete', ref, dryRun: Boolean(options.dryRun),
      fieldManager: options.fieldManager ?? FIELD_MANAGER});
    const failure = this.options.failDelete?.(ref, ++this.calls.delete);
    if (failure) throw failure;
    const live = this.store.get(keyOf(ref));
    if (!live) return false;
    if (options.uid && live.metadata.uid !== options.uid) {
      throw new Error(`${displayName(ref)}: uid precondition failed`);
    }
    if (!options.dryRun) this.store.delete(keyOf(ref));
    return true;
  }

  async serverVersion(): Promise<ServerVersion> {
    return this.options.version ?? {major: 1, minor: 36, gitVersion: 'v1.36.3'};
  }

  async canI(checks: readonly AccessCheck[]): Promise<boolean[]> {
    return checks.map((check) => !this.options.deny?.(check));
  }

  async openPodPort(pod: NamespacedName, port: number): Promise<Duplex> {
    const target = this.options.podPorts?.(pod, port)
      ?? new Error(`no port ${port} on pod ${pod.namespace}/${pod.name}`);
    if (target instanceof Error) throw target;
    const socket = connect(target, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return socket;
  }

  async containerLog(pod: NamespacedName, container: string, options: LogOptions): Promise<ContainerLog> {
    const key = `${pod.namespace}/${pod.name}/${container}${options.previous ? '/previous' : ''}`;
    const log = this.options.containerLogs?.[key]
      ?? new ToolError('kube-apiserver', ['GET', key], 404, `pods "${pod.name}" not found`);
    if (log instanceof Error) throw log;
    const lines = log.split(/(?<=\n)/);
    const bytes = Buffer.from(lines.slice(-options.tailLines).join(''));
    return {text: bytes.subarray(0, options.limitBytes).toString('utf8'), cut: bytes.length >= options.limitBytes};
  }

  async discover(groups: readonly string[]): Promise<ResourceType[]> {
    if (this.options.failDiscovery) throw this.options.failDiscovery;
    return this.types.filter((type) => groups.includes(type.group));
  }

  async list(type: ResourceType, scope: ListScope): Promise<KubeObject[]> {
    this.listCalls.push({kind: type.kind, scope});
    if (this.options.failList?.kind === type.kind) throw this.options.failList.error;
    return this.objects.filter((object) =>
      object.kind === type.kind && groupOf(object.apiVersion) === type.group
      && (!type.namespaced || !scope.namespace || object.metadata.namespace === scope.namespace)
      && matchesSelector(object, scope.labelSelector) && matchesFields(object, scope.fieldSelector)
    ).map((object) => structuredClone(object));
  }
}
