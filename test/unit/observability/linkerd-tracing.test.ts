// Linkerd's proxy tracing: the control plane's values install linkerd renders (and upgrade
// linkerd renders again, from the same sparc-mesh.yaml) send the proxies' spans to the stack's
// collector under its mesh identity; the collector's values mesh it under that identity; and
// setup's check of the values a control plane was installed with.
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {DEFAULT_PLATFORM} from '../../../src/core/config/platform.js';
import type {PlatformSpec} from '../../../src/core/config/types.js';
import {linkerdTracingProblem, observabilityScope, VALUES_TEMPLATES} from '../../../src/core/observability/stack.js';
import {renderValues} from '../../../src/core/render/engine.js';
import {renderPlatform} from '../../../src/core/render/pipeline.js';
import {builtinTemplates} from '../../helpers/render.js';

const platform = (change: (spec: PlatformSpec) => void = () => undefined): PlatformSpec => {
  const spec = structuredClone(DEFAULT_PLATFORM);
  change(spec);
  return spec;
};

/** The chart values of the ConfigMap sparc-mesh-linkerd-values in a rendered install linkerd. */
function installValues(spec: PlatformSpec): Record<string, unknown> {
  const configMap = renderPlatform(builtinTemplates, spec, 'linkerd').objects.find((object) =>
    object.kind === 'ConfigMap' && object.metadata.name === 'sparc-mesh-linkerd-values'
  );
  return yaml.load((configMap!.data as Record<string, string>)['values.yaml']!) as Record<string, unknown>;
}

const proxyOf = (values: Record<string, unknown>) => values.proxy as Record<string, unknown>;

const collectorValues = (spec: PlatformSpec, mesh: 'istio' | 'linkerd') =>
  renderValues(builtinTemplates(VALUES_TEMPLATES.collector), observabilityScope(spec, mesh)) as {
    serviceAccount: {create: boolean; name: string};
    podAnnotations?: Record<string, string>;
  };

describe("Linkerd's proxy tracing", () => {
  it("install linkerd sends the proxies' spans over OTLP to the collector, by its mesh identity", () => {
    expect(proxyOf(installValues(platform())).tracing).toEqual({
      enabled: true,
      collector: {
        endpoint: 'otel-collector.monitoring.svc.cluster.local:4317',
        meshIdentity: {serviceAccountName: 'otel-collector', namespace: 'monitoring'},
      },
    });
  });

  it("follows the stack's namespace, and is absent when observability's tracing is off", () => {
    const elsewhere = installValues(platform((spec) => {
      spec.observability.namespace = 'telemetry';
    }));
    expect(proxyOf(elsewhere).tracing).toMatchObject({collector: {
      endpoint: 'otel-collector.telemetry.svc.cluster.local:4317',
      meshIdentity: {serviceAccountName: 'otel-collector', namespace: 'telemetry'},
    }});
    const off = installValues(platform((spec) => {
      spec.observability.parts.tracing = false;
    }));
    expect(proxyOf(off)).not.toHaveProperty('tracing');
    expect(proxyOf(off).defaultInboundPolicy).toBe(proxyOf(installValues(platform())).defaultInboundPolicy);
  });

  it('meshes the collector under Linkerd, with the ServiceAccount the proxies expect it to serve as', () => {
    const spec = platform();
    const {meshIdentity} = (proxyOf(installValues(spec)).tracing as {
      collector: {meshIdentity: {serviceAccountName: string}};
    }).collector;
    const linkerd = collectorValues(spec, 'linkerd');
    expect(linkerd.podAnnotations).toEqual({'linkerd.io/inject': 'enabled'});
    expect(linkerd.serviceAccount).toEqual({create: true, name: meshIdentity.serviceAccountName});
    const istio = collectorValues(spec, 'istio');
    expect(istio).not.toHaveProperty('podAnnotations');
    expect(istio.serviceAccount.name).toBe('otel-collector');
  });

  it("setup's check: the values install linkerd renders pass, others are named with what they send where", () => {
    const spec = platform();
    const values = installValues(spec);
    expect(linkerdTracingProblem(values, spec.observability)).toBeUndefined();
    expect(linkerdTracingProblem({...values, proxy: {...proxyOf(values), tracing: undefined}}, spec.observability))
      .toBe('proxy.tracing.enabled is not true');
    expect(linkerdTracingProblem({identityTrustDomain: 'cluster.local'}, spec.observability))
      .toBe('proxy.tracing.enabled is not true');
    expect(linkerdTracingProblem(values, {namespace: 'telemetry'})).toBe(
      'proxy.tracing.collector sends them to otel-collector.monitoring.svc.cluster.local:4317 as otel-collector.monitoring, not to otel-collector.telemetry.svc.cluster.local:4317 as otel-collector.telemetry',
    );
  });
});
