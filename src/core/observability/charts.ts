// The charts `observability setup` installs: the one place that names each chart's repository,
// version and release, and the Services their user interfaces answer on. An air-gapped
// install (--chart-dir) must find the archive `<chart>-<version>.tgz` with this sha256.
import type {Mesh, Observability} from '../config/types.js';

/** A part of the stack, one helm release each. */
export type ObservabilityPart = 'metrics' | 'collector' | 'tracing' | 'kiali' | 'viz';

export interface ChartPin {
  /** Helm release name; it also prefixes the names of what the chart creates (`prometheus-grafana`). */
  release: string;
  chart: string;
  version: string;
  /** The application version the chart deploys, as its Chart.yaml says. */
  appVersion: string;
  repository: string;
  /** sha256 of the packaged archive `<chart>-<version>.tgz` that --chart-dir must hold. */
  sha256: string;
}

export const OBSERVABILITY_CHARTS: Readonly<Record<ObservabilityPart, ChartPin>> = {
  metrics: {release: 'prometheus', chart: 'kube-prometheus-stack', version: '88.5.3', appVersion: 'v0.93.1',
    repository: 'https://prometheus-community.github.io/helm-charts',
    sha256: '3d7f4872096fcd6334aa87c3b53b871f3662f844f8fd6476965339bfca0daace'},
  collector: {release: 'otel-collector', chart: 'opentelemetry-collector', version: '0.170.0', appVersion: '0.158.0',
    repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    sha256: '8e8fee9156ab9716d8f828fea80809503411afc406d81c5dadcb1b573b5efc64'},
  tracing: {release: 'jaeger', chart: 'jaeger', version: '4.11.1', appVersion: '2.19.0',
    repository: 'https://jaegertracing.github.io/helm-charts',
    sha256: '935f4a1f9da4cb54ad9c4e73e47645f6ebf9fd8bac7668525ca6b814550bd859'},
  kiali: {release: 'kiali', chart: 'kiali-server', version: '2.29.0', appVersion: 'v2.29.0',
    repository: 'https://kiali.org/helm-charts',
    sha256: '66467add56415257e825a7e9964a82f20ac6e333c4c845b9fcd80b4c6a50c7d4'},
  viz: {release: 'linkerd-viz', chart: 'linkerd-viz', version: '2026.8.3', appVersion: 'edge-26.8.3',
    repository: 'https://helm.linkerd.io/edge',
    sha256: '2de4b3bede348fcbeba46ba2e2e8fa0ec1ed21939800ad8eb309711c53bc4681'},
};

/** Linkerd Viz lives in its own namespace, as `linkerd viz` and its checks expect. */
export const VIZ_NAMESPACE = 'linkerd-viz';

/** The Secret holding Grafana's admin user and password, which the chart reads (`admin.existingSecret`). */
export const GRAFANA_SECRET = {name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password'} as const;

/** A user interface of the stack: the Service and port a port-forward reaches. */
export interface Console {
  part: ObservabilityPart;
  namespace: string;
  service: string;
  port: number;
}

export type ConsoleName = 'grafana' | 'prometheus' | 'jaeger' | 'kiali' | 'viz';

/** Where each user interface answers, for the parts a setup installs. */
export function consoles(observability: Pick<Observability, 'namespace'>): Record<ConsoleName, Console> {
  const {namespace} = observability;
  const metrics = OBSERVABILITY_CHARTS.metrics.release;
  return {
    grafana: {part: 'metrics', namespace, service: `${metrics}-grafana`, port: 80},
    prometheus: {part: 'metrics', namespace, service: `${metrics}-kube-prometheus-prometheus`, port: 9090},
    jaeger: {part: 'tracing', namespace, service: OBSERVABILITY_CHARTS.tracing.release, port: 16686},
    kiali: {part: 'kiali', namespace, service: OBSERVABILITY_CHARTS.kiali.release, port: 20001},
    viz: {part: 'viz', namespace: VIZ_NAMESPACE, service: 'web', port: 8084},
  };
}

/** The collector's Service (fullnameOverride in its values): where the mesh sends traces and access logs. */
export function collectorHost(observability: Pick<Observability, 'namespace'>): string {
  return `${OBSERVABILITY_CHARTS.collector.release}.${observability.namespace}.svc.cluster.local`;
}

/** The parts a setup installs for a mesh, in install order (the Prometheus Operator's CRDs first). */
export function partsFor(mesh: Mesh, observability: Pick<Observability, 'parts'>): ObservabilityPart[] {
  const {tracing, console} = observability.parts;
  return [
    'metrics',
    ...(tracing ? ['tracing', 'collector'] as const : []),
    ...(console ? [mesh === 'istio' ? 'kiali' as const : 'viz' as const] : []),
  ];
}

/** The namespace a part's release goes into. */
export function releaseNamespace(part: ObservabilityPart, observability: Pick<Observability, 'namespace'>): string {
  return part === 'viz' ? VIZ_NAMESPACE : observability.namespace;
}
