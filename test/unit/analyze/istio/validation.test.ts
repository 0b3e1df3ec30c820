// Istio's own resource validation (schema.ValidationAnalyzer: IST0106 errors, IST0133
// warnings): each rule next to a close case that Istio accepts, and agreement with what
// istioctl reports on every file of Istio's analyser test data.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';
import {analyzeIstio} from '../../../../src/core/analyze/istio/index.js';
import {validationAnalyzer} from '../../../../src/core/analyze/istio/analyzers/schema/validation.js';
import {parseManifests} from '../../../../src/core/manifests.js';
import type {Finding} from '../../../../src/core/analyze/types.js';
import {GRID_ROOT} from './grid.js';

function findings(objects: KubeObject[]): Finding[] {
  return analyzeIstio(objects.map((object) => ({object})), {analyzers: [validationAnalyzer],
    addDefaultIngressGateway: false});
}

/** `CODE: message` without the "Schema validation …: " prefix, for readable expectations. */
function problems(...objects: KubeObject[]): string[] {
  return findings(objects).map((finding) =>
    `${finding.code}: ${finding.message.replace(/^Schema validation (error|warning): /, '')}`
  );
}

function networking(kind: string, name: string, spec: Record<string, unknown>,
  labels?: Record<string, string>): KubeObject
{
  return {apiVersion: 'networking.istio.io/v1', kind, metadata: {name, namespace: 'shop', ...(labels ? {labels} : {})},
    spec};
}

function security(kind: string, spec: Record<string, unknown>): KubeObject {
  return {apiVersion: 'security.istio.io/v1', kind, metadata: {name: 'p', namespace: 'shop'}, spec};
}

