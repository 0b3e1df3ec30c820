// The Istio annotations that `istioctl analyze` knows: which kinds of object each one
// belongs on, how mature its feature is, and whether it is deprecated. Names, kinds and
// status are facts of Istio's public API; this table reflects istio.io/api v1.31.0
// (annotation/annotations.yaml, the release that ships with Istio 1.31). Update it when
// the pinned Istio version moves.

export type Maturity = 'Alpha' | 'Beta' | 'Stable';

export interface AnnotationSpec {
  name: string;
  /** Kinds the annotation may be set on; `Any` means every kind. */
  resources: readonly string[];
  maturity: Maturity;
  deprecated: boolean;
}

const DEPRECATED = true;

// [name, resources ('|' separated), maturity, deprecated?]
type Row = [string, string, Maturity, boolean?];

const ROWS: Row[] = [
  ['alpha.istio.io/canonical-serviceaccounts', 'Service', 'Alpha', DEPRECATED],
  ['alpha.istio.io/kubernetes-serviceaccounts', 'Service', 'Alpha', DEPRECATED],
  ['ambient.istio.io/bypass-inbound-capture', 'Pod', 'Alpha'],
  ['ambient.istio.io/dns-capture', 'Pod', 'Alpha'],
  ['ambient.istio.io/redirection', 'Pod', 'Beta'],
  ['ambient.istio.io/waypoint-inbound-binding', 'GatewayClass|Gateway', 'Alpha'],
  ['galley.istio.io/analyze-suppress', 'Any', 'Alpha'],
  ['gateway.istio.io/controller-version', 'Any', 'Alpha'],
  ['gateway.istio.io/name-override', 'Gateway', 'Alpha'],
  ['gateway.istio.io/service-account', 'Gateway', 'Alpha'],
  ['inject.istio.io/templates', 'Pod', 'Alpha'],
  ['istio.io/autoRegistrationGroup', 'WorkloadEntry', 'Alpha'],
  ['istio.io/connectedAt', 'WorkloadEntry', 'Alpha'],
  ['istio.io/disconnectedAt', 'WorkloadEntry', 'Alpha'],
  ['istio.io/dry-run', 'AuthorizationPolicy', 'Alpha'],
  ['istio.io/reroute-virtual-interfaces', 'Pod', 'Alpha'],
  ['istio.io/rev', 'Pod', 'Alpha'],
  ['istio.io/use-waypoint-canary-weight', 'Service|ServiceEntry|Namespace', 'Alpha'],
  ['istio.io/workloadController', 'WorkloadEntry', 'Alpha'],
  ['kubernetes.io/ingress.class', 'Ingress', 'Stable'],
  ['networking.istio.io/exportTo', 'Service', 'Alpha'],
  ['networking.istio.io/service-type', 'Gateway', 'Alpha'],
  ['networking.istio.io/traffic-distribution', 'Namespace|Service|ServiceEntry', 'Alpha'],
  ['prometheus.istio.io/merge-metrics', 'Pod', 'Alpha'],
  ['proxy.istio.io/config', 'Pod', 'Beta'],
  ['proxy.istio.io/overrides', 'Pod', 'Alpha'],
  ['readiness.status.sidecar.istio.io/applicationPorts', 'Pod', 'Alpha'],
  ['readiness.status.sidecar.istio.io/failureThreshold', 'Pod', 'Alpha'],
  ['readiness.status.sidecar.istio.io/initialDelaySeconds', 'Pod', 'Alpha'],
  ['readiness.status.sidecar.istio.io/periodSeconds', 'Pod', 'Alpha'],
  ['sidecar.istio.io/agentLogLevel', 'Pod', 'Alpha'],
  ['sidecar.istio.io/bootstrapOverride', 'Pod', 'Alpha'],
  ['sidecar.istio.io/componentLogLevel', 'Pod', 'Alpha'],
  ['sidecar.istio.io/discoveryAddress', 'Pod', 'Alpha', DEPRECATED],
  ['sidecar.istio.io/extraStatTags', 'Pod', 'Alpha', DEPRECATED],
  ['sidecar.istio.io/inject', 'Pod', 'Beta', DEPRECATED],
  ['sidecar.istio.io/interceptionMode', 'Pod', 'Alpha'],
  ['sidecar.istio.io/logLevel', 'Pod', 'Alpha'],
  ['sidecar.istio.io/nativeSidecar', 'Pod', 'Alpha'],
  ['sidecar.istio.io/proxyCPU', 'Pod', 'Alpha'],
  ['sidecar.istio.io/proxyCPULimit', 'Pod', 'Alpha'],
  ['sidecar.istio.io/proxyImage', 'Pod', 'Alpha'],
  ['sidecar.istio.io/proxyImageType', 'Pod', 'Alpha'],
  ['sidecar.istio.io/proxyMemory', 'Pod', 'Alpha'],
  ['sidecar.istio.io/proxyMemoryLimit', 'Pod', 'Alpha'],
  ['sidecar.istio.io/rewriteAppHTTPProbers', 'Pod', 'Alpha'],
  ['sidecar.istio.io/statsCompression', 'Pod', 'Alpha', DEPRECATED],
  ['sidecar.istio.io/statsEvictionInterval', 'Pod', 'Alpha'],
  ['sidecar.istio.io/statsFlushInterval', 'Pod', 'Alpha'],
  ['sidecar.istio.io/statsHistogramBins', 'Pod', 'Alpha'],
  ['sidecar.istio.io/statsHistogramBuckets', 'Pod', 'Alpha'],
  ['sidecar.istio.io/statsInclusionPrefixes', 'Pod', 'Alpha', DEPRECATED],
  ['sidecar.istio.io/statsInclusionRegexps', 'Pod', 'Alpha', DEPRECATED],
  ['sidecar.istio.io/statsInclusionSuffixes', 'Pod', 'Alpha', DEPRECATED],
  ['sidecar.istio.io/status', 'Pod', 'Alpha'],
  ['sidecar.istio.io/userVolume', 'Pod', 'Alpha'],
  ['sidecar.istio.io/userVolumeMount', 'Pod', 'Alpha'],
  ['status.sidecar.istio.io/port', 'Pod', 'Alpha'],
  ['topology.istio.io/controlPlaneClusters', 'Namespace', 'Alpha'],
  ['traffic.istio.io/nodeSelector', 'Service', 'Stable'],
  ['traffic.sidecar.istio.io/excludeInboundPorts', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/excludeInterfaces', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/excludeOutboundIPRanges', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/excludeOutboundPorts', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/includeInboundPorts', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/includeOutboundIPRanges', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/includeOutboundPorts', 'Pod', 'Alpha'],
  ['traffic.sidecar.istio.io/kubevirtInterfaces', 'Pod', 'Alpha', DEPRECATED],
];

export const ANNOTATIONS: ReadonlyMap<string, AnnotationSpec> = new Map(
  ROWS.map(([name, resources, maturity, deprecated]) => [
    name,
    {name, resources: resources.split('|'), maturity, deprecated: deprecated ?? false},
  ]),
);

/**
 * Annotations in Istio's namespace (any `*istio.io/` prefix), plus the one Kubernetes
 * annotation Istio documents; other annotations are not Istio's business.
 */
export function isIstioAnnotation(name: string): boolean {
  if (name === 'kubernetes.io/ingress.class') return true;
  return (name.split('/')[0] ?? '').endsWith('istio.io');
}
