// sparc-mesh.yaml → PlatformSpec, with the platform's defaults for whatever is left out.
import {Reader, type SpecIssue} from './reader.js';
import * as rule from './checks.js';
import {readJwt} from './service.js';
import {MESHES, type ExternalService, type Observability, type PlatformSpec, type Resources} from './types.js';

const PROXY_RESOURCES: Resources = {requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '2000m', memory: '1024Mi'}};

export const DEFAULT_PLATFORM: PlatformSpec = {
  name: 'sparc',
  mesh: 'istio',
  trustDomain: 'cluster.local',
  namespaces: ['sparc'],
  istio: {
    profile: 'default',
    accessLogs: true,
    outboundTrafficPolicy: 'REGISTRY_ONLY',
    proxyResources: PROXY_RESOURCES,
    ingressGateway: {enabled: true, namespace: 'istio-system', replicas: 2},
  },
  linkerd: {ha: false, proxyResources: PROXY_RESOURCES, defaultInboundPolicy: 'deny', gatewayClassName: 'linkerd'},
  ingress: {gatewayName: 'sparc-gateway', hosts: [], tlsSecret: 'sparc-gateway-tls'},
  externalServices: [],
  observability: {
    prometheusUrl: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090',
    tracing: {provider: 'zipkin', service: 'otel-collector.monitoring.svc.cluster.local', port: 9411,
      samplingPercent: 1},
    namespace: 'monitoring',
    retention: '15d',
    parts: {grafana: true, tracing: true, console: true},
    resources: {
      prometheus: {requests: {cpu: '500m', memory: '2Gi'}, limits: {cpu: '2000m', memory: '4Gi'}},
      grafana: {requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '500m', memory: '512Mi'}},
      jaeger: {requests: {cpu: '100m', memory: '256Mi'}, limits: {cpu: '1000m', memory: '1Gi'}},
      collector: {requests: {cpu: '100m', memory: '256Mi'}, limits: {cpu: '1000m', memory: '1Gi'}},
    },
    slo: {availabilityPercent: 99.9, latencyP99Ms: 1000},
  },
  services: [],
};

const TOP_KEYS = ['name', 'mesh', 'trustDomain', 'namespaces', 'istio', 'linkerd', 'ingress', 'externalServices',
  'observability', 'jwt', 'services'];

function readResources(r: Reader | undefined, base: Resources): Resources {
  const side = (key: 'requests' | 'limits') => {
    const c = r?.child(key);
    return {cpu: c?.string('cpu', rule.quantity) ?? base[key].cpu,
      memory: c?.string('memory', rule.quantity) ?? base[key].memory};
  };
  return {requests: side('requests'), limits: side('limits')};
}

function readExternal(r: Reader): ExternalService | undefined {
  r.rejectUnknown(['name', 'hosts', 'ports']);
  const name = r.string('name', rule.dns1123Label);
  const hosts = r.stringList('hosts', rule.hostName);
  if (!name || !hosts || hosts.length === 0) {
    if (!r.has('name') || !r.has('hosts')) r.fail('name', 'an external service needs a name and at least one host');
    return undefined;
  }
  const ports = r.list('ports', (p) => {
    p.rejectUnknown(['name', 'number', 'protocol']);
    const number = p.number('number', rule.port);
    const protocol = p.oneOf('protocol', ['HTTPS', 'HTTP', 'TLS', 'TCP', 'GRPC'] as const) ?? 'HTTPS';
    if (number === undefined) return undefined;
    return {name: p.string('name', rule.dns1123Label) ?? `${protocol.toLowerCase()}-${number}`, number, protocol};
  }) ?? [{name: 'https-443', number: 443, protocol: 'HTTPS' as const}];
  return {name, hosts, ports};
}

/** What `observability setup` installs: namespace, retention, parts, resource sizes, objectives. */
function readObservabilitySetup(r: Reader | undefined, d: Observability) {
  const parts = r?.child('parts');
  parts?.rejectUnknown(['grafana', 'tracing', 'console']);
  const resources = r?.child('resources');
  resources?.rejectUnknown(['prometheus', 'grafana', 'jaeger', 'collector']);
  const slo = r?.child('slo');
  slo?.rejectUnknown(['availabilityPercent', 'latencyP99Ms']);
  const sized = (key: keyof Observability['resources']) => readResources(resources?.child(key), d.resources[key]);
  return {
    namespace: r?.string('namespace', rule.dns1123Label) ?? d.namespace,
    retention: r?.string('retention', rule.prometheusDuration) ?? d.retention,
    parts: {
      grafana: parts?.boolean('grafana') ?? d.parts.grafana,
      tracing: parts?.boolean('tracing') ?? d.parts.tracing,
      console: parts?.boolean('console') ?? d.parts.console,
    },
    resources: {prometheus: sized('prometheus'), grafana: sized('grafana'), jaeger: sized('jaeger'),
      collector: sized('collector')},
    slo: {
      availabilityPercent:
        slo?.number('availabilityPercent', (n) => (n > 0 && n < 100 ? undefined : 'must be above 0 and below 100'))
          ?? d.slo.availabilityPercent,
      latencyP99Ms: slo?.number('latencyP99Ms', (n) => rule.integerInRange(n, 1, 3_600_000)) ?? d.slo.latencyP99Ms,
    },
  };
}