const ENVOY_FILTER_WARNING = expect.stringMatching(/^IST0133: EnvoyFilter patches Envoy's internal configuration/);

describe('findings', () => {
  it("are errors (IST0106) or warnings (IST0133) with istioctl's message prefix, pointing at the field", () => {
    const gateway = networking('Gateway', 'edge', {servers: [
      {port: {number: 80, name: 'http', protocol: 'HTTP'}, hosts: ['a.example.com']},
      {port: {number: 8080, name: 'http', protocol: 'HTTP'}, hosts: ['b.example.com']},
    ]});
    const [finding] = findings([gateway]);
    expect(finding).toMatchObject({
      code: 'IST0106',
      severity: 'error',
      resource: {kind: 'Gateway', name: 'edge', namespace: 'shop'},
      message: 'Schema validation error: port names in servers must be unique: duplicate name http',
      field: ['spec', 'servers', 1, 'port', 'name'],
    });
    const [warning] = findings([
      networking('Sidecar', 'all', {workloadSelector: {labels: {}}, outboundTrafficPolicy: {mode: 'REGISTRY_ONLY'}}),
    ]);
    expect(warning).toMatchObject({code: 'IST0133', severity: 'warning', field: ['spec', 'workloadSelector']});
    expect(warning?.message).toMatch(/^Schema validation warning: sidecar: the workload selector has no labels/);
  });
});

describe('EnvoyFilter', () => {
  const filter = (patches: unknown[]) => ({...networking('EnvoyFilter', 'f', {configPatches: patches}),
    apiVersion: 'networking.istio.io/v1alpha3'});
  const merge = {operation: 'MERGE', value: {name: 'x'}};

  it('warns about every EnvoyFilter, and about nothing else when the patches are well formed', () => {
    expect(problems(filter([{applyTo: 'CLUSTER', match: {cluster: {service: 'a'}}, patch: merge}]))).toEqual([
      ENVOY_FILTER_WARNING,
    ]);
  });

  it('requires applyTo, a patch, its operation and, except for REMOVE, its value', () => {
    expect(problems(filter([{patch: merge}]))).toEqual([ENVOY_FILTER_WARNING,
      'IST0106: Envoy filter: missing applyTo']);
    expect(problems(filter([{applyTo: 'NETWORK_FILTER', match: null, patch: null}]))).toEqual([ENVOY_FILTER_WARNING,
      'IST0106: Envoy filter: missing patch']);
    expect(problems(filter([{applyTo: 'CLUSTER', patch: {}}]))).toEqual([ENVOY_FILTER_WARNING,
      'IST0106: Envoy filter: missing patch operation']);
    expect(problems(filter([{applyTo: 'CLUSTER', patch: {operation: 'MERGE'}}]))[1]).toMatch(/missing patch value/);
    expect(problems(filter([{applyTo: 'NETWORK_FILTER', patch: {operation: 'REMOVE'}}]))).toEqual([
      ENVOY_FILTER_WARNING,
    ]);
  });

  it('skips patches for waypoints, which Istio does not validate yet', () => {
    expect(problems(filter([{applyTo: 'CLUSTER', match: {context: 'WAYPOINT'}}]))).toEqual([ENVOY_FILTER_WARNING]);
  });

  it("rejects a match on another class of object than applyTo's", () => {
    expect(problems(filter([{applyTo: 'CLUSTER', match: {listener: {portNumber: 80}}, patch: merge}])))
      .toEqual([ENVOY_FILTER_WARNING,
        'IST0106: Envoy filter: applyTo for cluster class objects cannot have non cluster match']);
    expect(problems(filter([{applyTo: 'HTTP_ROUTE', match: {cluster: {service: 'a'}}, patch: merge}])))
      .toEqual([ENVOY_FILTER_WARNING,
        'IST0106: Envoy filter: applyTo for http route class objects cannot have non route configuration match']);
    expect(problems(filter([{applyTo: 'HTTP_FILTER', match: {routeConfiguration: {}}, patch: merge}])))
      .toEqual([ENVOY_FILTER_WARNING,
        'IST0106: Envoy filter: applyTo for listener class objects cannot have non listener match']);
    // A match without an object type (only context or proxy) fits every applyTo.
    expect(problems(filter([{applyTo: 'VIRTUAL_HOST', match: {context: 'SIDECAR_OUTBOUND'}, patch: merge}]))).toEqual([
      ENVOY_FILTER_WARNING,
    ]);
    expect(
      problems(filter([{applyTo: 'VIRTUAL_HOST', match: {routeConfiguration: {vhost: {name: 'a'}}}, patch: merge}])),
    ).toEqual([ENVOY_FILTER_WARNING]);
  });

  it('checks the listener filter match: a name, and subFilter only under the HTTP connection manager for HTTP_FILTER', () => {
    const listener = (applyTo: string, filterMatch: unknown) =>
      filter([{applyTo, match: {listener: {filterChain: {filter: filterMatch}}}, patch: merge}]);
    expect(problems(listener('NETWORK_FILTER', {name: ''}))[1]).toMatch(/filter match needs a name/);
    expect(problems(listener('NETWORK_FILTER', {name: 'a', subFilter: {name: 'b'}}))[1]).toMatch(
      /subFilter match works only with applyTo HTTP_FILTER/,
    );
    expect(problems(listener('HTTP_FILTER', {name: 'envoy.filters.network.tcp_proxy', subFilter: {name: 'b'}}))[1])
      .toMatch(/needs the filter match to name envoy.filters.network.http_connection_manager/);
    expect(
      problems(
        listener('HTTP_FILTER', {name: 'envoy.filters.network.http_connection_manager',
          subFilter: {name: 'envoy.filters.http.router'}}),
      ),
    ).toEqual([ENVOY_FILTER_WARNING]);
    expect(problems(listener('LISTENER', {name: 'envoy.filters.network.http_connection_manager'}))[1]).toMatch(
      /^IST0133: Envoy filter: a filter match does nothing when applyTo is LISTENER/,
    );
  });

  it('stops at a selector with bad labels, and warns about one without labels', () => {
    const selected = (labels: Record<string, string>) => ({...filter([]), spec: {workloadSelector: {labels}}});
    expect(problems(selected({app: '*'}))).toEqual(['IST0106: wildcards are not supported in selectors: "app=*"']);
    expect(problems(selected({}))).toEqual([ENVOY_FILTER_WARNING,
      expect.stringMatching(/^IST0133: Envoy filter: the workload selector has no labels/)]);
    expect(problems(selected({app: 'a'}))).toEqual([ENVOY_FILTER_WARNING]);
  });
});

describe('VirtualService', () => {
  const route = (host = 'reviews') => ({route: [{destination: {host}}]});
  const vs = (spec: Record<string, unknown>) => networking('VirtualService', 'vs', spec);

  it('requires http, tcp or tls routes', () => {
    expect(problems(vs({hosts: ['reviews']}))).toEqual([
      'IST0106: http, tcp or tls must be provided in virtual service',
    ]);
    expect(problems(vs({hosts: ['reviews'], tcp: [route()]}))).toEqual([]);
  });

  it('treats a VirtualService without hosts as a delegate: no host needed, but no gateways, tcp or tls either', () => {
    expect(problems(vs({http: [route()]}))).toEqual([]);
    expect(problems(vs({gateways: ['edge/gw'], tcp: [route()]}))).toEqual([
      'IST0106: a delegate virtual service (one without hosts) must not name gateways',
      'IST0106: a delegate virtual service (one without hosts) must not have tcp routes',
    ]);
    expect(problems(vs({http: [{delegate: {name: 'other'}}]}))).toEqual([
      "IST0106: a delegate VirtualService's HTTP route cannot delegate again",
      'IST0106: HTTP route, redirect or direct_response is required',
    ]);
  });

  it('rejects the wildcard host * on the mesh, not on a gateway', () => {
    expect(problems(vs({hosts: ['*'], http: [route()]}))).toEqual([
      'IST0106: wildcard host * is not allowed for virtual services bound to the mesh gateway',
    ]);
    expect(problems(vs({hosts: ['*'], gateways: ['edge/gw', 'mesh'], http: [route()]}))).toHaveLength(1);
    expect(problems(vs({hosts: ['*'], gateways: ['edge/gw'], http: [route()]}))).toEqual([]);
  });

  it('rejects invalid and overlapping hosts, but accepts an IP', () => {
    expect(problems(vs({hosts: ['bad_host'], http: [route()]}))).toEqual([
      'IST0106: invalid host: domain name "bad_host" has an invalid label "bad_host"',
    ]);
    expect(problems(vs({hosts: ['*.example.com', 'a.example.com'], http: [route()]}))).toEqual([
      'IST0106: duplicate hosts in virtual service: *.example.com and a.example.com overlap',
    ]);
    expect(problems(vs({hosts: ['10.0.0.1', 'a.example.com', 'b.example.com'], http: [route()]}))).toEqual([]);
  });

  it('requires a route, redirect or direct response on each HTTP rule, and root rules only delegate', () => {
    expect(problems(vs({hosts: ['reviews'], http: [{match: [{uri: {prefix: '/'}}]}]}))).toEqual([
      'IST0106: HTTP route, redirect or direct_response is required',
    ]);
    expect(problems(vs({hosts: ['reviews'], http: [{redirect: {uri: '/x'}}, {directResponse: {status: 204}}]})))
      .toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [{delegate: {name: 'd'}}]}))).toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [{name: 'r', delegate: {name: 'd'}, ...route()}]}))).toEqual([
      'IST0106: root HTTP route r delegates, so it must not route',
    ]);
    expect(problems(vs({hosts: ['reviews'], http: [{redirect: {uri: '/x'}, ...route()}]}))).toEqual([
      'IST0106: HTTP route cannot combine route with redirect',
    ]);
  });

  it('requires a destination on each route and mirror, and weights when splitting', () => {
    expect(problems(vs({hosts: ['reviews'], http: [{route: [{}, {destination: {host: 'a'}}]}]}))).toEqual([
      'IST0106: destination is required',
      'IST0106: total destination weight = 0: a route to several destinations needs weights',
    ]);
    expect(
      problems(
        vs({hosts: ['reviews'],
          http: [{route: [{destination: {host: 'a'}, weight: 80}, {destination: {host: 'b'}, weight: 20}]}]}),
      ),
    ).toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [{...route(), mirrors: [{percentage: {value: 5}}]}]}))).toEqual([
      'IST0106: destination is required for mirrors',
    ]);
    expect(problems(vs({hosts: ['reviews'], http: [{...route(), mirrors: [{destination: {host: 'shadow'}}]}]})))
      .toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [route('*')]}))).toEqual([
      'IST0106: invalid destination host: a destination cannot be *',
    ]);
  });

  it('checks gateway names: namespace and name must be DNS labels; Istio stops at the first name without a namespace', () => {
    expect(
      problems(
        vs({hosts: ['foo.com'], gateways: ['istio-ingress/gateway~istio-autogenerated-k8s-gateway~foo'],
          http: [route()]}),
      ),
    )
      .toEqual([
        'IST0106: invalid value for gateway name: "gateway~istio-autogenerated-k8s-gateway~foo" is not a DNS label',
      ]);
    expect(problems(vs({hosts: ['foo.com'], gateways: ['gw', 'bad_ns/gw'], http: [route()]}))).toEqual([]);
    expect(problems(vs({hosts: ['foo.com'], gateways: ['gw.edge.svc.cluster.local'], http: [route()]})))
      .toEqual([
        'IST0133: gateway "gw.edge.svc.cluster.local" uses the legacy name.namespace form; write it as "edge/gw"',
      ]);
  });

  it("requires TLS rules to match SNI hosts within the VirtualService's hosts", () => {
    const tls = (sniHosts: string[]) => vs({hosts: ['*.example.com'], tls: [{match: [{sniHosts}], ...route()}]});
    expect(problems(tls(['a.example.com']))).toEqual([]);
    expect(problems(tls(['a.example.org']))).toEqual([
      'IST0106: SNI host "a.example.org" is not within any of the virtual service hosts: [*.example.com]',
    ]);
    expect(problems(tls([]))).toEqual(['IST0106: TLS match must have at least one SNI host']);
  });
});

