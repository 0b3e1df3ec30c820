// Alerts on policy violations and mesh health, as PrometheusRule objects that the
// Prometheus Operator loads. Each rule names the metric its mesh exports, says what it means,
// and carries a `runbook` annotation: the sparc-mesh command that explains a firing alert.
// The rules are checked by the real promtool (`check rules`) and unit-tested with
// synthetic series (`test rules`) in test/e2e/observability-rules.test.ts.
import type {Mesh, Observability} from '../config/types.js';
import type {KubeObject} from '../objects.js';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: {severity: 'critical' | 'warning'};
  annotations: {summary: string; description: string; runbook: string};
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** A service of the catalogue whose objectives the SLO alerts watch. */
export interface WatchedService {
  name: string;
  namespace: string;
}

export interface AlertInput {
  mesh: Mesh;
  /** Namespaces where STRICT mutual TLS is expected (the platform's). */
  strictNamespaces: readonly string[];
  services: readonly WatchedService[];
  slo: Observability['slo'];
  /** Days before a certificate's expiry that the expiry alert fires. */
  certificateWarningDays: number;
}

/** Multiwindow burn rate of the availability SLO that pages (2 % of a 30-day budget in an hour). */
const FAST_BURN = 14.4;

const DAY_SECONDS = 86_400;

const rule = (alert: string, expr: string, duration: string, severity: AlertRule['labels']['severity'], summary: string,
  description: string, runbook: string): AlertRule => ({
    alert,
    expr,
    for: duration,
    labels: {severity},
    annotations: {summary, description, runbook},
  });

/** A PromQL label matcher for a list of namespaces: `"a|b"` (names are DNS labels, no escaping needed). */
const namespaceRegex = (namespaces: readonly string[]) => namespaces.join('|');

function istioPolicy(input: AlertInput): RuleGroup {
  const strict = namespaceRegex(input.strictNamespaces);
  return {name: 'sparc-mesh.policy', rules: [
    rule('MeshRequestsDeniedByAuthorization',
      'sum by (destination_workload_namespace, destination_workload, source_workload_namespace, source_workload) '
        + '(rate(istio_requests_total{reporter="destination", response_code="403"}[5m])) > 0', '5m', 'warning',
      'Requests to {{ $labels.destination_workload_namespace }}/{{ $labels.destination_workload }} are denied (403)',
      'The destination proxy answers 403 to {{ $labels.source_workload_namespace }}/{{ $labels.source_workload }}: an AuthorizationPolicy denies the call (or the application itself answers 403).',
      'sparc-mesh debug connectivity --from deploy/{{ $labels.source_workload }} -n {{ $labels.source_workload_namespace }} --to svc/{{ $labels.destination_workload }}.{{ $labels.destination_workload_namespace }}'),
    rule('MeshPlaintextTrafficWhereStrict',
      `sum by (destination_workload_namespace, destination_workload) (rate(istio_requests_total{reporter="destination", destination_workload_namespace=~"${strict}", connection_security_policy!="mutual_tls"}[5m])) > 0`,
      '5m', 'critical',
      '{{ $labels.destination_workload_namespace }}/{{ $labels.destination_workload }} receives requests without mutual TLS',
      'The namespace expects STRICT mutual TLS, yet its proxy reports requests that did not use it: a PeerAuthentication weakens the mode, or traffic bypasses the sidecar.',
      'sparc-mesh debug pod deploy/{{ $labels.destination_workload }} -n {{ $labels.destination_workload_namespace }}'),
  ]};
}

function linkerdPolicy(input: AlertInput): RuleGroup {
  const strict = namespaceRegex(input.strictNamespaces);
  return {name: 'sparc-mesh.policy', rules: [
    rule('MeshRequestsDeniedByAuthorization',
      'sum by (namespace, deployment, srv_name) (rate(inbound_http_authz_deny_total[5m])) > 0', '5m', 'warning',
      'Requests to {{ $labels.namespace }}/{{ $labels.deployment }} are denied by its authorization policy',
      'The proxy refuses requests to Server {{ $labels.srv_name }}: no AuthorizationPolicy (or the default inbound policy) allows the caller.',
      'sparc-mesh debug pod deploy/{{ $labels.deployment }} -n {{ $labels.namespace }}'),
    rule('MeshConnectionsDeniedByAuthorization',
      'sum by (namespace, deployment, srv_name) (rate(inbound_tcp_authz_deny_total[5m])) > 0', '5m', 'warning',
      'Connections to {{ $labels.namespace }}/{{ $labels.deployment }} are denied by its authorization policy',
      'The proxy refuses TCP connections to Server {{ $labels.srv_name }}: no AuthorizationPolicy allows the client.',
      'sparc-mesh debug pod deploy/{{ $labels.deployment }} -n {{ $labels.namespace }}'),
    rule('MeshPlaintextTrafficWhereStrict',
      `sum by (namespace, deployment) (rate(request_total{direction="inbound", namespace=~"${strict}", tls!="true"}[5m])) > 0`,
      '5m', 'critical', '{{ $labels.namespace }}/{{ $labels.deployment }} receives requests without mutual TLS',
      "The platform's namespaces only admit meshed, authenticated callers, yet the proxy reports inbound requests without TLS: a caller outside the mesh reaches the workload.",
      'sparc-mesh debug pod deploy/{{ $labels.deployment }} -n {{ $labels.namespace }}'),
  ]};
}

