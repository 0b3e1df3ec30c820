// SM1xxx: zero-trust rules for Istio. mTLS everywhere (PeerAuthentication STRICT),
// deny by default (AuthorizationPolicy), no allow-everyone rules, no client-side TLS
// overrides that switch mesh mTLS off, closed gateways and closed egress.
import {groupOf} from '../../objects.js';
import {asArray, asRecord, asString, asStrings, at, namespaceOf} from '../istio/query/fields.js';
import {hostsIntersect, toFqdn} from '../istio/query/hosts.js';
import {GATEWAY_API_GROUP, NETWORKING_GROUP, SECURITY_GROUP} from '../istio/query/lookup.js';
import type {Analyzer, Finding} from '../types.js';
import {defineRule, smFinding, smNamespaceFinding} from './finding.js';
import {gatewayFindings, gatewayRules} from './gateways.js';
import {authzIndexOf, deniesByDefault, isEmptyRule, sourcesOf, type IstioAuthorizationPolicy} from './istio-authz.js';
import {declaredMode, mtlsIndexOf, peerSelector} from './istio-mtls.js';
import {spansEveryAddress} from './netpol-model.js';
import {inventoryOf, isControlPlaneNamespace, namespaceLabel, type Inventory, type Workload} from './inventory.js';
import {kinds} from '../inputs.js';
import {INVENTORY_INPUTS} from './inventory.js';

const STRICT_SNIPPET = `
    apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: default, namespace: istio-system}
    spec:
      mtls: {mode: STRICT}`;

export const MESH_MTLS_NOT_STRICT = defineRule('SM1001', 'error', 'Mesh-wide mTLS is not STRICT',
  'A PeerAuthentication in the root namespace without a selector sets the mTLS mode for the whole mesh. PERMISSIVE accepts plain text from any pod; DISABLE turns mTLS off. The platform requires STRICT mesh-wide.',
  `Set the mesh-wide policy to STRICT:${STRICT_SNIPPET}`);
export const NAMESPACE_MTLS_NOT_STRICT = defineRule('SM1002', 'error', 'Namespace mTLS is not STRICT',
  'A namespace-wide PeerAuthentication (no selector) with PERMISSIVE or DISABLE overrides the mesh-wide STRICT mode for every workload of the namespace.',
  'Remove the namespace-wide PeerAuthentication so that the mesh-wide STRICT mode applies, or set `spec.mtls.mode: STRICT`.');
export const WORKLOAD_MTLS_NOT_STRICT = defineRule('SM1003', 'warning', 'Workload mTLS is not STRICT',
  'A PeerAuthentication with a selector lets the selected workloads accept plain text (PERMISSIVE) or only plain text (DISABLE). Usually a leftover of a migration.',
  'Finish the migration and delete the policy, or set `spec.mtls.mode: STRICT`. Keep PERMISSIVE only for a named, temporary exception.');
export const PORT_MTLS_NOT_STRICT = defineRule('SM1004', 'warning', 'Port-level mTLS is not STRICT',
  '`portLevelMtls` opens single ports to plain text. Health checks and metrics scraping do not need it: Istio rewrites probes and merges Prometheus metrics.',
  'Delete the `portLevelMtls` entry, or set it to `{mode: STRICT}`.');
export const NO_MESH_MTLS_POLICY = defineRule('SM1005', 'info', 'No mesh-wide PeerAuthentication',
  'Without a mesh-wide PeerAuthentication in the root namespace Istio runs in PERMISSIVE mode. The input may simply not contain the platform baseline; check that the cluster does.',
  `Install the baseline, or add:${STRICT_SNIPPET}`);
export const NAMESPACE_NOT_DENY_BY_DEFAULT = defineRule('SM1010', 'warning',
  'Namespace has no deny-by-default AuthorizationPolicy',
  'Istio allows every request to a workload that no ALLOW policy selects. A namespace-wide AuthorizationPolicy with an empty spec (allow nothing) makes the namespace deny by default, so that each service must allow its callers explicitly.',
  `Add to the namespace:
    apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: {name: deny-by-default, namespace: <namespace>}
    spec: {}`);
