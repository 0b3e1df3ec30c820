// `sparc-mesh debug pod`: lists what the report needs and nothing more, in parallel: the
// kinds a pod report is built from (core/debug/pod-inputs.ts) in the pod's namespace and
// Istio's root namespace, with validate's live listing, and the control-plane pods by label;
// finds the target in that listing, then its events by field selector; and hands it all to
// core/debug/pod-report.ts.
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {ISTIO_NAMESPACE} from '../../core/analyze/istio/create-context.js';
import {summariseConfigDump} from '../../core/debug/envoy-config.js';
import {podReportInputs} from '../../core/debug/pod-inputs.js';
import {podReport, type PodReport} from '../../core/debug/pod-report.js';
import type {ActionDeps} from '../deps.js';
import {listLive} from '../validate/live.js';
import {liveConfigDump} from './proxy-config.js';
import {POD_TYPE, podInListing, workloadTarget} from './resolve-pod.js';

/** A sidecar that does not answer quickly is reported as unreachable rather than holding the report up. */
const SIDECAR_CONFIG_TIMEOUT_MS = 5_000;

export interface DebugPodInput {
  connection: KubeConnection;
  namespace?: string;
  /** `POD`, `deploy/NAME` or `svc/NAME`. */
  target: string;
}

const EVENT_TYPE = {group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true};

/** Labels of the pods whose image says which release the control plane runs. */
export const CONTROL_PLANE_SELECTORS = ['app=istiod', 'linkerd.io/control-plane-component=destination'];

export async function debugPod(input: DebugPodInput, deps: Pick<ActionDeps, 'connect'>): Promise<PodReport> {
  const target = workloadTarget(input.target, 'POD');
  const client = await deps.connect(input.connection);
  const namespace = input.namespace ?? client.contextNamespace;
  const [objects, controlPlanePods] = await Promise.all([
    listLive(client, [...new Set([namespace, ISTIO_NAMESPACE])], podReportInputs()),
    Promise.all(CONTROL_PLANE_SELECTORS.map((labelSelector) => client.list(POD_TYPE, {labelSelector}))),
  ]);
  const pod = podInListing(objects, namespace, target);
  const events = await client.list(EVENT_TYPE, {namespace,
    fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod.metadata.name ?? ''}`});
  const namespaces = objects.filter((object) => object.kind === 'Namespace' && object.apiVersion === 'v1')
    .map((object) => object.metadata.name ?? '');
  const report = podReport({pod, objects, events, controlPlanePods: controlPlanePods.flat(),
    ...(namespaces.length > 0 ? {namespaces} : {})});
  return {...report, ...await sidecarConfig(client, report)};
}

/** The sidecar's configuration for the report, or why it is not there: a report is still worth having without it. */
async function sidecarConfig(client: KubeClient,
  report: PodReport): Promise<Pick<PodReport, 'proxyConfig' | 'proxyConfigUnavailable'>>
{
  const {proxy} = report.status;
  if (proxy.mesh !== 'istio') return {proxyConfigUnavailable: 'no Istio sidecar'};
  if (!proxy.running) return {proxyConfigUnavailable: 'the sidecar is not running'};
  try {
    const dump = await liveConfigDump(client, {namespace: report.pod.namespace ?? '', name: report.pod.name},
      SIDECAR_CONFIG_TIMEOUT_MS);
    return {proxyConfig: summariseConfigDump(dump)};
  } catch (error) {
    return {proxyConfigUnavailable: `its admin port could not be read: ${(error as Error).message}`};
  }
}
