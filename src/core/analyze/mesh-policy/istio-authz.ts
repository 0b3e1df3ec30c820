// Istio AuthorizationPolicy: which policies apply to a workload, and their shape.
// Selection as Istio does it for sidecars: a policy in the root namespace without a
// selector applies mesh-wide, one in the root namespace with a selector applies to
// matching workloads in every namespace, one elsewhere applies inside its namespace.
// Policies with targetRef(s) attach to waypoints and gateways, not to sidecars.
import type {SourcedObject} from '../../objects.js';
import {asArray, asRecord, asString, at, namespaceOf} from '../istio/query/fields.js';
import {SECURITY_GROUP} from '../istio/query/lookup.js';
import type {Inventory, Workload} from './inventory.js';
import {peerSelector} from './istio-mtls.js';

export type AuthzAction = 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';

export interface IstioAuthorizationPolicy {
  target: SourcedObject;
  namespace: string;
  action: AuthzAction;
  rules: Record<string, unknown>[];
  selector: Record<string, string> | undefined;
  /** Attached to a waypoint or gateway through targetRef(s); not enforced by sidecars. */
  targeted: boolean;
}

export interface AuthzIndex {
  policies: IstioAuthorizationPolicy[];
  /** Sidecar-enforced policies that apply to the workload, in input order. */
  selecting(workload: Workload): IstioAuthorizationPolicy[];
  /** Policies in a namespace (and the root namespace's mesh-wide ones) that apply to every workload there. */
  namespaceWide(namespace: string): IstioAuthorizationPolicy[];
  /** The known workloads a policy applies to. */
  selectedBy(policy: IstioAuthorizationPolicy): Workload[];
}

const ACTIONS = new Set(['ALLOW', 'DENY', 'CUSTOM', 'AUDIT']);

function parsePolicy(target: SourcedObject): IstioAuthorizationPolicy {
  const spec = asRecord(target.object.spec) ?? {};
  const action = asString(spec.action) ?? 'ALLOW';
  return {
    target,
    namespace: namespaceOf(target.object),
    action: (ACTIONS.has(action) ? action : 'ALLOW') as AuthzAction,
    rules: asArray(spec.rules).map((rule) => asRecord(rule) ?? {}),
    selector: peerSelector(target),
    targeted: spec.targetRef !== undefined || asArray(spec.targetRefs).length > 0,
  };
}

/** An ALLOW policy without rules matches nothing, so it denies every request to what it selects. */
export function deniesByDefault(policy: IstioAuthorizationPolicy): boolean {
  if (policy.action === 'ALLOW') return policy.rules.length === 0;
  return policy.action === 'DENY' && policy.rules.some(isEmptyRule);
}

/** A rule without from, to and when matches every request. */
export function isEmptyRule(rule: Record<string, unknown>): boolean {
  return asArray(rule.from).length === 0 && asArray(rule.to).length === 0 && asArray(rule.when).length === 0;
}

/** Each `from[].source` of a rule (records only). */
export function sourcesOf(rule: Record<string, unknown>): Record<string, unknown>[] {
  return asArray(rule.from).map((entry) => asRecord(at(entry, 'source')) ?? {});
}

/** Each `to[].operation` of a rule (records only). */
export function operationsOf(rule: Record<string, unknown>): Record<string, unknown>[] {
  return asArray(rule.to).map((entry) => asRecord(at(entry, 'operation')) ?? {});
}

const cache = new WeakMap<Inventory, AuthzIndex>();

export function authzIndexOf(inventory: Inventory): AuthzIndex {
  const cached = cache.get(inventory);
  if (cached) return cached;
  const policies = inventory.ctx.byKind('AuthorizationPolicy', SECURITY_GROUP).map(parsePolicy);
  const byNamespace = new Map<string, IstioAuthorizationPolicy[]>();
  for (const policy of policies) {
    if (policy.targeted) continue;
    const list = byNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    byNamespace.set(policy.namespace, list);
  }
  const root = inventory.rootNamespace;
  // Istio selects by plain labels; a root-namespace policy with a selector reaches every namespace.
  const selectedBy = (policy: IstioAuthorizationPolicy): Workload[] => {
    if (policy.targeted) return [];
    const scope = policy.namespace === root ? undefined : policy.namespace;
    return inventory.workloadsWithLabels(scope, policy.selector ?? {});
  };
  const byWorkload = new Map<Workload, IstioAuthorizationPolicy[]>();
  for (const policy of policies) {
    for (const workload of selectedBy(policy)) {
      const list = byWorkload.get(workload) ?? [];
      list.push(policy);
      byWorkload.set(workload, list);
    }
  }
  const index: AuthzIndex = {
    policies,
    selecting: (workload) => byWorkload.get(workload) ?? [],
    namespaceWide: (namespace) =>
      [...(byNamespace.get(root) ?? []), ...(namespace === root ? [] : byNamespace.get(namespace) ?? [])]
        .filter((policy) => !policy.selector),
    selectedBy,
  };
  cache.set(inventory, index);
  return index;
}