export const WORKLOAD_OPEN = defineRule('SM1011', 'error', 'Workload accepts requests from any caller',
  'No deny-by-default policy covers the workload and no ALLOW policy selects it, so Istio allows every request from every caller.',
  `Add the namespace's deny-by-default policy (see SM1010) and an ALLOW policy naming the callers:
    apiVersion: security.istio.io/v1
    kind: AuthorizationPolicy
    metadata: {name: checkout-allow, namespace: shop}
    spec:
      selector: {matchLabels: {app: checkout}}
      action: ALLOW
      rules:
      - from: [{source: {principals: ["cluster.local/ns/shop/sa/frontend"]}}]`);
export const ALLOW_RULE_MATCHES_ALL = defineRule('SM1020', 'error', 'ALLOW rule matches every request',
  'An ALLOW rule without `from`, `to` and `when` (`rules: [{}]`) allows every request to the selected workloads, undoing deny by default.',
  'Replace the empty rule with rules that name the callers (`from.source.principals`) and the operations (`to.operation`).');
export const ALLOW_RULE_WITHOUT_FROM = defineRule('SM1021', 'warning', 'ALLOW rule accepts any caller',
  'An ALLOW rule without `from` allows the listed operations to every caller, meshed or not.',
  'Add `from: [{source: {principals: ["cluster.local/ns/<ns>/sa/<caller>"]}}]` naming the callers.');
export const ALLOW_RULE_WILDCARD_SOURCE = defineRule('SM1022', 'warning', 'ALLOW rule uses a wildcard source',
  '`principals: ["*"]` admits any authenticated workload of the mesh, `namespaces: ["*"]` any namespace, `ipBlocks: ["0.0.0.0/0"]` any address: the rule names no caller in particular.',
  "List the callers' service-account principals (`cluster.local/ns/<ns>/sa/<sa>`) or namespaces instead of `*`.");
export const IDENTITY_WITHOUT_MTLS = defineRule('SM1030', 'error', 'Identity-based rule on a workload without mTLS',
  "Principals and namespaces come from the peer's mTLS certificate. Where mTLS is DISABLE no request carries one, so ALLOW rules naming them never match (callers are denied) and DENY rules naming them never apply.",
  'Turn mTLS back on for the workload (remove the DISABLE PeerAuthentication), or do not rely on `principals`/`namespaces` there.');
export const DESTINATION_RULE_TLS_OFF = defineRule('SM1040', 'error', 'DestinationRule turns mesh mTLS off',
  "A DestinationRule with `tls.mode: DISABLE` sends plain text to an in-mesh host; `SIMPLE` sends one-way TLS without the client identity. Both bypass Istio's automatic mTLS, so the server sees no principal and STRICT servers refuse the connection.",
  `Use ISTIO_MUTUAL, or drop the tls block and let auto mTLS decide:
    trafficPolicy:
      tls: {mode: ISTIO_MUTUAL}`);
export const MESH_EGRESS_OPEN = defineRule('SM1060', 'warning', 'Mesh egress is open (ALLOW_ANY)',
  "With `outboundTrafficPolicy.mode: ALLOW_ANY` (Istio's default) sidecars pass traffic to any external host. REGISTRY_ONLY limits egress to hosts declared by ServiceEntries.",
  `In the mesh config (IstioOperator spec.meshConfig or the istio ConfigMap):
    meshConfig:
      outboundTrafficPolicy: {mode: REGISTRY_ONLY}`);
export const SIDECAR_EGRESS_OPEN = defineRule('SM1061', 'warning', 'Sidecar egress is not REGISTRY_ONLY',
  'A Sidecar resource that sets (or inherits from a mesh config that is not REGISTRY_ONLY) `outboundTrafficPolicy.mode: ALLOW_ANY` lets its workloads reach any external host.',
  `Set on the Sidecar:
    spec:
      outboundTrafficPolicy: {mode: REGISTRY_ONLY}`);

export const zeroTrustRules = [
  MESH_MTLS_NOT_STRICT,
  NAMESPACE_MTLS_NOT_STRICT,
  WORKLOAD_MTLS_NOT_STRICT,
  PORT_MTLS_NOT_STRICT,
  NO_MESH_MTLS_POLICY,
  NAMESPACE_NOT_DENY_BY_DEFAULT,
  WORKLOAD_OPEN,
  ALLOW_RULE_MATCHES_ALL,
  ALLOW_RULE_WITHOUT_FROM,
  ALLOW_RULE_WILDCARD_SOURCE,
  IDENTITY_WITHOUT_MTLS,
  DESTINATION_RULE_TLS_OFF,
  ...gatewayRules,
  MESH_EGRESS_OPEN,
  SIDECAR_EGRESS_OPEN,
];

function peerAuthenticationFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  for (const target of inventory.ctx.byKind('PeerAuthentication', SECURITY_GROUP)) {
    const namespace = namespaceOf(target.object);
    const mode = declaredMode(at(target.object, 'spec', 'mtls'));
    const selector = peerSelector(target);
    if (mode && mode !== 'STRICT') {
      const field = ['spec', 'mtls', 'mode'];
      if (selector) {
        findings.push(
          smFinding(WORKLOAD_MTLS_NOT_STRICT, target, `mTLS mode ${mode} for the workloads it selects.`, field),
        );
      } else if (namespace === inventory.rootNamespace) {
        findings.push(smFinding(MESH_MTLS_NOT_STRICT, target, `Mesh-wide mTLS mode is ${mode}.`, field));
      } else {
        findings.push(
          smFinding(NAMESPACE_MTLS_NOT_STRICT, target, `mTLS mode ${mode} for namespace ${namespaceLabel(namespace)}.`,
            field),
        );
      }
    }
    for (const [port, setting] of Object.entries(asRecord(at(target.object, 'spec', 'portLevelMtls')) ?? {})) {
      const portMode = declaredMode(setting);
      if (portMode && portMode !== 'STRICT') {
        findings.push(
          smFinding(PORT_MTLS_NOT_STRICT, target, `Port ${port} accepts mTLS mode ${portMode}.`, ['spec',
            'portLevelMtls', port, 'mode']),
        );
      }
    }
  }
  return findings;
}

/**
 * Namespaces the deny-by-default rules look at: labelled for Istio, holding Istio workloads or
 * Istio security policy, and not system namespaces. Routing config alone (a VirtualService in a
 * service's repository) does not make a namespace Istio's: it may be a gateway's or a client's.
 */
function istioNamespaces(inventory: Inventory): string[] {
  const inScope = new Set<string>();
  for (const info of inventory.namespaces.values()) {
    const labels = info.labels;
    if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined
      || labels['istio.io/dataplane-mode'] === 'ambient') inScope.add(info.name);
  }
  for (const workload of inventory.workloads) {
    if (inventory.meshOf(workload) === 'istio') inScope.add(workload.namespace);
  }
  for (const {object} of inventory.ctx.objects) {
    const group = groupOf(object.apiVersion);
    if (group === SECURITY_GROUP && object.metadata.namespace !== undefined) inScope.add(object.metadata.namespace);
  }
  return [...inScope].filter((name) => !isControlPlaneNamespace(name, inventory)).sort();
}

const BATCH_KINDS = new Set(['Job', 'CronJob']);

function denyByDefaultFindings(inventory: Inventory, namespaces: string[]): Finding[] {
  const authz = authzIndexOf(inventory);
  const findings: Finding[] = [];
  for (const namespace of namespaces) {
    if (authz.namespaceWide(namespace).some(deniesByDefault)) continue;
    const info = inventory.namespaces.get(namespace) ?? {name: namespace, labels: {}, annotations: {}};
    findings.push(
      smNamespaceFinding(NAMESPACE_NOT_DENY_BY_DEFAULT, info,
        `Namespace ${
          namespaceLabel(namespace)
        } has no allow-nothing AuthorizationPolicy, here or mesh-wide in ${inventory.rootNamespace}.`),
    );
    for (const workload of inventory.workloadsIn(namespace)) {
      const membership = inventory.meshOf(workload);
      // Jobs and CronJobs run to completion and serve nobody; the namespace finding covers them.
      if (membership === 'none' || membership === 'linkerd' || BATCH_KINDS.has(workload.kind)) continue;
      const covered = authz.selecting(workload).some((policy) => policy.action === 'ALLOW' || deniesByDefault(policy));
      if (!covered) {
        findings.push(
          smFinding(WORKLOAD_OPEN, workload.target,
            `${workload.kind} ${workload.name}: no AuthorizationPolicy allows or denies by default, so every caller is allowed.`),
        );
      }
    }
  }
  return findings;
}

