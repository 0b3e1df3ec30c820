// The security policy that applies to one workload, as the report shows it: the mTLS mode
// and where it comes from, the authorization policies (Istio's or Linkerd's) and the
// NetworkPolicies that select it with what they allow. Read through validate's indexes.
import {refOf, type ResourceRef} from '../objects.js';
import {asArray, asString, at} from '../analyze/istio/query/fields.js';
import {authzIndexOf} from '../analyze/mesh-policy/istio-authz.js';
import {mtlsIndexOf, type MtlsLevel, type MtlsMode} from '../analyze/mesh-policy/istio-mtls.js';
import type {Inventory, Workload} from '../analyze/mesh-policy/inventory.js';
import {LINKERD_POLICY_GROUP, serversOf, serverSelects} from '../analyze/mesh-policy/linkerd-model.js';
import {networkPolicyIndexOf, type Direction} from '../analyze/mesh-policy/netpol-model.js';
import {settingsText} from './settings-text.js';

export interface MtlsSummary {
  mode: MtlsMode;
  /** Where the mode comes from: Istio's default, the mesh, the namespace, the workload or a port. */
  level: MtlsLevel;
  decidedBy?: ResourceRef;
  /** Container ports whose mode differs from the workload's (portLevelMtls). */
  ports: {port: number; mode: MtlsMode}[];
}

export interface PolicySummary {
  resource: ResourceRef;
  /** ALLOW, DENY, CUSTOM, AUDIT; a Linkerd Server or AuthorizationPolicy; a NetworkPolicy's directions. */
  action: string;
  /** Each rule as one line; an empty list says the policy has none. */
  rules: string[];
}

export function mtlsOf(inventory: Inventory, workload: Workload): MtlsSummary {
  const index = mtlsIndexOf(inventory);
  const resolution = index.forWorkload(workload);
  const summary: MtlsSummary = {mode: resolution.mode, level: resolution.level, ports: []};
  if (resolution.decidedBy) summary.decidedBy = refOf(resolution.decidedBy.object);
  for (const {port} of workload.ports) {
    const mode = index.forWorkload(workload, port).mode;
    if (mode !== resolution.mode) summary.ports.push({port, mode});
  }
  return summary;
}

export function istioAuthorizationOf(inventory: Inventory, workload: Workload): PolicySummary[] {
  return authzIndexOf(inventory).selecting(workload).map((policy) => ({
    resource: refOf(policy.target.object),
    action: policy.action,
    rules: policy.rules.map((rule) => settingsText(rule) || 'every request'),
  }));
}

/** Linkerd Servers that select the workload, and the AuthorizationPolicies that target them (or its namespace). */
export function linkerdPolicyOf(inventory: Inventory, workload: Workload): PolicySummary[] {
  const servers = serversOf(inventory).filter((server) => serverSelects(server, workload));
  const names = new Set(servers.map((server) => server.name));
  const policies = inventory.ctx.byKind('AuthorizationPolicy', LINKERD_POLICY_GROUP).filter(({object}) => {
    if (object.metadata.namespace !== workload.namespace) return false;
    const kind = asString(at(object, 'spec', 'targetRef', 'kind'));
    const name = asString(at(object, 'spec', 'targetRef', 'name'));
    return kind === 'Namespace' || (kind === 'Server' && name !== undefined && names.has(name));
  });
  return [
    ...servers.map((server) => ({resource: refOf(server.target.object), action: 'Server',
      rules: [settingsText(server.target.object.spec)]})
    ),
    ...policies.map(({object}) => ({resource: refOf(object), action: 'AuthorizationPolicy',
      rules: asArray(at(object, 'spec', 'requiredAuthenticationRefs')).map((ref) => settingsText(ref))})
    ),
  ];
}

function directionRules(rules: {peers?: Record<string, unknown>[]; ports?: Record<string, unknown>[]}[],
  direction: Direction): string[]
{
  const peerWord = direction === 'ingress' ? 'from' : 'to';
  return rules.map((rule) =>
    `${direction}: ${
      [rule.peers ? settingsText(rule.peers, peerWord) : `${peerWord} anywhere`,
        rule.ports ? settingsText(rule.ports, 'ports') : 'every port'].join(' ')
    }`
  );
}

export function networkPoliciesOf(inventory: Inventory, workload: Workload): PolicySummary[] {
  const index = networkPolicyIndexOf(inventory);
  const selecting = new Set([...index.isolating(workload, 'ingress'), ...index.isolating(workload, 'egress')]);
  return [...selecting].map((policy) => {
    const directions = (['ingress', 'egress'] as const).filter((direction) => policy.isolates[direction]);
    return {
      resource: refOf(policy.target.object),
      action: directions.join('+'),
      rules: directions.flatMap((direction) => {
        const rules = directionRules(policy.rules[direction], direction);
        return rules.length > 0 ? rules : [`${direction}: nothing admitted`];
      }),
    };
  });
}
