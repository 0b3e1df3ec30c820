// The kinds `debug pod` lists: every kind validate's analysers read, less those that cannot
// change a pod's report. The report keeps only findings on objects that touch the pod (the
// pod, its controller, Services and namespace, and the policies and traffic rules that
// apply); the analysers that read these kinds report only on objects of the kind itself, and
// no part of the report reads them. A kind an analyser starts reading is listed by default.
import {liveInputs} from '../analyze/all.js';
import type {GroupKind} from '../analyze/types.js';

const key = ({group, kind}: GroupKind) => `${group}/${kind}`;

/** Kinds no pod report depends on, with the analysers that read them (whose findings name the object read). */
export const NOT_IN_POD_REPORTS: readonly GroupKind[] = [
  // deprecation.FieldAnalyzer (removed Istio types), k8sgateway.CRDVersionAnalyzer.
  {group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition'},
  // gateway.SecretAnalyzer (findings on the Gateway), multicluster.MeshNetworksAnalyzer.
  {group: '', kind: 'Secret'},
  // externalcontrolplane.ExternalControlPlaneAnalyzer.
  {group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration'},
  // envoyfilter.EnvoyPatchAnalyzer and schema validation.
  {group: 'networking.istio.io', kind: 'EnvoyFilter'},
  // schema validation.
  {group: 'networking.istio.io', kind: 'WorkloadEntry'},
  // telemetry.*Analyzer, k8sgateway.SelectorAnalyzer and schema validation.
  {group: 'telemetry.istio.io', kind: 'Telemetry'},
  // k8sgateway.SelectorAnalyzer.
  {group: 'extensions.istio.io', kind: 'WasmPlugin'},
];

/** The kinds a pod report is built from. */
export function podReportInputs(): GroupKind[] {
  const left = new Set(NOT_IN_POD_REPORTS.map(key));
  return liveInputs().filter((input) => !left.has(key(input)));
}