function meshPolicyFindings(inventory: Inventory, namespaces: string[]): Finding[] {
  if (namespaces.length === 0) return [];
  const meshWide = inventory.ctx.byKind('PeerAuthentication', SECURITY_GROUP)
    .some((target) => namespaceOf(target.object) === inventory.rootNamespace && !peerSelector(target));
  if (meshWide) return [];
  const root = inventory.namespaces.get(inventory.rootNamespace)
    ?? {name: inventory.rootNamespace, labels: {}, annotations: {}};
  return [
    smNamespaceFinding(NO_MESH_MTLS_POLICY, root,
      `No PeerAuthentication without selector in ${inventory.rootNamespace}: mTLS defaults to PERMISSIVE.`),
  ];
}

function wildcardParts(source: Record<string, unknown>): string[] {
  const parts: string[] = [];
  if (asStrings(source.principals).includes('*')) parts.push('principals: ["*"]');
  if (asStrings(source.namespaces).includes('*')) parts.push('namespaces: ["*"]');
  const blocks = [...asStrings(source.ipBlocks), ...asStrings(source.remoteIpBlocks)].filter(spansEveryAddress);
  if (blocks.length > 0) parts.push(`ipBlocks: ${blocks.join(', ')}`);
  return parts;
}

function allowRuleFindings(policy: IstioAuthorizationPolicy): Finding[] {
  if (policy.action !== 'ALLOW') return [];
  const findings: Finding[] = [];
  policy.rules.forEach((rule, index) => {
    const where = `rules[${index}]`;
    const field = ['spec', 'rules', index];
    if (isEmptyRule(rule)) {
      findings.push(
        smFinding(ALLOW_RULE_MATCHES_ALL, policy.target, `${where} is empty and allows every request.`, field),
      );
      return;
    }
    if (asArray(rule.from).length === 0) {
      findings.push(
        smFinding(ALLOW_RULE_WITHOUT_FROM, policy.target,
          `${where} has no \`from\`: any caller may use the operations it lists.`, field),
      );
      return;
    }
    const wildcards = sourcesOf(rule).flatMap(wildcardParts);
    if (wildcards.length > 0) {
      findings.push(
        smFinding(ALLOW_RULE_WILDCARD_SOURCE, policy.target, `${where} allows ${wildcards.join(' and ')}.`, [...field,
          'from']),
      );
    }
  });
  return findings;
}

const IDENTITY_FIELDS = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'];

function usesIdentities(policy: IstioAuthorizationPolicy): boolean {
  return policy.rules.some((rule) =>
    sourcesOf(rule).some((source) => IDENTITY_FIELDS.some((field) => asStrings(source[field]).length > 0))
  );
}

function identityWithoutMtlsFindings(inventory: Inventory, policy: IstioAuthorizationPolicy): Finding[] {
  if (policy.targeted || !usesIdentities(policy)) return [];
  const mtls = mtlsIndexOf(inventory);
  const selected = authzIndexOf(inventory).selectedBy(policy);
  if (selected.length === 0) {
    const mode = mtls.forNamespace(policy.namespace).mode;
    return mode === 'DISABLE'
      ? [
        smFinding(IDENTITY_WITHOUT_MTLS, policy.target,
          `The policy matches on principals or namespaces, but mTLS is DISABLE in ${
            namespaceLabel(policy.namespace)
          }.`),
      ]
      : [];
  }
  const plain = selected.filter((workload: Workload) => mtls.forWorkload(workload).mode === 'DISABLE');
  if (plain.length === 0) return [];
  const names = plain.map((workload) => `${workload.namespace}/${workload.name}`).join(', ');
  return [
    smFinding(IDENTITY_WITHOUT_MTLS, policy.target,
      `The policy matches on principals or namespaces, but mTLS is DISABLE for ${names}.`),
  ];
}

/** Every tls block of a DestinationRule with where it sits, for messages. */
function tlsSettings(spec: Record<string, unknown>): {where: string; tls: unknown}[] {
  const fromPolicy = (policy: unknown, prefix: string) => [
    {where: `${prefix}.tls`, tls: at(policy, 'tls')},
    ...asArray(at(policy, 'portLevelSettings')).map((setting, index) => ({
      where: `${prefix}.portLevelSettings[${index}].tls`,
      tls: at(setting, 'tls'),
    })),
  ];
  return [
    ...fromPolicy(spec.trafficPolicy, 'trafficPolicy'),
    ...asArray(spec.subsets).flatMap((subset, index) =>
      fromPolicy(at(subset, 'trafficPolicy'), `subsets[${index}].trafficPolicy`)
    ),
  ].filter((entry) => entry.tls !== undefined);
}

