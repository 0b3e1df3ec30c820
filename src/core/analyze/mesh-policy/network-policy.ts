// SM3xxx: NetworkPolicy rules. Every application namespace isolates its pods by default
// (ingress always, egress where the namespace asks for it), no rule opens a pod to the
// whole network, and selectors point at workloads and namespaces that exist.
import {asRecord} from '../istio/query/fields.js';
import type {Analyzer, Finding} from '../types.js';
import {defineRule, smFinding, smNamespaceFinding} from './finding.js';
import {inventoryOf, isControlPlaneNamespace, namespaceLabel, type Inventory, type NamespaceInfo} from './inventory.js';
import {isEmptySelector, isEverywherePeer, networkPolicyIndexOf, peerNamespaces, type Direction,
  type ParsedNetworkPolicy} from './netpol-model.js';
import {kinds} from '../inputs.js';
import {INVENTORY_INPUTS} from './inventory.js';

/** Namespace label or annotation with which a namespace asks for default-deny egress. */
export const EGRESS_DEFAULT_DENY_KEY = 'sparc-mesh.io/default-deny-egress';

export const NO_INGRESS_DEFAULT_DENY = defineRule('SM3001', 'error',
  'Namespace has no default-deny ingress NetworkPolicy',
  'Pods accept connections from everywhere until a NetworkPolicy selects them for Ingress. A policy that selects every pod of the namespace (`podSelector: {}`) for Ingress isolates them all, so that only connections allowed by some policy pass.',
  `Add to the namespace:
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: default-deny, namespace: <namespace>}
    spec:
      podSelector: {}
      policyTypes: [Ingress]`);
export const NO_EGRESS_DEFAULT_DENY = defineRule('SM3002', 'error',
  'Namespace asks for default-deny egress but has none',
  `The namespace carries \`${EGRESS_DEFAULT_DENY_KEY}: "true"\`, but no NetworkPolicy selects every pod for Egress, so pods may connect anywhere.`,
  `Add a default-deny egress policy and the egress the pods need (DNS at least):
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: default-deny-egress, namespace: <namespace>}
    spec:
      podSelector: {}
      policyTypes: [Egress]
      egress:
      - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
        ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]`);
export const INGRESS_FROM_EVERYWHERE = defineRule('SM3010', 'warning', 'Ingress rule admits every source',
  'An ingress rule without `from`, with an empty peer, with `ipBlock: {cidr: 0.0.0.0/0}` or with `namespaceSelector: {}` and no pod selector admits connections from every pod and address, undoing default deny for the pods it selects.',
  'Name the callers: `from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: <ns>}}, podSelector: {matchLabels: {app: <caller>}}}]`.');
export const EGRESS_TO_EVERYWHERE = defineRule('SM3011', 'warning',
  'Egress rule admits every destination on every port',
  'An egress rule without `to` (or with an empty peer, 0.0.0.0/0 or `namespaceSelector: {}`) and without `ports` lets the selected pods connect anywhere. Rules limited to ports (such as DNS on 53) are not reported.',
  'Name the destinations and ports, e.g. `to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: payments}}}]` with `ports: [{port: 8080}]`.');
export const POD_SELECTOR_MATCHES_NOTHING = defineRule('SM3020', 'warning',
  'NetworkPolicy pod selector matches no workload',
  "The policy's `podSelector` (or a peer's) matches none of the workloads known in its namespace: usually a typo in a label, so the intended pods stay unprotected or the intended callers stay blocked.",
  'Compare the selector with the pod template labels (`kubectl get pods --show-labels -n <ns>`) and fix the labels.');
export const NAMESPACE_SELECTOR_MATCHES_NOTHING = defineRule('SM3021', 'warning',
  'NetworkPolicy namespace selector matches no namespace',
  "A peer's `namespaceSelector` matches none of the known namespaces. Select namespaces by the label Kubernetes sets on each: `kubernetes.io/metadata.name: <name>`.",
  'Use `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: <namespace>}}`, or add the expected label to the Namespace.');

export const networkPolicyRules = [
  NO_INGRESS_DEFAULT_DENY,
  NO_EGRESS_DEFAULT_DENY,
  INGRESS_FROM_EVERYWHERE,
  EGRESS_TO_EVERYWHERE,
  POD_SELECTOR_MATCHES_NOTHING,
  NAMESPACE_SELECTOR_MATCHES_NOTHING,
];

