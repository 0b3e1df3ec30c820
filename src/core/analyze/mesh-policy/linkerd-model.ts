// Linkerd policy objects and their references, shared by the SM2xxx rules and the
// reachability model: Servers and the workload ports they describe, the default
// inbound policy a workload falls back to, and typed references between objects.
import type {SourcedObject} from '../../objects.js';
import {asArray, asRecord, asString, at, namespaceOf} from '../istio/query/fields.js';
import {GATEWAY_API_GROUP} from '../istio/query/lookup.js';
import {matchesLabelSelector} from '../istio/query/selectors.js';
import {parseYamlRecord, type ContainerPort, type Inventory, type Workload} from './inventory.js';

export const LINKERD_POLICY_GROUP = 'policy.linkerd.io';
export const DEFAULT_INBOUND_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';
/** Linkerd's own default when neither the install nor an annotation sets one. */
export const LINKERD_DEFAULT_INBOUND_POLICY = 'all-unauthenticated';

export interface ObjectRef {
  group: string;
  kind: string;
  name: string;
  namespace: string;
}

/** A typed reference (`targetRef`, `requiredAuthenticationRefs[]`, `parentRefs[]`); the namespace defaults to the referrer's. */
export function refFrom(value: unknown, defaultNamespace: string, defaultGroup = ''): ObjectRef | undefined {
  const kind = asString(at(value, 'kind'));
  const name = asString(at(value, 'name'));
  if (!kind || name === undefined) return undefined;
  const group = asString(at(value, 'group'));
  return {group: group === 'core' ? '' : group ?? defaultGroup, kind, name,
    namespace: asString(at(value, 'namespace')) ?? defaultNamespace};
}

export function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** HTTPRoutes live in Linkerd's policy group or in the Gateway API group; a reference may name either. */
export function isRouteKind(kind: string): boolean {
  return kind === 'HTTPRoute' || kind === 'GRPCRoute';
}

export function resolveRef(inventory: Inventory, ref: ObjectRef): SourcedObject | undefined {
  if (isRouteKind(ref.kind) && ref.group === '') {
    return inventory.lookup.get(ref.kind, ref.namespace, ref.name, LINKERD_POLICY_GROUP)
      ?? inventory.lookup.get(ref.kind, ref.namespace, ref.name, GATEWAY_API_GROUP);
  }
  return inventory.lookup.get(ref.kind, ref.namespace, ref.name, ref.group);
}

export interface LinkerdServer {
  target: SourcedObject;
  name: string;
  namespace: string;
  podSelector: unknown;
  port: number | string | undefined;
}

const serverCache = new WeakMap<Inventory, LinkerdServer[]>();

/** The input's Servers, parsed once per inventory. */
export function serversOf(inventory: Inventory): LinkerdServer[] {
  const cached = serverCache.get(inventory);
  if (cached) return cached;
  const servers = inventory.ctx.byKind('Server', LINKERD_POLICY_GROUP).map((target): LinkerdServer => {
    const port = at(target.object, 'spec', 'port');
    return {
      target,
      name: target.object.metadata.name ?? '',
      namespace: namespaceOf(target.object),
      podSelector: at(target.object, 'spec', 'podSelector'),
      port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
    };
  });
  serverCache.set(inventory, servers);
  return servers;
}

/** A Server without podSelector (it may select external workloads instead) selects no pod. */
export function serverSelects(server: LinkerdServer, workload: Workload): boolean {
  return server.namespace === workload.namespace && asRecord(server.podSelector) !== undefined
    && matchesLabelSelector(server.podSelector, workload.labels);
}

export function serverPortMatches(server: LinkerdServer, port: ContainerPort): boolean {
  if (typeof server.port === 'number') return server.port === port.port;
  if (typeof server.port === 'string') {
    return /^\d+$/.test(server.port) ? Number(server.port) === port.port : server.port === port.name;
  }
  return false;
}

/** The proxy values Linkerd keeps in the `linkerd-config` ConfigMap (`data.values`), parsed, with the object. */
export function controlPlaneValues(inventory: Inventory): {target: SourcedObject; values: Record<string, unknown>}[] {
  return inventory.ctx.byKind('ConfigMap', '')
    .filter((target) => target.object.metadata.name === 'linkerd-config')
    .flatMap((target) => {
      const text = at(target.object, 'data', 'values');
      const values = parseYamlRecord(text);
      return values ? [{target, values}] : [];
    });
}

/** Where a workload's default inbound policy comes from: its pod annotation, its namespace's, or the cluster default given. */
export function defaultInboundPolicy(inventory: Inventory, workload: Workload,
  clusterDefault: string): {policy: string; source: string}
{
  const own = workload.annotations[DEFAULT_INBOUND_POLICY_ANNOTATION];
  if (own) return {policy: own, source: `annotation on ${workload.kind} ${workload.name}`};
  const namespaced = inventory.namespaces.get(workload.namespace)?.annotations[DEFAULT_INBOUND_POLICY_ANNOTATION];
  if (namespaced) return {policy: namespaced, source: `annotation on Namespace ${workload.namespace}`};
  return {policy: clusterDefault, source: 'cluster default'};
}

/** `requiredAuthenticationRefs` of a Linkerd AuthorizationPolicy, resolved to references. */
export function authenticationRefs(policy: SourcedObject): ObjectRef[] {
  const namespace = namespaceOf(policy.object);
  return asArray(at(policy.object, 'spec', 'requiredAuthenticationRefs'))
    .map((value) =>
      refFrom(value, namespace, asString(at(value, 'kind')) === 'ServiceAccount' ? '' : LINKERD_POLICY_GROUP)
    )
    .filter((ref): ref is ObjectRef => ref !== undefined);
}