/** In-mesh: a cluster service name, unless every known backend of that Service runs without a sidecar. */
function isInMeshHost(inventory: Inventory, host: string): boolean {
  if (!hostsIntersect(host, '*.svc.cluster.local')) return false;
  const match = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  if (!match) return true;
  const service = inventory.servicesIn(match[2] ?? '').find((candidate) => candidate.name === match[1]);
  const backends = service ? inventory.backendsOf(service) : [];
  return backends.length === 0 || backends.some((workload) => inventory.meshOf(workload) !== 'none');
}

function destinationRuleFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  for (const target of inventory.ctx.byKind('DestinationRule', NETWORKING_GROUP)) {
    const host = asString(at(target.object, 'spec', 'host'));
    const plain = tlsSettings(asRecord(target.object.spec) ?? {})
      .map(({where, tls}) => ({where, mode: asString(at(tls, 'mode'))}))
      .filter(({mode}) => mode === 'DISABLE' || mode === 'SIMPLE');
    if (!host || plain.length === 0 || !isInMeshHost(inventory, toFqdn(host, namespaceOf(target.object)))) continue;
    for (const {where, mode} of plain) {
      findings.push(smFinding(DESTINATION_RULE_TLS_OFF, target, `${where}.mode is ${mode} for in-mesh host ${host}.`));
    }
  }
  return findings;
}

function egressFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  let registryOnly = false;
  for (const {target, config} of inventory.meshConfigs) {
    const mode = asString(at(config, 'outboundTrafficPolicy', 'mode'));
    if (mode === 'REGISTRY_ONLY') registryOnly = true;
    else {
      findings.push(
        smFinding(MESH_EGRESS_OPEN, target, mode
          ? `outboundTrafficPolicy.mode is ${mode}.`
          : 'outboundTrafficPolicy is not set, so Istio uses ALLOW_ANY.'),
      );
    }
  }
  // A mode in the mesh config the user gave decides for the mesh (there is no object of it to report on).
  const givenMode = asString(at(inventory.givenMeshConfig, 'outboundTrafficPolicy', 'mode'));
  if (givenMode !== undefined) registryOnly = givenMode === 'REGISTRY_ONLY';
  for (const target of inventory.ctx.byKind('Sidecar', NETWORKING_GROUP)) {
    const mode = asString(at(target.object, 'spec', 'outboundTrafficPolicy', 'mode'));
    if (mode === 'REGISTRY_ONLY' || (mode === undefined && registryOnly)) continue;
    findings.push(smFinding(SIDECAR_EGRESS_OPEN, target, mode
      ? `outboundTrafficPolicy.mode is ${mode}.`
      : 'outboundTrafficPolicy is not set and no mesh config in the input sets REGISTRY_ONLY, so egress is ALLOW_ANY.'));
  }
  return findings;
}

function analyzeZeroTrust(inventory: Inventory): Finding[] {
  const namespaces = istioNamespaces(inventory);
  const policies = authzIndexOf(inventory).policies;
  return [
    ...peerAuthenticationFindings(inventory),
    ...meshPolicyFindings(inventory, namespaces),
    ...denyByDefaultFindings(inventory, namespaces),
    ...policies.flatMap(allowRuleFindings),
    ...policies.flatMap((policy) => identityWithoutMtlsFindings(inventory, policy)),
    ...destinationRuleFindings(inventory),
    ...gatewayFindings(inventory),
    ...egressFindings(inventory),
  ];
}

export const zeroTrustAnalyzer: Analyzer = {
  name: 'sm.zero-trust',
  description: 'Istio mTLS, authorization, gateway and egress settings that leave traffic open or in plain text.',
  inputs: [...INVENTORY_INPUTS, ...kinds(SECURITY_GROUP, '*'),
    ...kinds(NETWORKING_GROUP, 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar'),
    ...kinds(GATEWAY_API_GROUP, 'Gateway', 'HTTPRoute')],
  codes: zeroTrustRules,
  analyze: (input) => analyzeZeroTrust(inventoryOf(input)),
};
