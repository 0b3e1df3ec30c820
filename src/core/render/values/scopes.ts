// The scopes templates are rendered with: one per service (onboarding), one per
// platform namespace, and one for the control plane and mesh-wide baseline.
import yaml from 'js-yaml';
import type {Mesh, PlatformSpec, ServiceSpec} from '../../config/types.js';
import {canaryValues} from './canary.js';
import {MANAGED_BY, SCOPE_LABEL, egressIsolated, meshPorts, namespaceLabels, networkValues, selectorOf, serviceHost,
  serviceLabels} from './common.js';
import {accessLogProvider, ISTIO_PROVIDERS, linkerdProxyTracing} from '../../observability/stack.js';
import {istioValues} from './istio.js';
import {linkerdValues} from './linkerd.js';

function namespaceValues(platform: PlatformSpec, mesh: Mesh, name: string) {
  if (mesh === 'istio') {
    const labels = platform.istio.revision ? {'istio.io/rev': platform.istio.revision} : {'istio-injection': 'enabled'};
    return {name, labels, annotations: undefined};
  }
  return {
    name,
    labels: undefined,
    annotations: {'linkerd.io/inject': 'enabled',
      'config.linkerd.io/default-inbound-policy': platform.linkerd.defaultInboundPolicy},
  };
}

/** Values for the per-namespace templates (namespace, zero-trust baseline, network policies). */
export function namespaceScope(platform: PlatformSpec, mesh: Mesh, namespace: string) {
  return {
    platform,
    namespace: namespaceValues(platform, mesh, namespace),
    labels: {namespace: namespaceLabels()},
    mesh: meshPorts(mesh),
  };
}

export function serviceScope(platform: PlatformSpec, service: ServiceSpec) {
  const exposed = service.ingressHosts.length > 0 || service.profile === 'api-gateway';
  const gatewayPeer = exposed && service.mesh === 'istio'
    ? {namespace: platform.istio.ingressGateway.namespace, podLabels: {istio: 'ingressgateway'}}
    : undefined;
  return {
    ...namespaceScope(platform, service.mesh, service.namespace),
    service,
    labels: {namespace: namespaceLabels(), service: serviceLabels(service)},
    selector: selectorOf(service),
    host: serviceHost(service),
    istio: service.mesh === 'istio' ? istioValues(platform, service) : undefined,
    linkerd: service.mesh === 'linkerd' ? linkerdValues(platform, service) : undefined,
    network: networkValues(service, gatewayPeer, egressIsolated(platform.namespaces, service)),
    canary: service.canary.enabled ? canaryValues(platform, service) : undefined,
  };
}

function tracingProvider(platform: PlatformSpec) {
  const {provider, service, port} = platform.observability.tracing;
  return provider === 'zipkin'
    ? {name: ISTIO_PROVIDERS.tracing, zipkin: {service, port}}
    : {name: ISTIO_PROVIDERS.tracing, opentelemetry: {service, port}};
}

/** The control plane's chart values; with observability's tracing on, the proxies send spans to its collector. */
function linkerdHelmValues(platform: PlatformSpec) {
  const {proxyResources, ha} = platform.linkerd;
  return {
    controllerReplicas: ha ? 3 : 1,
    enablePodAntiAffinity: ha,
    enablePodDisruptionBudget: ha,
    identityTrustDomain: platform.trustDomain,
    proxy: {
      defaultInboundPolicy: platform.linkerd.defaultInboundPolicy === 'deny'
        ? 'all-authenticated'
        : platform.linkerd.defaultInboundPolicy,
      resources: {
        cpu: {request: proxyResources.requests.cpu, limit: proxyResources.limits.cpu},
        memory: {request: proxyResources.requests.memory, limit: proxyResources.limits.memory},
      },
      ...(platform.observability.parts.tracing && {tracing: linkerdProxyTracing(platform.observability)}),
    },
  };
}

export function platformScope(platform: PlatformSpec) {
  const revision = platform.istio.revision;
  return {
    platform: {
      ...platform,
      externalServices: platform.externalServices.map((external) => ({
        ...external,
        // Istio refuses DNS resolution for wildcard hosts.
        resolution: external.hosts.some((host) => host.startsWith('*')) ? 'NONE' : 'DNS',
      })),
    },
    labels: {platform: {...MANAGED_BY, [SCOPE_LABEL]: 'platform'}},
    controlPlane: {
      name: revision ? `sparc-mesh-${revision}` : 'sparc-mesh',
      accessLogFile: platform.istio.accessLogs ? '/dev/stdout' : '',
      tracingProvider: tracingProvider(platform),
      // Access logs to the OpenTelemetry Collector of observability setup (its Telemetry objects name it).
      accessLogProvider: accessLogProvider(platform),
      linkerdValuesYaml: yaml.dump(linkerdHelmValues(platform), {sortKeys: true}),
    },
  };
}
