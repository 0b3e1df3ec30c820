// `debug pod`: one report on one pod from what validate already knows how to read: the
// inventory, mTLS and policy indexes, the reachability model and validate's analysers, over
// the objects of the pod's namespace and Istio's root namespace. Pure: the action lists.
import {validateAnalyzers} from '../analyze/all.js';
import {asString, at} from '../analyze/istio/query/fields.js';
import {inventoryOf, type Inventory, type ServiceInfo, type Workload} from '../analyze/mesh-policy/inventory.js';
import {buildReachability, type ReachabilityEdge} from '../analyze/reachability/index.js';
import {runAnalysis, type FindingsReport} from '../analyze/run.js';
import type {Finding} from '../analyze/types.js';
import {groupOf, refOf, type KubeObject, type ResourceRef, type SourcedObject} from '../objects.js';
import type {ProxyConfigSummary} from './envoy-config.js';
import {podFindings} from './pod-findings.js';
import {istioAuthorizationOf, linkerdPolicyOf, mtlsOf, networkPoliciesOf, type MtlsSummary,
  type PolicySummary} from './pod-policies.js';
import {podStatusOf, type PodStatus} from './pod-status.js';
import {trafficRulesOf, type TrafficRuleSummary} from './pod-traffic.js';

export interface PodReportInput {
  pod: KubeObject;
  /** The listing of the pod's namespace and the root namespace, the pod among them. */
  objects: readonly KubeObject[];
  /** Namespaces known to exist, for namespace selectors. */
  namespaces?: string[];
  /** Events about the pod. */
  events: readonly KubeObject[];
  /** Pods of the control planes (istiod, Linkerd's destination), for the version comparison. */
  controlPlanePods: readonly KubeObject[];
}

export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** RFC 3339, as the API server gives it. */
  lastSeen: string;
}

export interface PodReport {
  pod: ResourceRef;
  status: PodStatus;
  identity: {serviceAccount: string; principal?: string};
  services: ResourceRef[];
  mtls?: MtlsSummary;
  authorization: PolicySummary[];
  networkPolicies: PolicySummary[];
  traffic: TrafficRuleSummary[];
  /** Calls from workloads of the namespace to the pod's Services that policy refuses (or refuses for some pods). */
  deniedCalls: ReachabilityEdge[];
  events: EventSummary[];
  report: FindingsReport;
  /** The Istio sidecar's Envoy configuration, when its admin port could be read. */
  proxyConfig?: ProxyConfigSummary;
  /** Why the sidecar's configuration is not in the report (no sidecar, admin port unreachable). */
  proxyConfigUnavailable?: string;
}

const SHOWN_EVENTS = 10;

function eventsOf(events: readonly KubeObject[]): EventSummary[] {
  const summaries = events.map((event) => ({
    type: asString(at(event, 'type')) ?? '',
    reason: asString(at(event, 'reason')) ?? '',
    message: asString(at(event, 'message')) ?? '',
    count: typeof at(event, 'count') === 'number' ? at(event, 'count') as number : 1,
    lastSeen: asString(at(event, 'lastTimestamp')) ?? asString(at(event, 'eventTime'))
      ?? asString(event.metadata.creationTimestamp) ?? '',
  }));
  return summaries.sort((a, b) => (a.lastSeen < b.lastSeen ? -1 : a.lastSeen > b.lastSeen ? 1 : 0))
    .slice(-SHOWN_EVENTS);
}

function identityOf(workload: Workload, mesh: PodStatus['proxy']['mesh'], inventory: Inventory): PodReport['identity'] {
  const {serviceAccount, namespace} = workload;
  if (mesh === 'istio') {
    return {serviceAccount, principal: `spiffe://${inventory.trustDomain}/ns/${namespace}/sa/${serviceAccount}`};
  }
  if (mesh === 'linkerd') {
    return {serviceAccount,
      principal: `${serviceAccount}.${namespace}.serviceaccount.identity.linkerd.${inventory.trustDomain}`};
  }
  return {serviceAccount};
}

function deniedCallsTo(objects: readonly SourcedObject[], services: readonly ServiceInfo[],
  namespaces: string[] | undefined): ReachabilityEdge[]
{
  return services.flatMap((service) =>
    buildReachability(objects, {to: `${service.namespace}/${service.name}`, ...(namespaces ? {namespaces} : {})})
      .edges.filter((edge) => edge.verdict !== 'allow')
  );
}

const key = (ref: ResourceRef) => [groupOf(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name].join('\u0000');

/** Controllers whose pod template selects the pod (its Deployment, StatefulSet ...). */
function controllersOf(inventory: Inventory, workload: Workload): ResourceRef[] {
  return inventory.workloadsIn(workload.namespace).filter((candidate) =>
    candidate.kind !== 'Pod'
    && inventory.workloadsSelectedBy(workload.namespace, at(candidate.target.object, 'spec', 'selector')).includes(
      workload,
    )
  ).map((candidate) => refOf(candidate.target.object));
}

export function podReport(input: PodReportInput): PodReport {
  const objects: SourcedObject[] = input.objects.map((object) => ({object}));
  const analysisInput = {objects, ...(input.namespaces ? {namespaces: input.namespaces} : {})};
  const inventory = inventoryOf(analysisInput);
  const podRef = refOf(input.pod);
  const workload = inventory.workloads.find((candidate) =>
    candidate.kind === 'Pod' && candidate.name === podRef.name && candidate.namespace === podRef.namespace
  );
  if (!workload) throw new Error(`the listing does not hold pod ${podRef.namespace ?? ''}/${podRef.name}`);
  const status = podStatusOf(input.pod, input.controlPlanePods);
  const services = inventory.servicesIn(workload.namespace).filter((service) =>
    inventory.backendsOf(service).includes(workload)
  );
  const authorization = status.proxy.mesh === 'linkerd'
    ? linkerdPolicyOf(inventory, workload)
    : istioAuthorizationOf(inventory, workload);
  const mtls = status.proxy.mesh === 'linkerd' ? undefined : mtlsOf(inventory, workload);
  const networkPolicies = networkPoliciesOf(inventory, workload);
  const traffic = trafficRulesOf(inventory, services);
  const deniedCalls = deniedCallsTo(objects, services, input.namespaces);
  const namespace: ResourceRef = {apiVersion: 'v1', kind: 'Namespace', name: workload.namespace};
  const touching = new Set(
    [podRef, namespace, ...controllersOf(inventory, workload),
      ...services.map((service) => refOf(service.target.object)), ...(mtls?.decidedBy ? [mtls.decidedBy] : []),
      ...[...authorization, ...networkPolicies, ...traffic].map((entry) => entry.resource)].map(key),
  );
  const own: Finding[] = podFindings({pod: input.pod, status, namespace: inventory.namespaces.get(workload.namespace),
    traffic, deniedCalls});
  const report = runAnalysis(analysisInput, {analyzers: validateAnalyzers(undefined), inputFindings: own,
    failOn: 'error', isReported: (finding) => finding.resource !== undefined && touching.has(key(finding.resource))});
  const result: PodReport = {pod: podRef, status, identity: identityOf(workload, status.proxy.mesh, inventory),
    services: services.map((service) => refOf(service.target.object)), authorization, networkPolicies, traffic,
    deniedCalls, events: eventsOf(input.events), report};
  if (mtls) result.mtls = mtls;
  return result;
}
