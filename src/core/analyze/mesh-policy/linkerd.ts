// SM2xxx: Linkerd policy. References between Server, AuthorizationPolicy,
// MeshTLSAuthentication, NetworkAuthentication and HTTPRoute must resolve (Linkerd
// silently ignores what does not), Servers must describe real pods and ports, and no
// default inbound policy may admit unauthenticated traffic.
import type {SourcedObject} from '../../objects.js';
import {asArray, asString, at, namespaceOf} from '../istio/query/fields.js';
import {GATEWAY_API_GROUP} from '../istio/query/lookup.js';
import type {Analyzer, Finding, RuleDoc} from '../types.js';
import {defineRule, smFinding} from './finding.js';
import {inventoryOf, type Inventory} from './inventory.js';
import {authenticationRefs, controlPlaneValues, DEFAULT_INBOUND_POLICY_ANNOTATION, LINKERD_DEFAULT_INBOUND_POLICY,
  LINKERD_POLICY_GROUP, refFrom, refText, resolveRef, serverSelects, serversOf,
  type ObjectRef} from './linkerd-model.js';
import {kinds} from '../inputs.js';
import {INVENTORY_INPUTS} from './inventory.js';

export const UNRESOLVED_TARGET = defineRule('SM2001', 'error', 'Linkerd policy targets a missing object',
  'An AuthorizationPolicy `targetRef`, an HTTPRoute `parentRefs` entry or a ServerAuthorization `server.name` names a Server, HTTPRoute or Namespace that does not exist. Linkerd ignores the policy, so the traffic it should authorize is denied (or the route is not applied).',
  'Fix the name, kind and group of the reference: `targetRef: {group: policy.linkerd.io, kind: Server, name: <server>}`, or create the missing object.');
export const UNRESOLVED_AUTHENTICATION = defineRule('SM2002', 'error',
  'Linkerd authorization names a missing authentication',
  "`requiredAuthenticationRefs` (or a MeshTLSAuthentication's `identityRefs`) names a MeshTLSAuthentication, NetworkAuthentication or ServiceAccount that does not exist, so the policy can never be satisfied.",
  `Create the authentication or fix the reference:
    requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: frontend-identity}`);
export const SERVER_SELECTS_NOTHING = defineRule('SM2003', 'warning', 'Linkerd Server selects no pods',
  "The Server's `podSelector` matches none of the workloads known in its namespace, so the policy attached to it protects nothing and the pods fall back to the default inbound policy.",
  'Make `spec.podSelector.matchLabels` equal to labels of the pod template.');
export const SERVER_PORT_UNKNOWN = defineRule('SM2004', 'warning', 'Linkerd Server port name is not on any container',
  'A Server names its port; no container of the pods it selects declares a port of that name, so the Server matches no traffic.',
  "Use the container port's `name` (or its number) in `spec.port`.");
export const DEFAULT_ALL_UNAUTHENTICATED = defineRule('SM2010', 'error',
  'Default inbound policy admits unauthenticated traffic from anywhere',
  `\`all-unauthenticated\` (Linkerd's default when the install sets nothing) lets any client, meshed or not and from inside or outside the cluster, reach ports that no Server covers. Set with the \`${DEFAULT_INBOUND_POLICY_ANNOTATION}\` annotation on a Namespace or pod template, or with \`proxy.defaultInboundPolicy\` at install.`,
  `Install with a deny default and authorize callers explicitly:
    # values.yaml of the linkerd-control-plane chart
    proxy:
      defaultInboundPolicy: deny
    # or per namespace
    metadata:
      annotations: {config.linkerd.io/default-inbound-policy: all-authenticated}`);
export const DEFAULT_CLUSTER_UNAUTHENTICATED = defineRule('SM2011', 'warning',
  'Default inbound policy admits unauthenticated in-cluster traffic',
  '`cluster-unauthenticated` lets any client in the cluster network reach ports that no Server covers, without mTLS identity.',
  `Use \`all-authenticated\`, \`cluster-authenticated\` or \`deny\` and authorize callers with Server and AuthorizationPolicy (annotation \`${DEFAULT_INBOUND_POLICY_ANNOTATION}\`).`);

export const linkerdRules = [
  UNRESOLVED_TARGET,
  UNRESOLVED_AUTHENTICATION,
  SERVER_SELECTS_NOTHING,
  SERVER_PORT_UNKNOWN,
  DEFAULT_ALL_UNAUTHENTICATED,
  DEFAULT_CLUSTER_UNAUTHENTICATED,
];

const OPEN_DEFAULTS: Record<string, RuleDoc> = {
  'all-unauthenticated': DEFAULT_ALL_UNAUTHENTICATED,
  'cluster-unauthenticated': DEFAULT_CLUSTER_UNAUTHENTICATED,
};

/** Service accounts exist when an object declares them, a workload runs as them, or they are `default`; undecidable where nothing is known. */
function serviceAccountMissing(inventory: Inventory, ref: ObjectRef): boolean {
  if (ref.name === 'default' || ref.name === '*') return false;
  const declared = inventory.lookup.inNamespace('ServiceAccount', ref.namespace, '');
  const workloads = inventory.workloadsIn(ref.namespace);
  if (declared.length === 0 && workloads.length === 0) return false;
  return !declared.some((entry) => entry.object.metadata.name === ref.name)
    && !workloads.some((workload) => workload.serviceAccount === ref.name);
}

function isMissing(inventory: Inventory, ref: ObjectRef): boolean {
  if (ref.kind === 'ServiceAccount') return serviceAccountMissing(inventory, ref);
  if (ref.kind === 'Namespace') return inventory.namespacesComplete && !inventory.namespaces.has(ref.name);
  return resolveRef(inventory, ref) === undefined;
}

function referenceFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  const check = (target: SourcedObject, ref: ObjectRef | undefined, field: string, rule: RuleDoc) => {
    if (ref && isMissing(inventory, ref)) {
      findings.push(smFinding(rule, target, `${field} names ${refText(ref)}, which does not exist.`));
    }
  };
  for (const policy of inventory.ctx.byKind('AuthorizationPolicy', LINKERD_POLICY_GROUP)) {
    const namespace = namespaceOf(policy.object);
    check(policy, refFrom(at(policy.object, 'spec', 'targetRef'), namespace, LINKERD_POLICY_GROUP), 'targetRef',
      UNRESOLVED_TARGET);
    authenticationRefs(policy).forEach((ref, index) =>
      check(policy, ref, `requiredAuthenticationRefs[${index}]`, UNRESOLVED_AUTHENTICATION)
    );
  }
  for (const authentication of inventory.ctx.byKind('MeshTLSAuthentication', LINKERD_POLICY_GROUP)) {
    const namespace = namespaceOf(authentication.object);
    asArray(at(authentication.object, 'spec', 'identityRefs')).forEach((value, index) => {
      check(authentication, refFrom(value, namespace), `identityRefs[${index}]`, UNRESOLVED_AUTHENTICATION);
    });
  }
  for (const group of [LINKERD_POLICY_GROUP, GATEWAY_API_GROUP]) {
    for (const route of inventory.ctx.byKind('HTTPRoute', group)) {
      const namespace = namespaceOf(route.object);
      asArray(at(route.object, 'spec', 'parentRefs')).forEach((value, index) => {
        const ref = refFrom(value, namespace, GATEWAY_API_GROUP);
        // Only references to Linkerd Servers are ours (whatever group they spell); Gateway parents belong to the gateway's own analysis.
        if (ref?.kind === 'Server') {
          check(route, {...ref, group: LINKERD_POLICY_GROUP}, `parentRefs[${index}]`, UNRESOLVED_TARGET);
        }
      });
    }
  }
  for (const authorization of inventory.ctx.byKind('ServerAuthorization', LINKERD_POLICY_GROUP)) {
    const name = asString(at(authorization.object, 'spec', 'server', 'name'));
    if (name !== undefined) {
      check(authorization, {group: LINKERD_POLICY_GROUP, kind: 'Server', name,
        namespace: namespaceOf(authorization.object)}, 'server.name', UNRESOLVED_TARGET);
    }
  }
  return findings;
}

function serverFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  for (const server of serversOf(inventory)) {
    if (at(server.target.object, 'spec', 'podSelector') === undefined) continue;
    const known = inventory.workloadsIn(server.namespace);
    if (known.length === 0) continue;
    const selected = known.filter((workload) => serverSelects(server, workload));
    if (selected.length === 0) {
      findings.push(
        smFinding(SERVER_SELECTS_NOTHING, server.target,
          `spec.podSelector matches none of the workloads in ${server.namespace}.`),
      );
      continue;
    }
    const {port} = server;
    if (typeof port === 'string' && !/^\d+$/.test(port)
      && !selected.some((workload) => workload.ports.some((entry) => entry.name === port)))
    {
      findings.push(
        smFinding(SERVER_PORT_UNKNOWN, server.target,
          `spec.port ${port} is not a container port name of ${selected.map((workload) => workload.name).join(', ')}.`),
      );
    }
  }
  return findings;
}

function defaultPolicyFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  const report = (target: SourcedObject, policy: string | undefined, where: string) => {
    const rule = policy === undefined ? undefined : OPEN_DEFAULTS[policy];
    if (rule) findings.push(smFinding(rule, target, `${where} is ${policy}.`));
  };
  for (const info of inventory.namespaces.values()) {
    if (info.target) {
      report(info.target, info.annotations[DEFAULT_INBOUND_POLICY_ANNOTATION],
        `Default inbound policy of namespace ${info.name}`);
    }
  }
  for (const workload of inventory.workloads) {
    report(workload.target, workload.annotations[DEFAULT_INBOUND_POLICY_ANNOTATION],
      `Default inbound policy of ${workload.kind} ${workload.name}`);
  }
  for (const server of serversOf(inventory)) {
    report(server.target, asString(at(server.target.object, 'spec', 'accessPolicy')),
      `accessPolicy of Server ${server.name}`);
  }
  for (const {target, values} of controlPlaneValues(inventory)) {
    const configured = asString(at(values, 'proxy', 'defaultInboundPolicy'));
    const policy = configured ?? LINKERD_DEFAULT_INBOUND_POLICY;
    report(target, policy, configured
      ? 'proxy.defaultInboundPolicy of the control plane'
      : "proxy.defaultInboundPolicy (unset, Linkerd's default)");
  }
  return findings;
}

export const linkerdAnalyzer: Analyzer = {
  name: 'sm.linkerd',
  description: 'Linkerd policy that names nothing or leaves workloads open by default.',
  inputs: [...INVENTORY_INPUTS, ...kinds(LINKERD_POLICY_GROUP, '*'), ...kinds('', 'ServiceAccount'),
    ...kinds(GATEWAY_API_GROUP, 'GRPCRoute', 'HTTPRoute')],
  codes: linkerdRules,
  analyze: (input) => {
    const inventory = inventoryOf(input);
    return [...referenceFindings(inventory), ...serverFindings(inventory), ...defaultPolicyFindings(inventory)];
  },
};
