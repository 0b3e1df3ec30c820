// What observability setup renders, as data: the parts per mesh, the values' scope, Grafana's
// Secret and the dashboards' ConfigMaps.
import {describe, expect, it} from 'vitest';
import {DEFAULT_PLATFORM} from '../../../src/core/config/platform.js';
import type {PlatformSpec} from '../../../src/core/config/types.js';
import {consoles, OBSERVABILITY_CHARTS, partsFor} from '../../../src/core/observability/charts.js';
import {accessLogProvider, dashboardConfigMaps, grafanaAdminSecret,
  observabilityScope} from '../../../src/core/observability/stack.js';

const platform = (change: (spec: PlatformSpec) => void = () => undefined): PlatformSpec => {
  const spec = structuredClone(DEFAULT_PLATFORM);
  change(spec);
  return spec;
};

describe('the stack', () => {
  it('installs Kiali for Istio and Linkerd Viz for Linkerd, after the metrics stack and tracing', () => {
    expect(partsFor('istio', DEFAULT_PLATFORM.observability)).toEqual(['metrics', 'tracing', 'collector', 'kiali']);
    expect(partsFor('linkerd', DEFAULT_PLATFORM.observability)).toEqual(['metrics', 'tracing', 'collector', 'viz']);
    expect(partsFor('istio', {parts: {grafana: true, tracing: false, console: false}})).toEqual(['metrics']);
  });

  it('names every chart once, with a sha256 of its archive', () => {
    for (const pin of Object.values(OBSERVABILITY_CHARTS)) {
      expect(pin.sha256, pin.chart).toMatch(/^[0-9a-f]{64}$/);
      expect(pin.repository, pin.chart).toMatch(/^https:\/\//);
    }
  });

  it('reaches the consoles at the services the charts make from their release names', () => {
    const ui = consoles({namespace: 'observability'});
    expect(ui.grafana).toEqual({part: 'metrics', namespace: 'observability', service: 'prometheus-grafana', port: 80});
    expect(ui.prometheus.service).toBe('prometheus-kube-prometheus-prometheus');
    expect(ui.viz.namespace).toBe('linkerd-viz');
  });

  it('asks for a volume only when a storage size is set', () => {
    expect(observabilityScope(platform(), 'istio').prometheus.storageSpec).toBeUndefined();
    expect(observabilityScope(platform((spec) => {
      spec.observability.storageSize = '50Gi';
    }), 'istio').prometheus.storageSpec).toEqual({
      volumeClaimTemplate: {spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '50Gi'}}}},
    });
  });

  it("sends access logs to the collector in the stack's namespace", () => {
    expect(accessLogProvider(platform((spec) => {
      spec.observability.namespace = 'telemetry';
    }))).toEqual({name: 'sparc-otel-logs',
      envoyOtelAls: {service: 'otel-collector.telemetry.svc.cluster.local', port: 4317}});
  });

  it("keeps Grafana's password in a Secret the chart reads, under the keys its values name", () => {
    const secret = grafanaAdminSecret('s3cret', 'monitoring');
    expect(secret.metadata).toMatchObject({name: 'grafana-admin', namespace: 'monitoring'});
    expect(secret.stringData).toEqual({'admin-user': 'admin', 'admin-password': 's3cret'});
  });

  it("labels each dashboard's ConfigMap for Grafana's sidecar", () => {
    const [configMap] = dashboardConfigMaps([{name: 'istio-mesh', json: '{"title":"Istio Mesh"}'}], 'monitoring');
    expect(configMap).toMatchObject({kind: 'ConfigMap',
      metadata: {name: 'dashboard-istio-mesh',
        labels: {grafana_dashboard: '1', 'sparc-mesh.io/scope': 'observability'}},
      data: {'istio-mesh.json': '{"title":"Istio Mesh"}'}});
  });
});
