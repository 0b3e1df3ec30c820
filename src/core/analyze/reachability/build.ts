// Builds the reachability model: nodes are Services (with the workloads they select)
// and workloads that no Service selects; an edge is one caller node, one Service and one
// of its ports. Every caller workload is tried against every backend workload; the edge
// is `allow` when all pairs pass, `deny` when none does, `partial` otherwise.
import type {SourcedObject} from '../../objects.js';
import {asString, at} from '../istio/query/fields.js';
import {SECURITY_GROUP} from '../istio/query/lookup.js';
import type {KubeServicePort} from '../istio/query/ports.js';
import {inventoryOf, type ContainerPort, type Inventory, type MeshMembership, type ServiceInfo,
  type Workload} from '../mesh-policy/inventory.js';
import {controlPlaneValues, LINKERD_DEFAULT_INBOUND_POLICY,
  LINKERD_POLICY_GROUP} from '../mesh-policy/linkerd-model.js';
import {evaluateIstio} from './istio.js';
import {evaluateLinkerd} from './linkerd.js';
import type {Call, LayerResult, Reason, ReachabilityEdge, ReachabilityModel, ReachabilityNode, ReachabilityOptions,
  Verdict} from './model.js';
import {evaluateNetworkPolicy} from './network.js';

interface Group {
  node: ReachabilityNode;
  /** The workloads that call from this node. */
  workloads: Workload[];
  /** The Service and all the workloads it selects, when the node is a Service. */
  service?: ServiceInfo;
  backends: Workload[];
}

interface Settings {
  trustDomain: string;
  linkerdDefault: string;
  meshOf: (workload: Workload) => Exclude<MeshMembership, 'unknown'>;
}

function settingsOf(inventory: Inventory, options: ReachabilityOptions): Settings {
  const configured = controlPlaneValues(inventory).map(({values}) =>
    asString(at(values, 'proxy', 'defaultInboundPolicy'))
  ).find(Boolean);
  const fallback = options.defaultMesh ?? detectMesh(inventory);
  return {
    trustDomain: options.trustDomain ?? inventory.trustDomain,
    linkerdDefault: options.linkerdDefaultPolicy ?? configured ?? LINKERD_DEFAULT_INBOUND_POLICY,
    meshOf: (workload) => {
      const membership = inventory.meshOf(workload);
      return membership === 'unknown' ? fallback : membership;
    },
  };
}

/** The mesh the input's policy objects speak of; `none` when they speak of neither. */
function detectMesh(inventory: Inventory): 'istio' | 'linkerd' | 'none' {
  const has = (kind: string, group: string) => inventory.ctx.byKind(kind, group).length > 0;
  if (has('PeerAuthentication', SECURITY_GROUP) || has('AuthorizationPolicy', SECURITY_GROUP)) return 'istio';
  if (has('Server', LINKERD_POLICY_GROUP) || has('AuthorizationPolicy', LINKERD_POLICY_GROUP)) return 'linkerd';
  return 'none';
}

function spiffe(trustDomain: string, workload: Workload): string {
  return `spiffe://${trustDomain}/ns/${workload.namespace}/sa/${workload.serviceAccount}`;
}

function makeNode(namespace: string, name: string, kind: string, workloads: Workload[],
  settings: Settings): ReachabilityNode
{
  const meshes = [...new Set(workloads.map(settings.meshOf))];
  return {
    id: `${namespace}/${name}`,
    namespace,
    name,
    kind,
    workloads: workloads.map((workload) => `${workload.kind}/${workload.name}`).sort(),
    identities: [...new Set(workloads.map((workload) => spiffe(settings.trustDomain, workload)))].sort(),
    mesh: meshes.length === 1 ? (meshes[0] ?? 'none') : 'unknown',
  };
}

/** Services with backends become nodes; a workload behind several Services calls from the first (by name). */
function groupsOf(inventory: Inventory, settings: Settings): Group[] {
  const groups: Group[] = [];
  const grouped = new Set<Workload>();
  const services = [...inventory.services].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)
  );
  for (const service of services) {
    const backends = inventory.backendsOf(service);
    if (backends.length === 0) continue;
    groups.push({node: makeNode(service.namespace, service.name, 'Service', backends, settings),
      workloads: backends.filter((workload) => !grouped.has(workload)), service, backends});
    for (const workload of backends) grouped.add(workload);
  }
  for (const workload of inventory.workloads) {
    if (grouped.has(workload)) continue;
    groups.push({node: makeNode(workload.namespace, workload.name, workload.kind, [workload], settings),
      workloads: [workload], backends: []});
  }
  return groups.sort((a, b) => a.node.id.localeCompare(b.node.id));
}

/** The container port a Service port lands on in one backend; undefined when a named targetPort is not declared there. */
function containerPort(port: KubeServicePort, backend: Workload): ContainerPort | undefined {
  const target = port.targetPort ?? port.port;
  const protocol = port.protocol;
  if (typeof target === 'number' || /^\d+$/.test(target)) {
    const number = Number(target);
    const declared = backend.ports.find((entry) => entry.port === number && entry.protocol === protocol);
    return declared ?? {port: number, protocol};
  }
  return backend.ports.find((entry) => entry.name === target && entry.protocol === protocol);
}