describe('Gateway', () => {
  const gateway = (servers: unknown, name = 'edge') =>
    networking('Gateway', name, servers === undefined ? {} : {servers});
  const http = (name = 'http', number = 80) => ({port: {number, name, protocol: 'HTTP'}, hosts: ['a.example.com']});

  it('requires at least one server with a port', () => {
    expect(problems(gateway(undefined))).toEqual(['IST0106: gateway must have at least one server']);
    expect(problems(gateway([{hosts: ['a.example.com']}]))).toEqual(['IST0106: port is required']);
    expect(problems(gateway([http()]))).toEqual([]);
  });

  it('requires unique port names across servers', () => {
    expect(problems(gateway([http('web', 80), http('web', 8080)]))).toEqual([
      'IST0106: port names in servers must be unique: duplicate name web',
    ]);
    expect(problems(gateway([http('web', 80), http('web-alt', 8080)]))).toEqual([]);
  });

  it('requires a certificate and key for SIMPLE TLS unless a credentialName gives them', () => {
    const https = (tls: Record<string, unknown>) =>
      gateway([{port: {number: 443, name: 'https', protocol: 'HTTPS'}, hosts: ['a.example.com'], tls}]);
    expect(problems(https({mode: 'SIMPLE'}))).toEqual(['IST0106: SIMPLE TLS requires a server certificate',
      'IST0106: SIMPLE TLS requires a private key']);
    expect(problems(https({mode: 'SIMPLE', credentialName: 'shop-cert'}))).toEqual([]);
    expect(problems(https({mode: 'SIMPLE', serverCertificate: '/etc/tls.crt', privateKey: '/etc/tls.key'}))).toEqual(
      [],
    );
    expect(problems(https({mode: 'MUTUAL', credentialName: 'shop-cert'}))).toEqual([]);
    expect(problems(https({mode: 'MUTUAL', serverCertificate: '/etc/tls.crt', privateKey: '/etc/tls.key'}))).toEqual([
      'IST0106: MUTUAL TLS requires a client CA bundle',
    ]);
    expect(problems(gateway([{port: {number: 443, name: 'https', protocol: 'HTTPS'}, hosts: ['a.example.com']}])))
      .toEqual(['IST0106: server must have TLS settings for HTTPS/TLS protocols']);
  });

  it('rejects a name that is not a DNS label, short host names and partial wildcards', () => {
    expect(problems(gateway([http()], 'edge.gw'))).toEqual([
      'IST0106: invalid gateway name: "edge.gw" is not a DNS label',
    ]);
    expect(problems(gateway([{...http(), hosts: ['shop', 'ns/*.example.com', './*']}]))).toEqual([
      'IST0106: server host shop: short names (non FQDN) are not allowed',
    ]);
    expect(problems(gateway([{...http(), hosts: ['a*.example.com']}]))).toHaveLength(2);
  });
});

describe('ServiceEntry', () => {
  const entry = (spec: Record<string, unknown>, labels?: Record<string, string>) =>
    networking('ServiceEntry', 'se', spec, labels);
  const https = [{number: 443, name: 'https', protocol: 'HTTPS'}];

  it('requires a host, and rejects *', () => {
    expect(problems(entry({ports: https}))).toEqual(['IST0106: service entry must have at least one host']);
    expect(problems(entry({hosts: ['*'], ports: https}))).toEqual([
      'IST0106: invalid host *: a ServiceEntry cannot claim every host',
    ]);
    expect(problems(entry({hosts: ['*.example.com'], ports: https}))).toEqual([]);
  });

  it('requires resolvable hosts for DNS resolution without endpoints', () => {
    expect(problems(entry({hosts: ['*.kiali.io'], ports: https, resolution: 'DNS'})))
      .toEqual([
        'IST0106: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS: domain name "*.kiali.io" has an invalid label "*"',
      ]);
    expect(
      problems(entry({hosts: ['*.kiali.io'], ports: https, resolution: 'DNS', endpoints: [{address: 'kiali.io'}]})),
    ).toEqual([]);
    expect(problems(entry({hosts: ['api.kiali.io'], ports: https, resolution: 'DNS'}))).toEqual([]);
  });

  it('warns about TCP ports without addresses where istiod allocates none (resolution NONE, or opted out)', () => {
    const warning =
      'IST0133: addresses are required for ports serving TCP (or unset) protocol when IP auto-allocation is not enabled';
    const tcp = (protocol?: string) => [{number: 22, name: 'ssh', ...(protocol ? {protocol} : {})}];
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP')}))).toEqual([warning]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp()}))).toEqual([warning]);
    // Istio compares the protocol case-sensitively.
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('tcp')}))).toEqual([]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP'), addresses: ['10.0.0.1']}))).toEqual([]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP'), resolution: 'DNS'}))).toEqual([]);
    expect(
      problems(
        entry({hosts: ['git.example.com'], ports: tcp('TCP'), resolution: 'DNS'}, {
          'networking.istio.io/enable-autoallocate-ip': 'false',
        }),
      ),
    ).toEqual([warning]);
  });
});

