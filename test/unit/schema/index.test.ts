// schemas/index.json against versions.json, and every module it names.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {fileURLToPath} from 'node:url';
import {codeCacheFile, DEFAULT_SCHEMAS_DIR, loadValidatorModule,
  ValidatorStore} from '../../../src/adapters/schemas/validators.js';

const store = new ValidatorStore();
const index = store.loadIndex();
const versions = JSON.parse(readFileSync(new URL('../../../versions.json', import.meta.url), 'utf8')) as {
  go: Record<string, {module: string; version: string}>;
};
const pinOf = (name: string) => `${versions.go[name]!.module}@${versions.go[name]!.version}`;

describe('schemas/index.json', () => {
  it('was generated from the versions pinned in versions.json', () => {
    expect(index.pins).toEqual({kubernetes: pinOf('kubernetes'), 'gateway-api': pinOf('gatewayApi'),
      istio: pinOf('istio'), linkerd: pinOf('linkerd'), flagger: pinOf('flagger'),
      'prometheus-operator': pinOf('prometheusOperator')});
    expect(index.missing).toEqual({});
  });

  it('has every kind the brief names, each from its family', () => {
    const families: Record<string, string[]> = {
      kubernetes: ['v1/Pod', 'v1/Service', 'v1/ConfigMap', 'v1/Secret', 'v1/Namespace', 'v1/ServiceAccount',
        'apps/v1/Deployment', 'apps/v1/StatefulSet', 'networking.k8s.io/v1/NetworkPolicy',
        'rbac.authorization.k8s.io/v1/ClusterRole', 'policy/v1/PodDisruptionBudget', 'batch/v1/CronJob',
        'autoscaling/v2/HorizontalPodAutoscaler', 'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
        'apiextensions.k8s.io/v1/CustomResourceDefinition', 'coordination.k8s.io/v1/Lease'],
      istio: ['networking.istio.io/v1/VirtualService', 'networking.istio.io/v1beta1/VirtualService',
        'networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1/Gateway',
        'networking.istio.io/v1/ServiceEntry', 'networking.istio.io/v1/Sidecar',
        'security.istio.io/v1/PeerAuthentication', 'security.istio.io/v1/AuthorizationPolicy',
        'telemetry.istio.io/v1/Telemetry'],
      'gateway-api': ['gateway.networking.k8s.io/v1/HTTPRoute', 'gateway.networking.k8s.io/v1/Gateway',
        'gateway.networking.k8s.io/v1/GRPCRoute', 'gateway.networking.k8s.io/v1beta1/ReferenceGrant',
        'gateway.networking.k8s.io/v1alpha2/TCPRoute'],
      flagger: ['flagger.app/v1beta1/Canary', 'flagger.app/v1beta1/MetricTemplate',
        'flagger.app/v1beta1/AlertProvider'],
      'prometheus-operator': ['monitoring.coreos.com/v1/PodMonitor', 'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.coreos.com/v1/PrometheusRule'],
      linkerd: ['policy.linkerd.io/v1beta3/Server', 'policy.linkerd.io/v1beta1/ServerAuthorization',
        'policy.linkerd.io/v1alpha1/AuthorizationPolicy', 'policy.linkerd.io/v1alpha1/MeshTLSAuthentication',
        'policy.linkerd.io/v1alpha1/NetworkAuthentication', 'policy.linkerd.io/v1beta3/HTTPRoute',
        'policy.linkerd.io/v1alpha1/EgressNetwork', 'workload.linkerd.io/v1beta1/ExternalWorkload',
        'linkerd.io/v1alpha2/ServiceProfile'],
    };
    for (const [family, keys] of Object.entries(families)) {
      for (const key of keys) expect(index.kinds[key]?.family, key).toBe(family);
    }
  });

  it('every entry loads as a validate function', () => {
    const keys = Object.keys(index.kinds);
    expect(keys.length).toBeGreaterThan(140);
    for (const key of keys) {
      const slash = key.lastIndexOf('/');
      expect(typeof store.validatorFor(key.slice(0, slash), key.slice(slash + 1)), key).toBe('function');
    }
  });

  it.runIf(index.v8 === process.versions.v8)('V8 accepts the code caches made by the generator', () => {
    const file = fileURLToPath(
      new URL(index.kinds['networking.istio.io/v1/VirtualService']!.module, DEFAULT_SCHEMAS_DIR),
    );
    const {script} = loadValidatorModule(file, readFileSync(codeCacheFile(file)));
    expect(script.cachedDataRejected).toBe(false);
  });

  it('a code cache that does not fit is ignored, not trusted', () => {
    const file = fileURLToPath(new URL(index.kinds['v1/Service']!.module, DEFAULT_SCHEMAS_DIR));
    const foreign = readFileSync(
      codeCacheFile(fileURLToPath(new URL(index.kinds['apps/v1/Deployment']!.module, DEFAULT_SCHEMAS_DIR))),
    );
    const {validate, script} = loadValidatorModule(file, foreign);
    expect(script.cachedDataRejected).toBe(true);
    expect(validate({apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec: {ports: [{port: 'eighty'}]}}))
      .toBe(false);
  });

  it('records what it does not check', () => {
    const {total, checked, transition, unsupported} = index.stats.cel;
    expect(checked).toBeGreaterThan(0);
    expect(checked + transition + Object.values(unsupported).reduce((sum, count) => sum + count, 0)).toBe(total);
    expect(index.stats.ignoredFormats).not.toHaveProperty('date-time');
  });
});