/** Namespaces the baseline applies to: declared by a Namespace object or holding workloads or Services, and not system namespaces. */
function applicationNamespaces(inventory: Inventory): NamespaceInfo[] {
  return [...inventory.namespaces.values()]
    .filter((info) => !isControlPlaneNamespace(info.name, inventory))
    .filter((info) =>
      info.target !== undefined || inventory.workloadsIn(info.name).length > 0
      || inventory.servicesIn(info.name).length > 0
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

function isolatesAll(policies: ParsedNetworkPolicy[], direction: Direction): boolean {
  return policies.some((policy) => policy.isolates[direction] && isEmptySelector(policy.podSelector));
}

function defaultDenyFindings(inventory: Inventory): Finding[] {
  const index = networkPolicyIndexOf(inventory);
  const findings: Finding[] = [];
  for (const info of applicationNamespaces(inventory)) {
    const policies = index.inNamespace(info.name);
    const label = namespaceLabel(info.name);
    if (!isolatesAll(policies, 'ingress')) {
      findings.push(
        smNamespaceFinding(NO_INGRESS_DEFAULT_DENY, info,
          `No NetworkPolicy in ${label} selects every pod for Ingress.`),
      );
    }
    const wantsEgress = (info.labels[EGRESS_DEFAULT_DENY_KEY] ?? info.annotations[EGRESS_DEFAULT_DENY_KEY]) === 'true';
    if (wantsEgress && !isolatesAll(policies, 'egress')) {
      findings.push(
        smNamespaceFinding(NO_EGRESS_DEFAULT_DENY, info,
          `${label} asks for default-deny egress, but no NetworkPolicy selects every pod for Egress.`),
      );
    }
  }
  return findings;
}

function openRuleFindings(policy: ParsedNetworkPolicy): Finding[] {
  const findings: Finding[] = [];
  if (policy.isolates.ingress) {
    policy.rules.ingress.forEach((rule, index) => {
      if (!rule.peers || rule.peers.some(isEverywherePeer)) {
        const ports = rule.ports ? ' on the ports it lists' : ' on every port';
        findings.push(
          smFinding(INGRESS_FROM_EVERYWHERE, policy.target, `ingress[${index}] admits every source${ports}.`, ['spec',
            'ingress', index]),
        );
      }
    });
  }
  if (policy.isolates.egress) {
    policy.rules.egress.forEach((rule, index) => {
      if ((!rule.peers || rule.peers.some(isEverywherePeer)) && !rule.ports) {
        findings.push(
          smFinding(EGRESS_TO_EVERYWHERE, policy.target, `egress[${index}] admits every destination on every port.`, [
            'spec',
            'egress',
            index,
          ]),
        );
      }
    });
  }
  return findings;
}

/**
 * Files alone never prove that a namespace does not exist, so namespace selectors are judged only
 * against a complete list (from a cluster); selectors on other labels than `kubernetes.io/metadata.name`
 * only when every namespace's labels are known from its Namespace object.
 */
function namespaceSelectorDecidable(inventory: Inventory, selector: unknown): boolean {
  if (!inventory.namespacesComplete) return false;
  const keys = Object.keys(asRecord(asRecord(selector)?.matchLabels) ?? {});
  const onlyName = keys.every((key) => key === 'kubernetes.io/metadata.name')
    && asRecord(selector)?.matchExpressions === undefined;
  return onlyName || [...inventory.namespaces.values()].every((info) => info.target !== undefined);
}

function selectorFindings(inventory: Inventory, policy: ParsedNetworkPolicy): Finding[] {
  const findings: Finding[] = [];
  const selects = (namespace: string, selector: unknown) =>
    inventory.workloadsSelectedBy(namespace, selector).length > 0;
  const known = (namespace: string) => inventory.workloadsIn(namespace).length > 0;
  if (!isEmptySelector(policy.podSelector) && known(policy.namespace)
    && !selects(policy.namespace, policy.podSelector))
  {
    findings.push(
      smFinding(POD_SELECTOR_MATCHES_NOTHING, policy.target,
        `spec.podSelector matches none of the workloads in ${namespaceLabel(policy.namespace)}.`),
    );
  }
  for (const direction of ['ingress', 'egress'] as const) {
    const field = direction === 'ingress' ? 'from' : 'to';
    policy.rules[direction].forEach((rule, ruleIndex) => {
      (rule.peers ?? []).forEach((peer, peerIndex) => {
        const where = `${direction}[${ruleIndex}].${field}[${peerIndex}]`;
        const namespaces = peerNamespaces(inventory, policy.namespace, peer);
        if (peer.namespaceSelector !== undefined && namespaces.length === 0
          && namespaceSelectorDecidable(inventory, peer.namespaceSelector))
        {
          findings.push(
            smFinding(NAMESPACE_SELECTOR_MATCHES_NOTHING, policy.target,
              `${where}.namespaceSelector matches no known namespace.`),
          );
          return;
        }
        if (peer.podSelector === undefined || isEmptySelector(peer.podSelector)) return;
        const judged = namespaces.filter((info) => known(info.name));
        if (judged.length > 0 && !judged.some((info) => selects(info.name, peer.podSelector))) {
          findings.push(
            smFinding(POD_SELECTOR_MATCHES_NOTHING, policy.target,
              `${where}.podSelector matches no known workload in ${
                judged.map((info) => namespaceLabel(info.name)).join(', ')
              }.`),
          );
        }
      });
    });
  }
  return findings;
}

function analyzeNetworkPolicies(inventory: Inventory): Finding[] {
  const {policies} = networkPolicyIndexOf(inventory);
  return [
    ...defaultDenyFindings(inventory),
    ...policies.flatMap(openRuleFindings),
    ...policies.flatMap((policy) => selectorFindings(inventory, policy)),
  ];
}

export const networkPolicyAnalyzer: Analyzer = {
  name: 'sm.network-policy',
  description: 'Namespaces without default-deny NetworkPolicy, and policies that admit everything or select nothing.',
  inputs: [...INVENTORY_INPUTS, ...kinds('networking.k8s.io', 'NetworkPolicy')],
  codes: networkPolicyRules,
  analyze: (input) => analyzeNetworkPolicies(inventoryOf(input)),
};
