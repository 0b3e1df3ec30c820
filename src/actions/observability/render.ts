// observability setup, the render part: each chart's values from templates/observability/values,
// the mesh wiring from templates/observability/<mesh>.yaml, the alert rules, the dashboards'
// ConfigMaps and Grafana's admin Secret, every object checked against its schema. The Secret
// is rendered with a placeholder; the action puts the real password in only when it applies it.
import {meshDashboards} from '../../adapters/files/dashboards.js';
import {renderingUserTemplates, templateSource} from '../../adapters/files/templates.js';
import type {Mesh} from '../../core/config/types.js';
import type {HelmRelease} from '../../core/install/istio-helm.js';
import type {KubeObject} from '../../core/objects.js';
import {collectorHost, OBSERVABILITY_CHARTS, partsFor, releaseNamespace, type ChartPin,
  type ObservabilityPart} from '../../core/observability/charts.js';
import {alertRules, dashboardConfigMaps, grafanaAdminSecret, MESH_TEMPLATES, OBSERVABILITY_LABELS, observabilityScope,
  VALUES_TEMPLATES} from '../../core/observability/stack.js';
import {render, renderValues} from '../../core/render/engine.js';
import type {PlatformSpec} from '../../core/config/types.js';
import {loadPlatform} from '../config-input.js';
import {assertSchemas} from '../render-check.js';

/** What every printed form shows instead of Grafana's password. */
export const PASSWORD_PLACEHOLDER = '<generated in the cluster; sparc-mesh observability credentials grafana --show>';

export interface ObservabilityRenderInput {
  /** The mesh; the config's `mesh` when absent. */
  mesh?: Mesh;
  config?: string;
  templates?: string;
}

export interface PartRelease extends HelmRelease {
  part: ObservabilityPart;
  pin: ChartPin;
}

export interface ObservabilityRender {
  mesh: Mesh;
  platform: PlatformSpec;
  releases: PartRelease[];
  /** The stack's namespace first, then the mesh wiring, alert rules and dashboards. */
  objects: KubeObject[];
  /** Grafana's admin Secret with the placeholder; absent when Grafana is off. */
  grafanaSecret?: KubeObject;
  notes: string[];
}

function namespaceObject(name: string): KubeObject {
  return {apiVersion: 'v1', kind: 'Namespace', metadata: {name, labels: {...OBSERVABILITY_LABELS}}};
}

export async function renderObservability(input: ObservabilityRenderInput): Promise<ObservabilityRender> {
  const {platform} = await loadPlatform(input.config);
  const mesh = input.mesh ?? platform.mesh;
  const {observability} = platform;
  const source = templateSource(input.templates);
  const scope = observabilityScope(platform, mesh);
  const {releases, wiring} = await renderingUserTemplates(input.templates, () => ({
    releases: partsFor(mesh, observability).map((part): PartRelease => {
      const pin = OBSERVABILITY_CHARTS[part];
      return {part, pin, name: pin.release, chart: pin.chart, namespace: releaseNamespace(part, observability),
        values: renderValues(source(VALUES_TEMPLATES[part]), scope)};
    }),
    wiring: render([source(MESH_TEMPLATES[mesh])], scope),
  }));
  const grafanaSecret = observability.parts.grafana
    ? grafanaAdminSecret(PASSWORD_PLACEHOLDER, observability.namespace)
    : undefined;
  const dashboards = observability.parts.grafana
    ? dashboardConfigMaps(meshDashboards(mesh), observability.namespace)
    : [];
  const objects = [namespaceObject(observability.namespace), ...wiring, alertRules(platform, mesh), ...dashboards];
  const notes = await assertSchemas([...objects, ...(grafanaSecret ? [grafanaSecret] : [])],
    input.templates !== undefined);
  const collector = collectorHost(observability);
  if (mesh === 'istio' && observability.parts.tracing && observability.tracing.service !== collector) {
    notes.push(
      `observability.tracing.service is ${observability.tracing.service}, not the stack's collector ${collector}: the mesh's traces go there`,
    );
  }
  return {mesh, platform, releases, objects, ...(grafanaSecret && {grafanaSecret}), notes};
}
