// What `observability setup` renders, as data: the values every chart's template is filled
// with, the template files, and the objects sparc-mesh applies itself (Grafana's admin
// Secret, the dashboards' ConfigMaps, the alert rules). The password and the dashboards are
// passed in: randomness and files belong to the adapters.
import type {Mesh, Observability, PlatformSpec} from '../config/types.js';
import type {KubeObject} from '../objects.js';
import {MANAGED_BY, SCOPE_LABEL} from '../render/values/common.js';
import {alertGroups, prometheusRule} from './alerts.js';
import {collectorHost, consoles, GRAFANA_SECRET, OBSERVABILITY_CHARTS, type ObservabilityPart} from './charts.js';

/** Labels on every object observability setup applies (offboard and onboard never touch this scope). */
export const OBSERVABILITY_LABELS: Readonly<Record<string, string>> = {...MANAGED_BY, [SCOPE_LABEL]: 'observability'};

/** Each chart's values template, under templates/. */
export const VALUES_TEMPLATES: Readonly<Record<ObservabilityPart, string>> = {
  metrics: 'observability/values/kube-prometheus-stack.yaml',
  collector: 'observability/values/opentelemetry-collector.yaml',
  tracing: 'observability/values/jaeger.yaml',
  kiali: 'observability/values/kiali-server.yaml',
  viz: 'observability/values/linkerd-viz.yaml',
};

/** The mesh wiring: Telemetry and monitors for Istio, monitors for Linkerd. */
export const MESH_TEMPLATES: Readonly<Record<Mesh, string>> = {
  istio: 'observability/istio.yaml',
  linkerd: 'observability/linkerd.yaml',
};

/** The mesh config's extension providers (install istio declares them) that the Telemetry objects name. */
export const ISTIO_PROVIDERS = {tracing: 'sparc-tracing', accessLogs: 'sparc-otel-logs'} as const;

/** OTLP over gRPC, where the collector receives traces and access logs. */
export const OTLP_GRPC_PORT = 4317;

/** Days before expiry that the certificate alerts fire (as `certs status` warns). */
export const CERTIFICATE_WARNING_DAYS = 60;

/** The collector's ServiceAccount (its chart's serviceAccount.name): under Linkerd, its mesh identity. */
const COLLECTOR_SERVICE_ACCOUNT = OBSERVABILITY_CHARTS.collector.release;

/** Linkerd's proxy injector meshes a pod with this annotation (the collector: the proxies reach it by mTLS). */
const LINKERD_INJECT = {'linkerd.io/inject': 'enabled'} as const;

/** The values the templates under templates/observability/ are filled with, for a mesh. */
export function observabilityScope(platform: PlatformSpec, mesh: Mesh) {
  const {observability} = platform;
  const ui = consoles(observability);
  const jaegerHost = `${ui.jaeger.service}.${ui.jaeger.namespace}.svc.cluster.local`;
  return {
    platform,
    observability,
    labels: {observability: {...OBSERVABILITY_LABELS}},
    grafana: {secret: GRAFANA_SECRET},
    prometheus: {
      storageSpec: observability.storageSize
        ? {
          volumeClaimTemplate: {
            spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: observability.storageSize}}},
          },
        }
        : undefined,
    },
    collector: {name: OBSERVABILITY_CHARTS.collector.release, serviceAccount: COLLECTOR_SERVICE_ACCOUNT,
      jaegerEndpoint: `${jaegerHost}:${OTLP_GRPC_PORT}`,
      podAnnotations: mesh === 'linkerd' ? {...LINKERD_INJECT} : undefined},
    kiali: {
      grafanaUrl: `http://${ui.grafana.service}.${ui.grafana.namespace}.svc.cluster.local:${ui.grafana.port}`,
      jaegerUrl: `http://${jaegerHost}:${ui.jaeger.port}`,
    },
    viz: {jaegerUrl: observability.parts.tracing ? `${jaegerHost}:${ui.jaeger.port}` : undefined},
    istio: {tracingProvider: ISTIO_PROVIDERS.tracing, accessLogProvider: ISTIO_PROVIDERS.accessLogs},
  };
}

