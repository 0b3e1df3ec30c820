// The alert rules as data: which alerts each mesh gets, the per-service objectives, and the
// runbook of each (a sparc-mesh command that exists or that issue 14's debug defines).
// promtool judges the expressions themselves (test/e2e/observability-rules.test.ts).
import {describe, expect, it} from 'vitest';
import {alertGroups, type AlertInput} from '../../../src/core/observability/alerts.js';

const input = (overrides: Partial<AlertInput> = {}): AlertInput => ({
  mesh: 'istio',
  strictNamespaces: ['sparc', 'payments'],
  services: [{name: 'api-gateway', namespace: 'sparc'}, {name: 'video-streaming', namespace: 'sparc'}],
  slo: {availabilityPercent: 99.9, latencyP99Ms: 750},
  certificateWarningDays: 60,
  ...overrides,
});

const alerts = (overrides: Partial<AlertInput> = {}) =>
  alertGroups(input(overrides)).flatMap((group) => group.rules.map((rule) => ({group: group.name, ...rule})));

describe('alertGroups', () => {
  it('gives Istio policy, health and per-service objective alerts', () => {
    expect(alerts().map((rule) => `${rule.group}/${rule.alert}`)).toEqual([
      'sparc-mesh.policy/MeshRequestsDeniedByAuthorization',
      'sparc-mesh.policy/MeshPlaintextTrafficWhereStrict',
      'sparc-mesh.health/MeshControlPlaneDown',
      'sparc-mesh.health/MeshRootCertificateExpiring',
      'sparc-mesh.slo/ErrorBudgetBurnApiGateway',
      'sparc-mesh.slo/LatencyP99ApiGateway',
      'sparc-mesh.slo/ErrorBudgetBurnVideoStreaming',
      'sparc-mesh.slo/LatencyP99VideoStreaming',
    ]);
  });

  it("gives Linkerd its own metrics: authorization deny counters and the issuer's expiry", () => {
    const linkerd = alerts({mesh: 'linkerd'});
    expect(linkerd.map((rule) => rule.alert)).toContain('MeshConnectionsDeniedByAuthorization');
    expect(linkerd.find((rule) => rule.alert === 'MeshRequestsDeniedByAuthorization')?.expr).toContain(
      'inbound_http_authz_deny_total',
    );
    expect(linkerd.find((rule) => rule.alert === 'MeshIssuerCertificateExpiring')?.expr).toContain(
      'identity_cert_expiration_timestamp_seconds',
    );
    expect(linkerd.find((rule) => rule.alert === 'ErrorBudgetBurnApiGateway')?.expr).toContain(
      'response_total{direction="inbound", namespace="sparc", app="api-gateway", classification="failure"}',
    );
  });

  it('burns the budget the objective leaves at 14.4 times, in both windows, and watches p99 at the objective', () => {
    const rules = alerts();
    const burn = rules.find((rule) => rule.alert === 'ErrorBudgetBurnApiGateway')!;
    expect(burn.expr.match(/> 0\.0144/g)).toHaveLength(2);
    expect(burn.expr).toContain('[1h]');
    expect(burn.expr).toContain('[5m]');
    const halfBudget = alerts({slo: {availabilityPercent: 99.5, latencyP99Ms: 750}})
      .find((rule) => rule.alert === 'ErrorBudgetBurnApiGateway')!;
    expect(halfBudget.expr).toContain('> 0.072');
    expect(rules.find((rule) => rule.alert === 'LatencyP99ApiGateway')?.expr).toMatch(/\) > 750$/);
  });

  it('expects STRICT mutual TLS in exactly the platform namespaces', () => {
    const plaintext = alerts().find((rule) => rule.alert === 'MeshPlaintextTrafficWhereStrict')!;
    expect(plaintext.expr).toContain('destination_workload_namespace=~"sparc|payments"');
  });

  it('leaves the objectives out when the catalogue has no service', () => {
    expect(alertGroups(input({services: []})).map((group) => group.name)).toEqual(['sparc-mesh.policy',
      'sparc-mesh.health']);
  });

  it('points every alert at the sparc-mesh command that explains it', () => {
    for (const mesh of ['istio', 'linkerd'] as const) {
      for (const rule of alerts({mesh})) {
        // As Prometheus fills it in for an alert: each label reference becomes a value.
        const runbook = rule.annotations.runbook.replace(/\{\{ \$labels\.(\w+) \}\}/g, 'value');
        expect(runbook, rule.alert).toMatch(
          /^sparc-mesh (debug pod (deploy|svc)\/\S+ -n \S+|debug connectivity --from deploy\/\S+ -n \S+ --to svc\/\S+|certs status)$/,
        );
      }
    }
  });
});