describe('Sidecar', () => {
  const sidecar = (spec: Record<string, unknown>) => networking('Sidecar', 'sc', spec);
  const empty =
    'IST0106: sidecar: empty configuration provided (no ingress, egress, outboundTrafficPolicy or inboundConnectionPool)';

  it('rejects a Sidecar that configures nothing, even with a selector', () => {
    expect(problems(sidecar({}))).toEqual([empty]);
    expect(problems(sidecar({workloadSelector: {labels: {app: 'a'}}, egress: []}))).toEqual([empty]);
    // Istio reports the empty configuration alone, without the warning about the selector.
    expect(problems(sidecar({workloadSelector: {labels: {}}}))).toEqual([empty]);
  });

  it('accepts any one of ingress, egress, outbound policy or inbound pool', () => {
    expect(
      problems(
        sidecar({ingress: [{port: {number: 80, name: 'http', protocol: 'HTTP'}, defaultEndpoint: '127.0.0.1:8080'}]}),
      ),
    ).toEqual([]);
    expect(problems(sidecar({egress: [{hosts: ['./*']}]}))).toEqual([]);
    expect(problems(sidecar({outboundTrafficPolicy: {mode: 'REGISTRY_ONLY'}}))).toEqual([]);
    expect(problems(sidecar({inboundConnectionPool: {http: {http1MaxPendingRequests: 10}}}))).toEqual([]);
  });
});