/** Reads a parsed config document. `issues` collects every problem with its path. */
export function readPlatform(raw: unknown, issues: SpecIssue[]): PlatformSpec {
  const d = DEFAULT_PLATFORM;
  const r = Reader.root(raw, issues);
  r.rejectUnknown(TOP_KEYS);
  const istio = r.child('istio');
  istio?.rejectUnknown(['profile', 'revision', 'hub', 'tag', 'accessLogs', 'outboundTrafficPolicy', 'proxyResources',
    'ingressGateway']);
  const gateway = istio?.child('ingressGateway');
  const linkerd = r.child('linkerd');
  linkerd?.rejectUnknown(['ha', 'proxyResources', 'defaultInboundPolicy', 'gatewayClassName']);
  const ingress = r.child('ingress');
  ingress?.rejectUnknown(['gatewayName', 'hosts', 'tlsSecret']);
  const observability = r.child('observability');
  observability?.rejectUnknown(['prometheusUrl', 'tracing', 'namespace', 'retention', 'storageSize', 'parts',
    'resources', 'slo']);
  const tracing = observability?.child('tracing');

  const spec: PlatformSpec = {
    name: r.string('name', rule.dns1123Label) ?? d.name,
    mesh: r.oneOf('mesh', MESHES) ?? d.mesh,
    trustDomain: r.string('trustDomain', rule.dns1123Subdomain) ?? d.trustDomain,
    namespaces: r.stringList('namespaces', rule.dns1123Label) ?? d.namespaces,
    istio: {
      profile: istio?.oneOf('profile', ['default', 'minimal', 'demo', 'empty'] as const) ?? d.istio.profile,
      accessLogs: istio?.boolean('accessLogs') ?? d.istio.accessLogs,
      outboundTrafficPolicy: istio?.oneOf('outboundTrafficPolicy', ['REGISTRY_ONLY', 'ALLOW_ANY'] as const)
        ?? d.istio.outboundTrafficPolicy,
      proxyResources: readResources(istio?.child('proxyResources'), d.istio.proxyResources),
      ingressGateway: {
        enabled: gateway?.boolean('enabled') ?? d.istio.ingressGateway.enabled,
        namespace: gateway?.string('namespace', rule.dns1123Label) ?? d.istio.ingressGateway.namespace,
        replicas: gateway?.number('replicas', (n) => rule.integerInRange(n, 1, 100)) ?? d.istio.ingressGateway.replicas,
      },
    },
    linkerd: {
      ha: linkerd?.boolean('ha') ?? d.linkerd.ha,
      proxyResources: readResources(linkerd?.child('proxyResources'), d.linkerd.proxyResources),
      defaultInboundPolicy:
        linkerd?.oneOf('defaultInboundPolicy', ['all-authenticated', 'cluster-authenticated', 'deny'] as const)
          ?? d.linkerd.defaultInboundPolicy,
      gatewayClassName: linkerd?.string('gatewayClassName', rule.dns1123Subdomain) ?? d.linkerd.gatewayClassName,
    },
    ingress: {
      gatewayName: ingress?.string('gatewayName', rule.dns1123Label) ?? d.ingress.gatewayName,
      hosts: ingress?.stringList('hosts', rule.hostName) ?? d.ingress.hosts,
      tlsSecret: ingress?.string('tlsSecret', rule.dns1123Subdomain) ?? d.ingress.tlsSecret,
    },
    externalServices: r.list('externalServices', readExternal) ?? d.externalServices,
    observability: {
      prometheusUrl: observability?.string('prometheusUrl', rule.httpsUrl) ?? d.observability.prometheusUrl,
      tracing: {
        provider: tracing?.oneOf('provider', ['zipkin', 'opentelemetry'] as const) ?? d.observability.tracing.provider,
        service: tracing?.string('service', rule.dns1123Subdomain) ?? d.observability.tracing.service,
        port: tracing?.number('port', rule.port) ?? d.observability.tracing.port,
        samplingPercent: tracing?.number('samplingPercent', rule.percent) ?? d.observability.tracing.samplingPercent,
      },
      ...readObservabilitySetup(observability, d.observability),
    },
    services: [],
  };
  const storageSize = observability?.string('storageSize', rule.quantity);
  if (storageSize) spec.observability.storageSize = storageSize;
  const revision = istio?.string('revision', rule.dns1123Label);
  if (revision) spec.istio.revision = revision;
  const hub = istio?.string('hub');
  if (hub) spec.istio.hub = hub;
  const tag = istio?.string('tag');
  if (tag) spec.istio.tag = tag;
  const jwt = readJwt(r.child('jwt'), undefined);
  if (jwt) spec.jwt = jwt;
  const services = r.raw.services;
  if (services !== undefined && !Array.isArray(services)) r.fail('services', 'must be a list');
  if (Array.isArray(services)) {
    spec.services = services as PlatformSpec['services'];
    // onboard takes the entry of its service by name; a second entry of one name would never be read.
    const first = new Map<unknown, number>();
    services.forEach((entry, index) => {
      const name = (entry as {name?: unknown} | null)?.name;
      if (name === undefined) return;
      if (first.has(name)) {
        r.fail(`services[${index}].name`,
          `${JSON.stringify(name)} is already the name of services[${first.get(name)}]`);
      } else first.set(name, index);
    });
  }
  return spec;
}
