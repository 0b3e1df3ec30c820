// Kubernetes NetworkPolicy semantics shared by the SM3xxx rules and the reachability
// model. A pod is isolated for a direction only when some policy selects it for that
// direction; then a connection passes if any rule of any such policy admits it (union).
import type {SourcedObject} from '../../objects.js';
import {asArray, asInteger, asRecord, asString, asStrings, at, namespaceOf} from '../istio/query/fields.js';
import {matchesLabelSelector} from '../istio/query/selectors.js';
import type {ContainerPort, Inventory, NamespaceInfo, Workload} from './inventory.js';

export type Direction = 'ingress' | 'egress';

export interface NetworkPolicyRule {
  /** Undefined when the rule names no peers: every source (ingress) or destination (egress). */
  peers: Record<string, unknown>[] | undefined;
  /** Undefined when the rule names no ports: every port. */
  ports: Record<string, unknown>[] | undefined;
}

export interface ParsedNetworkPolicy {
  target: SourcedObject;
  namespace: string;
  podSelector: unknown;
  /** Directions the policy isolates (policyTypes, or Kubernetes' default: Ingress, plus Egress when egress rules exist). */
  isolates: Record<Direction, boolean>;
  rules: Record<Direction, NetworkPolicyRule[]>;
}

export interface NetworkPolicyIndex {
  policies: ParsedNetworkPolicy[];
  inNamespace(namespace: string): ParsedNetworkPolicy[];
  /** Policies that select the workload and isolate it for the direction. */
  isolating(workload: Workload, direction: Direction): ParsedNetworkPolicy[];
}

const ALL_ADDRESSES = new Set(['0.0.0.0/0', '::/0']);

/** `0.0.0.0/0` or `::/0`: a CIDR that spans every address (and so every pod, whatever its IP). */
export function spansEveryAddress(cidr: string): boolean {
  return ALL_ADDRESSES.has(cidr);
}

function parseRules(value: unknown, peerKey: 'from' | 'to'): NetworkPolicyRule[] {
  return asArray(value).map((rule) => {
    const peers = asArray(at(rule, peerKey)).map((peer) => asRecord(peer) ?? {});
    const ports = asArray(at(rule, 'ports')).map((port) => asRecord(port) ?? {});
    return {peers: peers.length > 0 ? peers : undefined, ports: ports.length > 0 ? ports : undefined};
  });
}

function parsePolicy(target: SourcedObject): ParsedNetworkPolicy {
  const spec = asRecord(target.object.spec) ?? {};
  const types = asStrings(spec.policyTypes);
  const hasEgressRules = asArray(spec.egress).length > 0;
  return {
    target,
    namespace: namespaceOf(target.object),
    podSelector: spec.podSelector ?? {},
    isolates: types.length > 0
      ? {ingress: types.includes('Ingress'), egress: types.includes('Egress')}
      : {ingress: true, egress: hasEgressRules},
    rules: {ingress: parseRules(spec.ingress, 'from'), egress: parseRules(spec.egress, 'to')},
  };
}

/** `{}` or an absent selector selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  const record = asRecord(selector);
  return !record
    || (Object.keys(asRecord(record.matchLabels) ?? {}).length === 0 && asArray(record.matchExpressions).length === 0);
}

/** A peer that admits every address: `{}`, an ipBlock of 0.0.0.0/0 or ::/0 without exceptions, or all pods of all namespaces. */
export function isEverywherePeer(peer: Record<string, unknown>): boolean {
  if (Object.keys(peer).length === 0) return true;
  const cidr = asString(at(peer, 'ipBlock', 'cidr'));
  if (cidr !== undefined) return spansEveryAddress(cidr) && asArray(at(peer, 'ipBlock', 'except')).length === 0;
  return peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector)
    && isEmptySelector(peer.podSelector);
}

const peerNamespaceCache = new WeakMap<Inventory, WeakMap<Record<string, unknown>, NamespaceInfo[]>>();

/** Namespaces a peer's namespaceSelector picks (computed once per peer); the policy's own namespace when it has none. */
export function peerNamespaces(inventory: Inventory, policyNamespace: string,
  peer: Record<string, unknown>): NamespaceInfo[]
{
  if (peer.namespaceSelector === undefined) {
    return [inventory.namespaces.get(policyNamespace) ?? {name: policyNamespace, labels: {}, annotations: {}}];
  }
  let byPeer = peerNamespaceCache.get(inventory);
  if (!byPeer) {
    byPeer = new WeakMap();
    peerNamespaceCache.set(inventory, byPeer);
  }
  let found = byPeer.get(peer);
  if (!found) {
    found = [...inventory.namespaces.values()].filter((info) =>
      matchesLabelSelector(peer.namespaceSelector, info.labels)
    );
    byPeer.set(peer, found);
  }
  return found;
}

/**
 * Whether a pod-selecting peer admits the workload. ipBlocks admit pods only when they
 * span every address: pod IPs are not known offline, and Kubernetes leaves ipBlock
 * matching of pod traffic to the network plugin.
 */
export function peerAdmits(inventory: Inventory, policyNamespace: string, peer: Record<string, unknown>,
  workload: Workload): boolean
{
  if (isEverywherePeer(peer)) return true;
  if (peer.ipBlock !== undefined) return false;
  const inNamespace = peerNamespaces(inventory, policyNamespace, peer).some((info) => info.name === workload.namespace);
  return inNamespace && matchesLabelSelector(peer.podSelector ?? {}, workload.labels);
}

/** Whether a rule's port list admits a port of the destination workload (named ports resolve against its containers). */
export function portAdmits(ports: Record<string, unknown>[] | undefined, port: ContainerPort): boolean {
  if (!ports) return true;
  return ports.some((entry) => {
    if ((asString(entry.protocol) ?? 'TCP') !== port.protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'string' && asInteger(entry.port) === undefined) return entry.port === port.name;
    const first = asInteger(entry.port);
    if (first === undefined) return false;
    const last = asInteger(entry.endPort) ?? first;
    return port.port >= first && port.port <= last;
  });
}

const cache = new WeakMap<Inventory, NetworkPolicyIndex>();

export function networkPolicyIndexOf(inventory: Inventory): NetworkPolicyIndex {
  const cached = cache.get(inventory);
  if (cached) return cached;
  const policies = inventory.ctx.byKind('NetworkPolicy', 'networking.k8s.io').map(parsePolicy);
  const byNamespace = new Map<string, ParsedNetworkPolicy[]>();
  for (const policy of policies) {
    const list = byNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    byNamespace.set(policy.namespace, list);
  }
  const selecting = new Map<Workload, ParsedNetworkPolicy[]>();
  const policiesSelecting = (workload: Workload): ParsedNetworkPolicy[] => {
    let found = selecting.get(workload);
    if (!found) {
      found = (byNamespace.get(workload.namespace) ?? []).filter((policy) =>
        matchesLabelSelector(policy.podSelector, workload.labels)
      );
      selecting.set(workload, found);
    }
    return found;
  };
  const index: NetworkPolicyIndex = {
    policies,
    inNamespace: (namespace) => byNamespace.get(namespace) ?? [],
    isolating: (workload, direction) => policiesSelecting(workload).filter((policy) => policy.isolates[direction]),
  };
  cache.set(inventory, index);
  return index;
}