describe('Telemetry', () => {
  const telemetry = (spec: Record<string, unknown>) => ({apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry',
    metadata: {name: 't', namespace: 'shop'}, spec});
  const targetRefs = [{group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge'}];

  it('takes either targetRef(s) or a selector', () => {
    expect(problems(telemetry({selector: {matchLabels: {app: 'a'}}, targetRefs}))).toEqual([
      'IST0106: only one of targetRefs or workloadSelector can be set',
    ]);
    expect(problems(telemetry({targetRefs}))).toEqual([]);
    expect(problems(telemetry({selector: {matchLabels: {app: 'a'}}}))).toEqual([]);
  });
});

describe('Telemetry and the security policies: workload selection', () => {
  const telemetry = (spec: Record<string, unknown>) => ({apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry',
    metadata: {name: 't', namespace: 'shop'}, spec});

  it('takes targetRefs only to a Service, ServiceEntry or Gateway API Gateway/GatewayClass of the same namespace, by name', () => {
    expect(problems(telemetry({targetRef: {group: 'apps', kind: 'Deployment', name: 'x'}})))
      .toEqual([
        'IST0106: targetRef must be to a Service, ServiceEntry, Gateway or GatewayClass but was apps/Deployment',
      ]);
    expect(
      problems(
        telemetry({targetRefs: [{kind: 'Service', name: ''}, {kind: 'Service', name: 'b', namespace: 'other'}]}),
      ),
    ).toEqual([
      'IST0106: targetRef name must be set',
      'IST0106: targetRef namespace must not be set; cross namespace referencing is not supported',
    ]);
    // `core` names the core API group as an empty group does.
    expect(problems(telemetry({targetRefs: [
      {kind: 'Service', name: 'a'},
      {group: 'core', kind: 'Service', name: 'b'},
      {group: 'networking.istio.io', kind: 'ServiceEntry', name: 'c'},
      {group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'd'},
    ]}))).toEqual([]);
  });

  it('checks matchLabels selectors as Sidecar selectors, and warns when they are empty', () => {
    const policy = (selector: unknown) => security('AuthorizationPolicy', {selector});
    expect(problems(policy({matchLabels: {'': 'x', app: '*'}}))).toEqual([
      'IST0106: a selector label needs a key: "=x"',
      'IST0106: wildcards are not supported in selectors: "app=*"',
    ]);
    expect(problems(policy({}))).toEqual([
      'IST0133: the workload selector has no labels, so it applies to every workload in the namespace',
    ]);
    expect(
      problems(
        security('RequestAuthentication', {selector: {matchLabels: {app: 'a'}},
          targetRef: {kind: 'Service', name: 's'}}),
      ),
    )
      .toEqual(['IST0106: only one of targetRefs or workloadSelector can be set']);
  });
});

describe('DestinationRule', () => {
  const rule = (spec: Record<string, unknown>) => networking('DestinationRule', 'dr', {host: 'reviews', ...spec});
  const policy = (trafficPolicy: Record<string, unknown>) => problems(rule({trafficPolicy}));

  it('requires a host that is a domain with at most a leading wildcard', () => {
    expect(problems(networking('DestinationRule', 'dr', {}))).toEqual(['IST0106: an empty domain name is not allowed']);
    expect(problems(rule({host: 'a.*.example.com'}))).toEqual([
      'IST0106: domain name "a.*.example.com" has an invalid label "*"',
    ]);
    expect(problems(rule({host: '*.example.com'}))).toEqual([]);
  });

  it('rejects subsets without a DNS-label name, named twice, or with bad labels', () => {
    expect(
      problems(
        rule({
          subsets: [{name: 'v1', labels: {'bad key!': 'v1'}}, {name: 'v1', labels: {version: 'bad value'}}, {
            name: 'V_2',
          }, {labels: {a: 'b'}}, null],
        }),
      ),
    ).toEqual([
      'IST0106: invalid tag key: "bad key!"',
      'IST0106: duplicate subset names: v1',
      'IST0106: invalid tag value: "bad value"',
      'IST0106: subset name is invalid: V_2',
      'IST0106: subset name cannot be empty',
      'IST0106: subset may not be null',
    ]);
    expect(
      problems(rule({subsets: [{name: 'v1', labels: {'app.kubernetes.io/version': 'v1', empty: ''}}, {name: 'V2'}]})),
    ).toEqual([]);
  });

  it('rejects a traffic policy that sets nothing, at every level', () => {
    const empty = 'IST0106: traffic policy must have at least one field';
    expect(policy({})).toEqual([empty]);
    expect(problems(rule({subsets: [{name: 'v1', trafficPolicy: {}}]}))).toEqual([empty]);
    expect(policy({portLevelSettings: [{port: {number: 80}}, {tls: {mode: 'ISTIO_MUTUAL'}}]})).toEqual([
      'IST0106: port traffic policy must have at least one field',
      'IST0106: portTrafficPolicy must have valid port',
    ]);
    expect(policy({portLevelSettings: [{port: {number: 80}, loadBalancer: {simple: 'LEAST_REQUEST'}}]})).toEqual([]);
    expect(policy({tunnel: {targetHost: '10.0.0.1', targetPort: 8080}, proxyProtocol: {version: 'V2'}})).toEqual([
      'IST0106: tunnel and proxyProtocol must not be set together',
    ]);
    expect(policy({tunnel: {protocol: 'GET', targetHost: 'bad_host', targetPort: 0}})).toEqual([
      'IST0106: tunnel protocol must be "CONNECT" or "POST"',
      'IST0106: tunnel target host must be valid FQDN or IP address: domain name "bad_host" has an invalid label "bad_host"',
      'IST0106: tunnel target port is invalid: port number 0 is outside 1..65535',
    ]);
    expect(policy({tunnel: {protocol: 'POST', targetHost: 'proxy.example.com', targetPort: 3128}})).toEqual([]);
  });

  it('takes durations in Go syntax, of whole milliseconds and at least 1ms; a TCP idle timeout of 0 disables it', () => {
    expect(
      policy({connectionPool: {tcp: {connectTimeout: '0.5ms', maxConnectionDuration: '1500us', idleTimeout: '0s'}}}),
    ).toEqual([
      'IST0106: duration must be greater than 1ms',
      'IST0106: only durations to ms precision are supported',
    ]);
    expect(policy({outlierDetection: {interval: '-1s', baseEjectionTime: '1ms'}})).toEqual([
      'IST0106: duration must be greater than 1ms',
    ]);
    expect(
      policy({
        connectionPool: {tcp: {connectTimeout: '1.1s', maxConnectionDuration: '1h2m', idleTimeout: '500us'},
          http: {idleTimeout: '1m0.001s'}},
      }),
    ).toEqual([]);
  });

  it('rejects negative connection pool limits, an empty pool, and client protocol with UPGRADE', () => {
    expect(policy({connectionPool: {}})).toEqual(['IST0106: connection pool must have at least one field']);
    expect(
      policy({
        connectionPool: {tcp: {maxConnections: -1},
          http: {http2MaxRequests: -2, h2UpgradePolicy: 'UPGRADE', useClientProtocol: true}},
      }),
    ).toEqual([
      'IST0106: http2 max requests must be non-negative',
      'IST0106: use client protocol must not be true when H2UpgradePolicy is UPGRADE',
      'IST0106: max connections must be non-negative',
    ]);
    expect(
      policy({
        connectionPool: {tcp: {maxConnections: 0}, http: {h2UpgradePolicy: 'UPGRADE', useClientProtocol: false}},
      }),
    ).toEqual([]);
  });

  it('checks outlier detection percentages, local-origin failures and the deprecated consecutiveErrors', () => {
    expect(
      policy({outlierDetection: {consecutiveErrors: 5, consecutiveLocalOriginFailures: 3, maxEjectionPercent: 150}}),
    ).toEqual([
      'IST0133: outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
      'IST0106: outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
      'IST0106: percentage 150 is not in range 0..100',
    ]);
    expect(
      policy({
        outlierDetection: {consecutive5xxErrors: 5, splitExternalLocalOriginErrors: true,
          consecutiveLocalOriginFailures: 3, maxEjectionPercent: 100},
      }),
    ).toEqual([]);
  });

  it('checks consistent hash cookies, ring sizes and Maglev table sizes', () => {
    expect(
      policy({
        loadBalancer: {
          consistentHash: {httpCookie: {attributes: [{name: 'a'}, {name: 'a'}, {value: 'x'}]}, minimumRingSize: 1024,
            maglev: {tableSize: 100}},
        },
      }),
    ).toEqual([
      'IST0106: name required for HttpCookie',
      'IST0106: duplicate cookie attribute name: a',
      'IST0106: cookie attribute name cannot be empty',
      "IST0133: consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
      'IST0106: only one of MinimumRingSize or Maglev/Ringhash can be specified',
      'IST0106: tableSize must be a prime number for maglev',
    ]);
    // Istio reports a missing table size both as unset and as not prime.
    expect(policy({loadBalancer: {consistentHash: {maglev: {}}}})).toEqual(['IST0106: tableSize must be set for maglev',
      'IST0106: tableSize must be a prime number for maglev']);
    expect(
      policy({loadBalancer: {consistentHash: {httpCookie: {name: 'user', ttl: '0s'}, maglev: {tableSize: 65537}}}}),
    ).toEqual([]);
  });

  it('checks warmup and locality load balancing', () => {
    expect(policy({loadBalancer: {warmup: {minimumPercent: 150, aggression: 0.5}}})).toEqual([
      'IST0106: duration is required',
      'IST0106: minimumPercent value should be less than or equal to 100',
      'IST0106: aggression should be greater than or equal to 1',
    ]);
    const locality = (localityLbSetting: Record<string, unknown>, outlierDetection?: Record<string, unknown>) =>
      policy({loadBalancer: {localityLbSetting}, ...(outlierDetection ? {outlierDetection} : {})});
    expect(locality({distribute: [{from: 'us-east/*', to: {'us-west/*': 60, 'us-west/zone1': 30}}]})).toEqual([
      'IST0106: total locality weight 90 != 100',
    ]);
    expect(locality({distribute: [{from: 'us-east/*', to: {'us-west/*': 50, 'us-west/zone1': 50}}]})).toEqual([
      'IST0106: locality us-west/zone1 overlap with previous specified ones',
    ]);
    expect(locality({distribute: [{from: 'us-east/*', to: {'us-west/zone1': 50, 'us-west/zone2': 50}}]})).toEqual([]);
    expect(locality({failover: [{from: 'us-east', to: 'us-east'}], failoverPriority: ['topology.kubernetes.io/zone']}))
      .toEqual([
        "IST0106: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone' in 'failover_priority'",
      ]);
    expect(locality({failover: [{from: 'us-east', to: 'us-east'}]}, {consecutive5xxErrors: 1})).toEqual([
      'IST0106: locality lb failover settings must specify different regions',
    ]);
    expect(locality({failoverPriority: ['topology.istio.io/network']})).toEqual([
      'IST0133: outlier detection policy must be provided for failover',
    ]);
    expect(locality({failover: [{from: 'us-east', to: 'us-west'}]}, {consecutive5xxErrors: 1})).toEqual([]);
  });

  it('requires the certificates client TLS modes need, and no inline files beside a credentialName', () => {
    expect(policy({tls: {mode: 'MUTUAL'}})).toEqual(['IST0106: client certificate required for mutual tls',
      'IST0106: private key required for mutual tls']);
    expect(policy({tls: {mode: 'SIMPLE', credentialName: 'c', caCertificates: '/ca.pem'}})).toEqual([
      'IST0106: cannot specify client certificates or CA certificate or CA CRL If credentialName is set',
    ]);
    expect(policy({tls: {mode: 'SIMPLE', insecureSkipVerify: true, subjectAltNames: ['a']}})).toEqual([
      'IST0106: cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true',
    ]);
    expect(policy({tls: {mode: 'MUTUAL', credentialName: 'c'}})).toEqual([]);
    expect(policy({tls: {mode: 'MUTUAL', clientCertificate: '/c.pem', privateKey: '/k.pem'}})).toEqual([]);
  });

  it('checks exportTo entries, and keeps a rule with a workload selector in its own namespace', () => {
    expect(problems(rule({exportTo: ['.', 'shop', '*', '~', 'Bad_NS']}))).toEqual([
      'IST0106: duplicate entries in exportTo for entry shop',
      'IST0106: exportTo ~ (none) is not allowed for Istio configuration objects',
      'IST0106: only .,*, or a valid DNS 1123 label is allowed as exportTo entry',
      'IST0106: cannot have both public (*) and non-public exportTo values for a resource',
    ]);
    expect(problems(rule({exportTo: ['.', 'istio-system']}))).toEqual([]);
    expect(problems(rule({workloadSelector: {matchLabels: {app: 'a'}}, exportTo: ['other']})))
      .toEqual(['IST0106: destination rule with workload selector cannot have exportTo beyond current namespace']);
    expect(problems(rule({workloadSelector: {matchLabels: {app: 'a'}}, exportTo: ['.', 'x']})))
      .toEqual(['IST0106: destination rule with workload selector cannot have multiple entries in exportTo']);
    expect(problems(rule({workloadSelector: {matchLabels: {app: 'a'}}, exportTo: ['.']}))).toEqual([]);
  });
});

describe('WorkloadEntry', () => {
  const entry = (spec: Record<string, unknown>) => problems(networking('WorkloadEntry', 'we', spec));

  it('requires an address unless the entry names a network', () => {
    expect(entry({ports: {http: 8080}})).toEqual(['IST0106: address is required']);
    expect(entry({network: 'net2'})).toEqual(['IST0133: address is unset with network "net2"']);
    expect(entry({address: '10.0.0.5'})).toEqual([]);
    expect(entry({address: 'vm1.example.com'})).toEqual([]);
  });

  it('rejects bad addresses, port names and numbers, and labels', () => {
    expect(entry({address: 'bad_host!', ports: {Bad_Name: 0}, labels: {'a b': 'c d'}})).toEqual([
      'IST0106: endpoint address "bad_host!" is not a valid FQDN or an IP address',
      'IST0106: invalid port name: Bad_Name',
      'IST0106: port number 0 is outside 1..65535',
      'IST0106: invalid tag key: "a b"',
      'IST0106: invalid tag value: "c d"',
    ]);
    expect(entry({address: 'unix://relative/sock', ports: {http: 80}})).toEqual([
      'IST0106: relative/sock is not an absolute path to a file',
      'IST0106: unix endpoint unix://relative/sock must not include ports',
    ]);
    expect(entry({address: 'unix:///var/run/a.sock', labels: {app: 'vm'}})).toEqual([]);
  });
});

describe('AuthorizationPolicy', () => {
  const policy = (spec: Record<string, unknown>) => problems(security('AuthorizationPolicy', spec));
  const neverTriggered =
    'action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request';

  it('takes a provider with CUSTOM only, and rules with CUSTOM and DENY', () => {
    expect(policy({action: 'CUSTOM', provider: {name: 'ext'}})).toEqual([`IST0106: CUSTOM ${neverTriggered}`]);
    expect(policy({action: 'DENY'})).toEqual([`IST0106: DENY ${neverTriggered}`]);
    expect(policy({action: 'CUSTOM', rules: [{}]})).toEqual(['IST0106: `provider.name` must not be empty']);
    expect(policy({provider: {name: 'ext'}, rules: [{}]})).toEqual([
      'IST0106: `provider` must not be with non CUSTOM action, found ALLOW',
    ]);
    expect(policy({action: 'CUSTOM', provider: {name: 'ext'}, rules: [{}]})).toEqual([]);
    expect(policy({action: 'DENY', rules: [{}]})).toEqual([]);
    expect(policy({})).toEqual([]);
  });

  it('rejects identity attributes with CUSTOM, which an external authorizer does not receive', () => {
    const rules = [{from: [{source: {namespaces: ['a'], requestPrincipals: ['*']}}],
      when: [{key: 'request.auth.claims[iss]', values: ['x']}, {key: 'source.principal', values: ['p']}]}];
    expect(policy({action: 'CUSTOM', provider: {name: 'ext'}, rules})).toEqual([
      'IST0106: From.Namespaces is currently not supported with CUSTOM action',
      'IST0106: From.RequestPrincipals is currently not supported with CUSTOM action',
      'IST0106: request.auth.claims[iss] is currently not supported with CUSTOM action',
      'IST0106: source.principal is currently not supported with CUSTOM action',
    ]);
    expect(
      policy({action: 'CUSTOM', provider: {name: 'ext'},
        rules: [{from: [{source: {ipBlocks: ['10.0.0.0/8']}}], when: [{key: 'request.headers[x]', values: ['y']}]}]}),
    ).toEqual([]);
  });

  it('rejects from/to entries without their source/operation or with an empty one; empty lists reach Istio as none', () => {
    expect(policy({rules: [{from: [{}], to: [{}]}, {from: [{source: {}}], to: [{operation: {}}]}]})).toEqual([
      'IST0106: `from.source` must not be nil, found at rule 0',
      'IST0106: `to.operation` must not be nil, found at rule 0',
      'IST0106: `from.source` must not be empty, found at rule 1',
      'IST0106: `to.operation` must not be empty, found at rule 1',
    ]);
    expect(policy({rules: [{from: [], to: []}]})).toEqual([]);
  });

  it('checks source and operation values as Istio does', () => {
    const rules = [{
      from: [{
        source: {principals: [''], serviceAccounts: ['a/b/c'], ipBlocks: ['10.0.0.0/33', '300.1.1.1'],
          trustDomains: ['a*b']},
      }],
      to: [{operation: {ports: ['http', '70000'], methods: [''], paths: ['/a/{**}/{*}']}}],
    }];
    expect(policy({rules})).toEqual([
      'IST0106: cannot set serviceAccounts with namespaces or principals, found at rule 0',
      'IST0106: bad CIDR range (10.0.0.0/33)',
      'IST0106: bad IP address (300.1.1.1)',
      'IST0106: empty value not allowed, found in Principals',
      "IST0106: expected format 'serviceAccount' or 'namespace/serviceAccount', found \"a/b/c\" in ServiceAccounts",
      'IST0106: wildcard is only allowed at the start or end, found in TrustDomains: "a*b"',
      'IST0106: bad port (http)',
      'IST0106: bad port (70000)',
      'IST0106: empty value not allowed, found in Methods',
      'IST0106: invalid or unsupported path a/{**}/{*}, found in Paths. {**} is not the last operator',
    ]);
    const valid = [{
      from: [{
        source: {serviceAccounts: ['shop/web'], ipBlocks: ['10.0.0.0/8', '192.168.1.1'], trustDomains: ['*.local']},
      }],
      to: [{operation: {ports: ['8080'], methods: ['GET'], paths: ['/api/{*}/items/{**}', '/x*']}}],
    }];
    expect(policy({rules: valid})).toEqual([]);
  });

  it('checks the keys and values of when conditions', () => {
    const when = [
      {key: '', values: ['a']},
      {key: 'request.headers', values: ['a']},
      {key: 'source.ip'},
      {key: 'destination.port', values: ['abc']},
      {key: 'unknown.attr', values: ['x']},
      {key: 'destination.labels[app]', notValues: ['x']},
      {key: 'source.serviceAccount', values: ['*']},
    ];
    // A key is checked once with the values and once with the notValues, even when one list is empty.
    expect(policy({rules: [{when}]})).toEqual([
      'IST0106: `key` must not be empty',
      'IST0106: invalid `value` for `key` request.headers: bad key (request.headers): should have format a[b]',
      'IST0106: invalid `notValue` for `key` request.headers: bad key (request.headers): should have format a[b]',
      'IST0106: at least one of `values` or `notValues` must be set for key source.ip',
      'IST0106: invalid `value` for `key` destination.port: bad port (abc)',
      'IST0106: invalid `value` for `key` unknown.attr: unknown attribute: unknown.attr',
      'IST0106: invalid `notValue` for `key` unknown.attr: unknown attribute: unknown.attr',
      'IST0106: invalid `value` for `key` destination.labels[app]: attribute destination.labels[app] is replaced by the workload selector',
      'IST0106: invalid `notValue` for `key` destination.labels[app]: attribute destination.labels[app] is replaced by the workload selector',
      'IST0106: invalid `value` for `key` source.serviceAccount: wildcard not allowed, found in source.serviceAccount',
    ]);
    const valid = [
      {key: 'request.headers[x-user]', values: ['alice']},
      {key: 'source.ip', notValues: ['10.1.2.3']},
      {key: 'destination.port', values: ['8080']},
      {key: 'request.auth.claims[groups]', values: ['admin']},
      {key: 'source.serviceAccount', values: ['shop/web']},
      {key: 'connection.sni', values: ['a.example.com']},
    ];
    expect(policy({rules: [{when: valid}]})).toEqual([]);
  });

  it('warns that a DENY rule of HTTP attributes only also denies TCP traffic', () => {
    const warning =
      'IST0133: configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port';
    expect(policy({action: 'DENY', rules: [{to: [{operation: {methods: ['POST']}}]}]})).toEqual([warning]);
    expect(policy({action: 'DENY', rules: [{from: [{source: {requestPrincipals: ['*']}}]}]})).toEqual([warning]);
    expect(
      policy({action: 'DENY',
        rules: [{from: [{source: {namespaces: ['x']}}]}, {to: [{operation: {ports: ['80'], methods: ['POST']}}]}]}),
    ).toEqual([]);
    expect(policy({rules: [{to: [{operation: {methods: ['POST']}}]}]})).toEqual([]);
  });
});

describe('PeerAuthentication', () => {
  const peer = (spec: Record<string, unknown>) => problems(security('PeerAuthentication', spec));
  const disable = {mode: 'DISABLE'};

  it('takes port-level mTLS only with a selector, and ports in range', () => {
    expect(peer({portLevelMtls: {8080: disable}})).toEqual([
      'IST0106: mesh/namespace peer authentication cannot have port level mTLS',
    ]);
    expect(peer({selector: {matchLabels: {}}, portLevelMtls: {0: disable}})).toEqual([
      'IST0106: mesh/namespace peer authentication cannot have port level mTLS',
      'IST0106: port must be in range 1..65535',
      'IST0133: the workload selector has no labels, so it applies to every workload in the namespace',
    ]);
    expect(peer({selector: {matchLabels: {app: 'a'}}, portLevelMtls: {70000: disable}})).toEqual([
      'IST0106: port must be in range 1..65535',
    ]);
    // An empty map reaches Istio as none.
    expect(peer({selector: {matchLabels: {app: 'a'}}, portLevelMtls: {}})).toEqual([]);
    expect(peer({selector: {matchLabels: {app: 'a'}}, mtls: {mode: 'STRICT'}, portLevelMtls: {8080: disable}})).toEqual(
      [],
    );
    expect(peer({mtls: {mode: 'STRICT'}})).toEqual([]);
  });
});

describe('RequestAuthentication', () => {
  const request = (jwtRules: unknown[]) => problems(security('RequestAuthentication', {jwtRules}));

  it('requires an issuer or an http(s) JWKS URI, and non-empty token locations, audiences and claim headers', () => {
    expect(request([
      {audiences: [''], fromHeaders: [{prefix: 'Bearer '}], fromParams: [''], fromCookies: [''],
        outputClaimToHeaders: [{header: 'x user', claim: 'sub'}, {header: 'x'}], timeout: '0.5ms'},
      {issuer: 'a', jwksUri: 'ftp://example.com/keys'},
      {jwksUri: 'issuer.example.com/keys'},
    ])).toEqual([
      'IST0106: audience must be non-empty string',
      'IST0106: issuer or jwksUri must be non-empty string',
      'IST0106: location header name must be non-empty string',
      'IST0106: location query must be non-empty string',
      'IST0106: cookie name must be non-empty string',
      'IST0106: header name x user is not a valid header name',
      'IST0106: outputClaimToHeaders header and claim value must be non-empty string',
      'IST0106: duration must be greater than 1ms',
      'IST0106: URI scheme "ftp" is not supported',
      'IST0106: URI scheme "" is not supported',
    ]);
    // Istio does not reject two rules with one issuer.
    expect(request([
      {issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks.json', audiences: ['shop'],
        fromHeaders: [{name: 'Authorization', prefix: 'Bearer '}], fromParams: ['token'],
        outputClaimToHeaders: [{header: 'x-user', claim: 'sub'}], timeout: '5s'},
      {issuer: 'https://issuer.example.com'},
      {jwksUri: 'HTTP://keys.example.com:8080/jwks'},
    ])).toEqual([]);
  });
});

describe("agreement with istioctl on Istio's analyser test data", () => {
  // What `istioctl analyze --use-kube=false -A FILE` (the Istio build pinned in versions.json)
  // reports as IST0106/IST0133 for each file, one entry per code and resource; every other
  // file of the test data draws neither code.
  const ISTIOCTL: Record<string, string[]> = {
    'absolute-envoy-filter-operation.yaml': ['IST0133 EnvoyFilter bookinfo/test-reviews-lua-1',
      'IST0133 EnvoyFilter bookinfo/test-reviews-lua-2'],
    'authorizationpolicies.yaml': ['IST0106 ServiceEntry httpbin/istio'],
    'condition-analyzer.yaml': ['IST0106 ServiceEntry default/negative-condition-svcEntry'],
    'conflicting-gateways-invalid-port.yaml': ['IST0106 Gateway alpha', 'IST0106 Gateway beta'],
    'conflicting-gateways-multiple-ports.yaml': ['IST0106 Gateway alpha', 'IST0106 Gateway beta'],
    'deprecation.yaml': ['IST0106 VirtualService foo/productpage',
      'IST0133 EnvoyFilter istio-system/istio-multicluster-egressgateway'],
    'envoy-filter-add-operation.yaml': [1, 2, 3, 4, 5].map((n) => `IST0133 EnvoyFilter bookinfo/test-auth-${n}`),
    'envoy-filter-filterchain.yaml': ['IST0133 EnvoyFilter egress/test-patch-filter-chain'],
    'envoy-filter-remove-operation.yaml': [
      ...[2, 3, 4].map((n) => `IST0106 EnvoyFilter bookinfo/test-remove-${n}`),
      ...[1, 2, 3, 4, 5].map((n) => `IST0133 EnvoyFilter bookinfo/test-remove-${n}`),
    ],
    'envoy-filter-replace-operation.yaml': [1, 2, 3].map((n) => `IST0133 EnvoyFilter bookinfo/test-replace-${n}`),
    'gateway-no-workload.yaml': ['IST0106 Gateway httpbin-gateway'],
    'gateway-secrets.yaml': ['IST0106 Gateway defaultgateway-nocredential'],
    'k8sgateway-selector.yaml': ['IST0106 Telemetry default/telemetry-effective'],
    'relative-envoy-filter-operation.yaml': ['IST0106 EnvoyFilter bookinfo/test-relative-3',
      ...[1, 2, 3].map((n) => `IST0133 EnvoyFilter bookinfo/test-relative-${n}`)],
    'serviceentry-address-allocated.yaml': ['IST0133 ServiceEntry address-allocated'],
    'serviceentry-address-required-uppercase.yaml': ['IST0133 ServiceEntry address-missing-uppercase'],
    'sidecar-default-selector.yaml': ['ns-ambient/namespace-scoped', 'ns-ambient/pod-scoped',
      'ns-not-ambient-rev/namespace-not-ambient', 'ns-not-ambient/namespace-not-ambient'].map((name) =>
        `IST0106 Sidecar ${name}`
      ),
    'virtualservice_destinationhosts.yaml': ['IST0106 ServiceEntry default-ignore/service-entry-ignore',
      'IST0106 VirtualService default/reviews-bogushost'],
    'virtualservice_gateways.yaml': [
      'IST0106 Gateway another/crossnamespace-gw',
      'IST0106 Gateway httpbin-gateway',
      'IST0106 VirtualService default/cross-test',
      'IST0106 VirtualService httpbin',
      'IST0106 VirtualService httpbin-bogus',
      'IST0106 VirtualService httpbin-mesh',
    ],
    'virtualservice_host_not_found_gateway.yaml': ['IST0106 Gateway istio-system/testing-gateway-01-test-04'],
    'virtualservice_host_not_found_gateway_beta.yaml': ['IST0106 Gateway istio-system/testing-gateway-01-test-04'],
    'virtualservice_internal_gateway_ref.yaml': ['IST0106 VirtualService httpbin'],
  };
  const testdata = path.join(GRID_ROOT, 'testdata');

  function ours(file: string): string[] {
    const objects: SourcedObject[] = parseManifests(readFileSync(path.join(testdata, file), 'utf8'), file).objects;
    const keys = analyzeIstio(objects, {analyzers: [validationAnalyzer]}).map((finding) => {
      const ref = finding.resource;
      return `${finding.code} ${ref?.kind} ${ref?.namespace ? `${ref.namespace}/` : ''}${ref?.name}`;
    });
    return [...new Set(keys)].sort();
  }

  it('reports what istioctl reports, file by file, and nothing on the other files', () => {
    const files = readdirSync(testdata).filter((file) => file.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThan(100);
    const disagreements = files.flatMap((file) => {
      const expected = [...(ISTIOCTL[file] ?? [])].sort();
      const got = ours(file);
      return JSON.stringify(got) === JSON.stringify(expected) ? [] : [{file, expected, got}];
    });
    expect(disagreements).toEqual([]);
  });
});