const FILTER_PART = '[a-z0-9]([-a-z0-9.]*[a-z0-9])?';
const FILTER = new RegExp(`^${FILTER_PART}(/${FILTER_PART})?$`);

/** Why --from or --to cannot name a node at all, or undefined when it may. */
export function filterProblem(filter: string): string | undefined {
  return FILTER.test(filter) ? undefined : 'is not a namespace, a name, or namespace/name (lower-case DNS names)';
}

/** A --from or --to filter that matches no node: a typo, most likely, which would print an empty graph. */
export class ReachabilityFilterError extends Error {
  constructor(readonly filter: 'from' | 'to', readonly value: string, readonly namespaces: readonly string[]) {
    super(`${filter} ${value} matches no service`);
    this.name = 'ReachabilityFilterError';
  }
}

/** A filter names a namespace, a node name (in any namespace) or one `namespace/name`. */
function matchesFilter(node: ReachabilityNode, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  return filter.includes('/') ? filter === node.id : filter === node.namespace || filter === node.name;
}

function evaluateCall(inventory: Inventory, call: Call, settings: Settings): LayerResult {
  const layers: LayerResult[] = [evaluateNetworkPolicy(inventory, call)];
  if (call.destinationMesh === 'istio') layers.push(evaluateIstio(inventory, call, settings.trustDomain));
  if (call.destinationMesh === 'linkerd') {
    layers.push(evaluateLinkerd(inventory, call, settings.trustDomain, settings.linkerdDefault));
  }
  const l7 = layers.flatMap((layer) => layer.l7 ?? []);
  const result: LayerResult = {allowed: layers.every((layer) => layer.allowed),
    reasons: layers.flatMap((layer) => layer.reasons)};
  if (l7.length > 0) result.l7 = l7;
  return result;
}

function verdictOf(results: LayerResult[]): Verdict {
  const allowed = results.filter((result) => result.allowed).length;
  if (allowed === results.length) return 'allow';
  return allowed === 0 ? 'deny' : 'partial';
}

/** Reasons of several workload pairs, each said once; deciding reasons of denied pairs first. */
function mergeReasons(results: LayerResult[]): Reason[] {
  if (results.length === 1) return results[0]?.reasons ?? [];
  const seen = new Set<string>();
  const merged: Reason[] = [];
  const ordered = [...results.filter((result) => !result.allowed), ...results.filter((result) => result.allowed)];
  for (const reason of ordered.flatMap((result) => result.reasons)) {
    const key = `${reason.layer}\u0000${reason.effect}\u0000${reason.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(reason);
  }
  return merged;
}

function edgesBetween(inventory: Inventory, settings: Settings, from: Group, to: Group): ReachabilityEdge[] {
  if (!to.service || from.node.id === to.node.id) return [];
  const edges: ReachabilityEdge[] = [];
  for (const port of to.service.ports) {
    const results: LayerResult[] = [];
    let targetPort: number | undefined;
    for (const destination of to.backends) {
      const landing = containerPort(port, destination);
      if (!landing) continue;
      targetPort ??= landing.port;
      for (const source of from.workloads) {
        const call: Call = {source, sourceMesh: settings.meshOf(source), destination,
          destinationMesh: settings.meshOf(destination), port: landing};
        results.push(evaluateCall(inventory, call, settings));
      }
    }
    if (results.length === 0 || targetPort === undefined) continue;
    const verdict = verdictOf(results);
    const l7 = verdict === 'deny' || results.some((result) => result.allowed && !result.l7)
      ? []
      : [...new Set(results.flatMap((result) => result.l7 ?? []))];
    edges.push({from: from.node.id, to: to.node.id, port: port.port, targetPort, protocol: port.protocol, verdict, l7,
      reasons: mergeReasons(results)});
  }
  return edges;
}

/** Which service may call which: the model behind `validate reachability` and `debug`. */
export function buildReachability(objects: readonly SourcedObject[],
  options: ReachabilityOptions = {}): ReachabilityModel
{
  const inventory = inventoryOf({
    objects: objects as SourcedObject[],
    ...(options.namespaces ? {namespaces: options.namespaces} : {}),
    ...(options.meshConfig ? {meshConfig: options.meshConfig} : {}),
  });
  const settings = settingsOf(inventory, options);
  const groups = groupsOf(inventory, settings);
  const sources = groups.filter((group) => matchesFilter(group.node, options.from));
  const targets = groups.filter((group) => matchesFilter(group.node, options.to));
  const namespaces = () => [...new Set(groups.map((group) => group.node.namespace))].sort();
  if (options.from !== undefined && sources.length === 0) {
    throw new ReachabilityFilterError('from', options.from, namespaces());
  }
  if (options.to !== undefined && targets.length === 0) {
    throw new ReachabilityFilterError('to', options.to, namespaces());
  }
  const edges = sources.flatMap((from) => targets.flatMap((to) => edgesBetween(inventory, settings, from, to)));
  const used = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  const nodes = groups.map((group) => group.node).filter((node) =>
    used.has(node.id) || (options.from === undefined && options.to === undefined)
  );
  return {nodes, edges};
}