/** The mesh config's provider for access logs to the collector (install istio adds it to extensionProviders). */
export function accessLogProvider(platform: Pick<PlatformSpec, 'observability'>) {
  return {name: ISTIO_PROVIDERS.accessLogs,
    envoyOtelAls: {service: collectorHost(platform.observability), port: OTLP_GRPC_PORT}};
}

/**
 * Linkerd's proxy tracing, as the control-plane chart's `proxy.tracing` values (install linkerd
 * renders them when observability's tracing is on): every proxy exports its spans over OTLP to
 * the stack's collector, which it reaches with mTLS and must find serving under the collector's
 * mesh identity (its ServiceAccount in the stack's namespace). Linkerd has no sampling setting:
 * a proxy traces the requests whose incoming trace context is sampled.
 */
export function linkerdProxyTracing(observability: Pick<Observability, 'namespace'>) {
  return {
    enabled: true,
    collector: {
      endpoint: `${collectorHost(observability)}:${OTLP_GRPC_PORT}`,
      meshIdentity: {serviceAccountName: COLLECTOR_SERVICE_ACCOUNT, namespace: observability.namespace},
    },
  };
}

/** Why the Linkerd control plane's values (as install linkerd keeps them) do not send spans to the collector; undefined when they do. */
export function linkerdTracingProblem(values: Record<string, unknown>, observability: Pick<Observability, 'namespace'>):
  | string
  | undefined
{
  const tracing = (values.proxy as {tracing?: ReturnType<typeof linkerdProxyTracing>} | undefined)?.tracing;
  const expected = linkerdProxyTracing(observability);
  if (tracing?.enabled !== true) return 'proxy.tracing.enabled is not true';
  const {endpoint, meshIdentity} = tracing.collector ?? {};
  if (endpoint !== expected.collector.endpoint
    || meshIdentity?.serviceAccountName !== expected.collector.meshIdentity.serviceAccountName
    || meshIdentity.namespace !== expected.collector.meshIdentity.namespace)
  {
    return `proxy.tracing.collector sends them to ${endpoint ?? 'no endpoint'} as ${
      meshIdentity ? `${meshIdentity.serviceAccountName}.${meshIdentity.namespace}` : 'no identity'
    }, not to ${expected.collector.endpoint} as ${COLLECTOR_SERVICE_ACCOUNT}.${observability.namespace}`;
  }
  return undefined;
}

/** Grafana's admin user and password, read by the chart through `admin.existingSecret`. */
export function grafanaAdminSecret(password: string, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: GRAFANA_SECRET.name, namespace, labels: {...OBSERVABILITY_LABELS}},
    type: 'Opaque',
    stringData: {[GRAFANA_SECRET.userKey]: 'admin', [GRAFANA_SECRET.passwordKey]: password},
  };
}

export interface Dashboard {
  /** File name without `.json`, e.g. `istio-mesh`. */
  name: string;
  json: string;
}

/** One ConfigMap per dashboard, labelled for Grafana's sidecar (`grafana_dashboard: "1"`). */
export function dashboardConfigMaps(dashboards: readonly Dashboard[], namespace: string): KubeObject[] {
  return dashboards.map((dashboard) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name: `dashboard-${dashboard.name}`, namespace,
      labels: {...OBSERVABILITY_LABELS, grafana_dashboard: '1'}},
    data: {[`${dashboard.name}.json`]: dashboard.json},
  }));
}

/** The watched services: the config's catalogue, each in its namespace or the first platform namespace. */
export function catalogueServices(platform: PlatformSpec) {
  return platform.services.map((service) => ({name: service.name,
    namespace: service.namespace ?? platform.namespaces[0] ?? 'default'})
  );
}

/** The alert rules for a mesh and the platform's catalogue. */
export function alertRules(platform: PlatformSpec, mesh: Mesh): KubeObject {
  const groups = alertGroups({mesh, strictNamespaces: platform.namespaces, services: catalogueServices(platform),
    slo: platform.observability.slo, certificateWarningDays: CERTIFICATE_WARNING_DAYS});
  return prometheusRule(groups, platform.observability.namespace, {...OBSERVABILITY_LABELS});
}
