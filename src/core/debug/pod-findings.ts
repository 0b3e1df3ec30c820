// The findings `debug pod` adds to validate's: the live state of the pod (proxy, readiness,
// restarts), the callers policy refuses and the traffic rules that bite at run time.
import {refOf, type KubeObject, type ResourceRef} from '../objects.js';
import {asStringMap} from '../analyze/istio/query/fields.js';
import {INJECTION_LABEL, REVISION_LABEL, SIDECAR_INJECT} from '../analyze/istio/query/workload.js';
import type {NamespaceInfo} from '../analyze/mesh-policy/inventory.js';
import type {ReachabilityEdge} from '../analyze/reachability/index.js';
import type {Finding, RuleDoc} from '../analyze/types.js';
import {CALLERS_DENIED, CONTAINER_RESTARTS, NO_PROXY, OUTLIER_DETECTION, POD_NOT_READY, PROXY_NOT_READY,
  PROXY_VERSION_SKEW, SUBSET_SELECTS_NO_POD} from './rules.js';
import type {PodStatus} from './pod-status.js';
import type {TrafficRuleSummary} from './pod-traffic.js';

export interface PodFindingsInput {
  pod: KubeObject;
  status: PodStatus;
  namespace: NamespaceInfo | undefined;
  traffic: readonly TrafficRuleSummary[];
  deniedCalls: readonly ReachabilityEdge[];
}

function finding(rule: RuleDoc, resource: ResourceRef, message: string): Finding {
  return {code: rule.code, severity: rule.severity, message, resource, documentation: rule.documentation};
}

/** Why injection did not happen, as far as labels and annotations tell. */
function whyNoProxy(pod: KubeObject, namespace: NamespaceInfo | undefined): string {
  const labels = asStringMap(pod.metadata.labels);
  const annotations = asStringMap(pod.metadata.annotations);
  const own = labels[SIDECAR_INJECT] ?? annotations[SIDECAR_INJECT];
  if (own === 'false') return `the pod opts out with ${SIDECAR_INJECT}=false`;
  if (annotations['linkerd.io/inject'] === 'disabled') return 'the pod opts out with linkerd.io/inject: disabled';
  const nsLabels = namespace?.labels ?? {};
  const nsAnnotations = namespace?.annotations ?? {};
  const name = namespace?.name ?? pod.metadata.namespace ?? '';
  if (nsLabels[INJECTION_LABEL] === 'enabled' || nsLabels[REVISION_LABEL] !== undefined
    || nsAnnotations['linkerd.io/inject'] === 'enabled')
  {
    return `namespace ${name} has injection enabled, so the pod was created before it was (or while the injector was down): restart it`;
  }
  return `namespace ${name} is not labelled for injection (no ${INJECTION_LABEL}=enabled, ${REVISION_LABEL} or linkerd.io/inject annotation)`;
}

/** `1.30.3` and `1.30.4` share a minor release; a different minor (or Linkerd edge release) is skew. */
function minorOf(version: string): string {
  return /^v?(\d+\.\d+)/.exec(version)?.[1] ?? version;
}

/** Layers that admit a caller by naming it; mTLS only says how the call travels. */
const ADMITTING_LAYERS = new Set(['network-policy', 'istio-authz', 'linkerd']);

/**
 * A denied call that some layer admits by an explicit rule: someone meant the caller to
 * pass and another layer refuses it. Calls no rule admits are deny-by-default at work.
 */
function conflictOf(edge: ReachabilityEdge): string | undefined {
  const admitted = edge.reasons.filter((reason) =>
    reason.effect === 'allow' && reason.resource !== undefined && ADMITTING_LAYERS.has(reason.layer)
  );
  const refused = edge.reasons.filter((reason) => reason.effect === 'deny');
  if (admitted.length === 0 || refused.length === 0) return undefined;
  const list = (reasons: typeof admitted) => reasons.map((reason) => `${reason.layer}: ${reason.message}`).join('; ');
  return `${edge.from} → ${edge.to}:${edge.port} is admitted (${list(admitted)}) but ${
    edge.verdict === 'deny' ? 'denied' : 'denied for some pods'
  } (${list(refused)})`;
}

export function podFindings(input: PodFindingsInput): Finding[] {
  const {pod, status} = input;
  const ref = refOf(pod);
  const findings: Finding[] = [];
  const {proxy} = status;
  if (proxy.mesh === 'none') {
    findings.push(
      finding(NO_PROXY, ref, `no istio-proxy or linkerd-proxy container: ${whyNoProxy(pod, input.namespace)}`),
    );
  } else if (!proxy.running || !proxy.ready) {
    const container = status.containers.find((entry) => entry.name === proxy.container);
    findings.push(
      finding(PROXY_NOT_READY, ref,
        `${proxy.container ?? 'proxy'} is ${container?.state ?? 'not started'}${proxy.running ? ', not ready' : ''}`),
    );
  }
  if (proxy.version && proxy.controlPlaneVersion && minorOf(proxy.version) !== minorOf(proxy.controlPlaneVersion)) {
    findings.push(
      finding(PROXY_VERSION_SKEW, ref,
        `proxy ${proxy.version}, control plane ${proxy.controlPlaneVersion}: restart the workload to inject the current proxy`),
    );
  }
  if (status.phase !== 'Running' || !status.ready) {
    findings.push(finding(POD_NOT_READY, ref, `pod is ${status.phase}${status.ready ? '' : ', not Ready'}`));
  }
  for (const container of status.containers.filter((entry) => entry.restarts > 0)) {
    findings.push(
      finding(CONTAINER_RESTARTS, ref,
        `container ${container.name} restarted ${container.restarts} time${container.restarts === 1 ? '' : 's'}${
          container.lastTermination ? `, last: ${container.lastTermination}` : ''
        }`),
    );
  }
  for (const conflict of input.deniedCalls.map(conflictOf)) {
    if (conflict) findings.push(finding(CALLERS_DENIED, ref, conflict));
  }
  for (const rule of input.traffic) {
    if (rule.outlierDetection) {
      findings.push(
        finding(OUTLIER_DETECTION, rule.resource, `ejects endpoints of ${rule.host} (${rule.outlierDetection})`),
      );
    }
    for (const subset of rule.subsets.filter((entry) => !entry.selectsPods)) {
      findings.push(
        finding(SUBSET_SELECTS_NO_POD, rule.resource,
          `subset ${subset.name} (${
            Object.entries(subset.labels).map(([key, value]) => `${key}=${value}`).join(',')
          }) selects no pod of ${rule.host}`),
      );
    }
  }
  return findings;
}