function istioHealth(input: AlertInput): RuleGroup {
  const seconds = input.certificateWarningDays * DAY_SECONDS;
  return {name: 'sparc-mesh.health', rules: [
    rule('MeshControlPlaneDown', 'absent(up{job="istiod"} == 1)', '5m', 'critical', 'istiod is down or not scraped',
      'No istiod instance answers its metrics endpoint: proxies keep their last configuration, but new pods get no sidecar configuration or certificates.',
      'sparc-mesh debug pod deploy/istiod -n istio-system'),
    rule('MeshRootCertificateExpiring', `min(citadel_server_root_cert_expiry_timestamp) - time() < ${seconds}`, '1h',
      'critical', "Istio's root certificate expires within " + `${input.certificateWarningDays} days`,
      "istiod's root CA certificate (citadel_server_root_cert_expiry_timestamp) expires soon; once it does, workloads can no longer authenticate each other.",
      'sparc-mesh certs status'),
  ]};
}

function linkerdHealth(input: AlertInput): RuleGroup {
  const seconds = input.certificateWarningDays * DAY_SECONDS;
  return {name: 'sparc-mesh.health', rules: [
    rule('MeshControlPlaneDown', 'absent(up{job="linkerd-control-plane"} == 1)', '5m', 'critical',
      "Linkerd's control plane is down or not scraped",
      "None of Linkerd's controllers (destination, identity, proxy injector) answers its admin port: proxies keep their last state, but new pods get no identity or injection.",
      'sparc-mesh debug pod deploy/linkerd-destination -n linkerd'),
    rule('MeshIssuerCertificateExpiring', `min(identity_cert_expiration_timestamp_seconds) - time() < ${seconds}`, '1h',
      'critical', "Linkerd's identity issuer certificate expires within " + `${input.certificateWarningDays} days`,
      "The identity controller's issuer certificate (identity_cert_expiration_timestamp_seconds) expires soon; after that no proxy gets a new certificate.",
      'sparc-mesh certs status'),
  ]};
}

/** The request, error and latency series of one service, as each mesh names them. */
function serviceSeries(mesh: Mesh, service: WatchedService) {
  if (mesh === 'istio') {
    const match =
      `reporter="destination", destination_service_name="${service.name}", destination_service_namespace="${service.namespace}"`;
    return {
      requests: `istio_requests_total{${match}}`,
      errors: `istio_requests_total{${match}, response_code=~"5.."}`,
      latencyBuckets: `istio_request_duration_milliseconds_bucket{${match}}`,
    };
  }
  const match = `direction="inbound", namespace="${service.namespace}", app="${service.name}"`;
  return {
    requests: `response_total{${match}}`,
    errors: `response_total{${match}, classification="failure"}`,
    latencyBuckets: `response_latency_ms_bucket{${match}}`,
  };
}

/** Alert names are one word per service: `ErrorBudgetBurn` + the service name in PascalCase. */
function pascal(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function serviceObjectives(input: AlertInput): RuleGroup {
  const budget = Number(((100 - input.slo.availabilityPercent) / 100).toPrecision(6));
  const threshold = Number((FAST_BURN * budget).toPrecision(6));
  const rules = input.services.flatMap((service) => {
    const series = serviceSeries(input.mesh, service);
    const ratio = (window: string) =>
      `(sum(rate(${series.errors}[${window}])) / sum(rate(${series.requests}[${window}])))`;
    const who = `${service.namespace}/${service.name}`;
    const runbook = `sparc-mesh debug pod svc/${service.name} -n ${service.namespace}`;
    return [
      rule(`ErrorBudgetBurn${pascal(service.name)}`, `${ratio('1h')} > ${threshold} and ${ratio('5m')} > ${threshold}`,
        '2m', 'critical', `${who} burns its error budget ${FAST_BURN}x too fast`,
        `More than ${
          threshold * 100
        }% of requests to ${who} failed over the last hour and the last 5 minutes; at this rate the ${input.slo.availabilityPercent}% availability objective's 30-day budget is gone in about 2 days.`,
        runbook),
      rule(`LatencyP99${pascal(service.name)}`,
        `histogram_quantile(0.99, sum by (le) (rate(${series.latencyBuckets}[5m]))) > ${input.slo.latencyP99Ms}`, '10m',
        'warning', `${who} answers its slowest 1% of requests in over ${input.slo.latencyP99Ms} ms`,
        `The 99th percentile of request duration at ${who} has stayed above the ${input.slo.latencyP99Ms} ms objective for 10 minutes.`,
        runbook),
    ];
  });
  return {name: 'sparc-mesh.slo', rules};
}

/** The rule groups for a mesh; the SLO group is left out when the catalogue has no service. */
export function alertGroups(input: AlertInput): RuleGroup[] {
  const groups = input.mesh === 'istio'
    ? [istioPolicy(input), istioHealth(input)]
    : [linkerdPolicy(input), linkerdHealth(input)];
  const objectives = serviceObjectives(input);
  return objectives.rules.length ? [...groups, objectives] : groups;
}

/** One PrometheusRule holding every group, in the stack's namespace. */
export function prometheusRule(groups: readonly RuleGroup[], namespace: string,
  labels: Record<string, string>): KubeObject
{
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {name: 'sparc-mesh-alerts', namespace, labels},
    spec: {groups},
  };
}
