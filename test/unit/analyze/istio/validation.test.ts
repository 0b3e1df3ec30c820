// Istio's own resource validation (schema.ValidationAnalyzer: IST0106 errors, IST0133
// warnings): each rule next to a close case that Istio accepts, and agreement with what
// istioctl reports on every file of Istio's analyser test data.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';
import {analyzeIstio} from '../../../../src/core/analyze/istio/index.js';
import {validationAnalyzer} from '../../../../src/core/analyze/istio/validation/index.js';
import {parseManifests} from '../../../../src/core/manifests.js';
import type {Finding} from '../../../../src/core/analyze/types.js';
import {GRID_ROOT} from '../istio-b/grid.js';

function findings(objects: KubeObject[]): Finding[] {
  return analyzeIstio(objects.map((object) => ({object})), {analyzers: [validationAnalyzer], addDefaultIngressGateway: false});
}

/** `CODE: message` without the "Schema validation …: " prefix, for readable expectations. */
function problems(...objects: KubeObject[]): string[] {
  return findings(objects).map((finding) => `${finding.code}: ${finding.message.replace(/^Schema validation (error|warning): /, '')}`);
}

function networking(kind: string, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return {apiVersion: 'networking.istio.io/v1', kind, metadata: {name, namespace: 'shop', ...(labels ? {labels} : {})}, spec};
}

const ENVOY_FILTER_WARNING = expect.stringMatching(/^IST0133: EnvoyFilter patches Envoy's internal configuration/);

describe('findings', () => {
  it('are errors (IST0106) or warnings (IST0133) with istioctl\'s message prefix, pointing at the field', () => {
    const gateway = networking('Gateway', 'edge', {servers: [
      {port: {number: 80, name: 'http', protocol: 'HTTP'}, hosts: ['a.example.com']},
      {port: {number: 8080, name: 'http', protocol: 'HTTP'}, hosts: ['b.example.com']},
    ]});
    const [finding] = findings([gateway]);
    expect(finding).toMatchObject({
      code: 'IST0106', severity: 'error', resource: {kind: 'Gateway', name: 'edge', namespace: 'shop'},
      message: 'Schema validation error: port names in servers must be unique: duplicate name http',
      field: ['spec', 'servers', 1, 'port', 'name'],
    });
    const [warning] = findings([networking('Sidecar', 'all', {workloadSelector: {labels: {}}, outboundTrafficPolicy: {mode: 'REGISTRY_ONLY'}})]);
    expect(warning).toMatchObject({code: 'IST0133', severity: 'warning', field: ['spec', 'workloadSelector']});
    expect(warning?.message).toMatch(/^Schema validation warning: sidecar: the workload selector has no labels/);
  });
});

describe('EnvoyFilter', () => {
  const filter = (patches: unknown[]) => ({...networking('EnvoyFilter', 'f', {configPatches: patches}), apiVersion: 'networking.istio.io/v1alpha3'});
  const merge = {operation: 'MERGE', value: {name: 'x'}};

  it('warns about every EnvoyFilter, and about nothing else when the patches are well formed', () => {
    expect(problems(filter([{applyTo: 'CLUSTER', match: {cluster: {service: 'a'}}, patch: merge}]))).toEqual([ENVOY_FILTER_WARNING]);
  });

  it('requires applyTo, a patch, its operation and, except for REMOVE, its value', () => {
    expect(problems(filter([{patch: merge}]))).toEqual([ENVOY_FILTER_WARNING, 'IST0106: Envoy filter: missing applyTo']);
    expect(problems(filter([{applyTo: 'NETWORK_FILTER', match: null, patch: null}]))).toEqual([ENVOY_FILTER_WARNING, 'IST0106: Envoy filter: missing patch']);
    expect(problems(filter([{applyTo: 'CLUSTER', patch: {}}]))).toEqual([ENVOY_FILTER_WARNING, 'IST0106: Envoy filter: missing patch operation']);
    expect(problems(filter([{applyTo: 'CLUSTER', patch: {operation: 'MERGE'}}]))[1]).toMatch(/missing patch value/);
    expect(problems(filter([{applyTo: 'NETWORK_FILTER', patch: {operation: 'REMOVE'}}]))).toEqual([ENVOY_FILTER_WARNING]);
  });

  it('skips patches for waypoints, which Istio does not validate yet', () => {
    expect(problems(filter([{applyTo: 'CLUSTER', match: {context: 'WAYPOINT'}}]))).toEqual([ENVOY_FILTER_WARNING]);
  });

  it('rejects a match on another class of object than applyTo\'s', () => {
    expect(problems(filter([{applyTo: 'CLUSTER', match: {listener: {portNumber: 80}}, patch: merge}])))
      .toEqual([ENVOY_FILTER_WARNING, 'IST0106: Envoy filter: applyTo for cluster class objects cannot have non cluster match']);
    expect(problems(filter([{applyTo: 'HTTP_ROUTE', match: {cluster: {service: 'a'}}, patch: merge}])))
      .toEqual([ENVOY_FILTER_WARNING, 'IST0106: Envoy filter: applyTo for http route class objects cannot have non route configuration match']);
    expect(problems(filter([{applyTo: 'HTTP_FILTER', match: {routeConfiguration: {}}, patch: merge}])))
      .toEqual([ENVOY_FILTER_WARNING, 'IST0106: Envoy filter: applyTo for listener class objects cannot have non listener match']);
    // A match without an object type (only context or proxy) fits every applyTo.
    expect(problems(filter([{applyTo: 'VIRTUAL_HOST', match: {context: 'SIDECAR_OUTBOUND'}, patch: merge}]))).toEqual([ENVOY_FILTER_WARNING]);
    expect(problems(filter([{applyTo: 'VIRTUAL_HOST', match: {routeConfiguration: {vhost: {name: 'a'}}}, patch: merge}]))).toEqual([ENVOY_FILTER_WARNING]);
  });

  it('checks the listener filter match: a name, and subFilter only under the HTTP connection manager for HTTP_FILTER', () => {
    const listener = (applyTo: string, filterMatch: unknown) => filter([{applyTo, match: {listener: {filterChain: {filter: filterMatch}}}, patch: merge}]);
    expect(problems(listener('NETWORK_FILTER', {name: ''}))[1]).toMatch(/filter match needs a name/);
    expect(problems(listener('NETWORK_FILTER', {name: 'a', subFilter: {name: 'b'}}))[1]).toMatch(/subFilter match works only with applyTo HTTP_FILTER/);
    expect(problems(listener('HTTP_FILTER', {name: 'envoy.filters.network.tcp_proxy', subFilter: {name: 'b'}}))[1]).toMatch(/needs the filter match to name envoy.filters.network.http_connection_manager/);
    expect(problems(listener('HTTP_FILTER', {name: 'envoy.filters.network.http_connection_manager', subFilter: {name: 'envoy.filters.http.router'}}))).toEqual([ENVOY_FILTER_WARNING]);
    expect(problems(listener('LISTENER', {name: 'envoy.filters.network.http_connection_manager'}))[1]).toMatch(/^IST0133: Envoy filter: a filter match does nothing when applyTo is LISTENER/);
  });

  it('stops at a selector with bad labels, and warns about one without labels', () => {
    const selected = (labels: Record<string, string>) => ({...filter([]), spec: {workloadSelector: {labels}}});
    expect(problems(selected({app: '*'}))).toEqual(['IST0106: wildcards are not supported in selectors: "app=*"']);
    expect(problems(selected({}))).toEqual([ENVOY_FILTER_WARNING, expect.stringMatching(/^IST0133: Envoy filter: the workload selector has no labels/)]);
    expect(problems(selected({app: 'a'}))).toEqual([ENVOY_FILTER_WARNING]);
  });
});

describe('VirtualService', () => {
  const route = (host = 'reviews') => ({route: [{destination: {host}}]});
  const vs = (spec: Record<string, unknown>) => networking('VirtualService', 'vs', spec);

  it('requires http, tcp or tls routes', () => {
    expect(problems(vs({hosts: ['reviews']}))).toEqual(['IST0106: http, tcp or tls must be provided in virtual service']);
    expect(problems(vs({hosts: ['reviews'], tcp: [route()]}))).toEqual([]);
  });

  it('treats a VirtualService without hosts as a delegate: no host needed, but no gateways, tcp or tls either', () => {
    expect(problems(vs({http: [route()]}))).toEqual([]);
    expect(problems(vs({gateways: ['edge/gw'], tcp: [route()]}))).toEqual([
      'IST0106: a delegate virtual service (one without hosts) must not name gateways',
      'IST0106: a delegate virtual service (one without hosts) must not have tcp routes',
    ]);
    expect(problems(vs({http: [{delegate: {name: 'other'}}]}))).toEqual([
      'IST0106: a delegate VirtualService\'s HTTP route cannot delegate again',
      'IST0106: HTTP route, redirect or direct_response is required',
    ]);
  });

  it('rejects the wildcard host * on the mesh, not on a gateway', () => {
    expect(problems(vs({hosts: ['*'], http: [route()]}))).toEqual(['IST0106: wildcard host * is not allowed for virtual services bound to the mesh gateway']);
    expect(problems(vs({hosts: ['*'], gateways: ['edge/gw', 'mesh'], http: [route()]}))).toHaveLength(1);
    expect(problems(vs({hosts: ['*'], gateways: ['edge/gw'], http: [route()]}))).toEqual([]);
  });

  it('rejects invalid and overlapping hosts, but accepts an IP', () => {
    expect(problems(vs({hosts: ['bad_host'], http: [route()]}))).toEqual(['IST0106: invalid host: domain name "bad_host" has an invalid label "bad_host"']);
    expect(problems(vs({hosts: ['*.example.com', 'a.example.com'], http: [route()]}))).toEqual(['IST0106: duplicate hosts in virtual service: *.example.com and a.example.com overlap']);
    expect(problems(vs({hosts: ['10.0.0.1', 'a.example.com', 'b.example.com'], http: [route()]}))).toEqual([]);
  });

  it('requires a route, redirect or direct response on each HTTP rule, and root rules only delegate', () => {
    expect(problems(vs({hosts: ['reviews'], http: [{match: [{uri: {prefix: '/'}}]}]}))).toEqual(['IST0106: HTTP route, redirect or direct_response is required']);
    expect(problems(vs({hosts: ['reviews'], http: [{redirect: {uri: '/x'}}, {directResponse: {status: 204}}]}))).toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [{delegate: {name: 'd'}}]}))).toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [{name: 'r', delegate: {name: 'd'}, ...route()}]}))).toEqual(['IST0106: root HTTP route r delegates, so it must not route']);
    expect(problems(vs({hosts: ['reviews'], http: [{redirect: {uri: '/x'}, ...route()}]}))).toEqual(['IST0106: HTTP route cannot combine route with redirect']);
  });

  it('requires a destination on each route and mirror, and weights when splitting', () => {
    expect(problems(vs({hosts: ['reviews'], http: [{route: [{}, {destination: {host: 'a'}}]}]}))).toEqual([
      'IST0106: destination is required',
      'IST0106: total destination weight = 0: a route to several destinations needs weights',
    ]);
    expect(problems(vs({hosts: ['reviews'], http: [{route: [{destination: {host: 'a'}, weight: 80}, {destination: {host: 'b'}, weight: 20}]}]}))).toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [{...route(), mirrors: [{percentage: {value: 5}}]}]}))).toEqual(['IST0106: destination is required for mirrors']);
    expect(problems(vs({hosts: ['reviews'], http: [{...route(), mirrors: [{destination: {host: 'shadow'}}]}]}))).toEqual([]);
    expect(problems(vs({hosts: ['reviews'], http: [route('*')]}))).toEqual(['IST0106: invalid destination host: a destination cannot be *']);
  });

  it('checks gateway names: namespace and name must be DNS labels; Istio stops at the first name without a namespace', () => {
    expect(problems(vs({hosts: ['foo.com'], gateways: ['istio-ingress/gateway~istio-autogenerated-k8s-gateway~foo'], http: [route()]})))
      .toEqual(['IST0106: invalid value for gateway name: "gateway~istio-autogenerated-k8s-gateway~foo" is not a DNS label']);
    expect(problems(vs({hosts: ['foo.com'], gateways: ['gw', 'bad_ns/gw'], http: [route()]}))).toEqual([]);
    expect(problems(vs({hosts: ['foo.com'], gateways: ['gw.edge.svc.cluster.local'], http: [route()]})))
      .toEqual(['IST0133: gateway "gw.edge.svc.cluster.local" uses the legacy name.namespace form; write it as "edge/gw"']);
  });

  it('requires TLS rules to match SNI hosts within the VirtualService\'s hosts', () => {
    const tls = (sniHosts: string[]) => vs({hosts: ['*.example.com'], tls: [{match: [{sniHosts}], ...route()}]});
    expect(problems(tls(['a.example.com']))).toEqual([]);
    expect(problems(tls(['a.example.org']))).toEqual(['IST0106: SNI host "a.example.org" is not within any of the virtual service hosts: [*.example.com]']);
    expect(problems(tls([]))).toEqual(['IST0106: TLS match must have at least one SNI host']);
  });
});

describe('Gateway', () => {
  const gateway = (servers: unknown, name = 'edge') => networking('Gateway', name, servers === undefined ? {} : {servers});
  const http = (name = 'http', number = 80) => ({port: {number, name, protocol: 'HTTP'}, hosts: ['a.example.com']});

  it('requires at least one server with a port', () => {
    expect(problems(gateway(undefined))).toEqual(['IST0106: gateway must have at least one server']);
    expect(problems(gateway([{hosts: ['a.example.com']}]))).toEqual(['IST0106: port is required']);
    expect(problems(gateway([http()]))).toEqual([]);
  });

  it('requires unique port names across servers', () => {
    expect(problems(gateway([http('web', 80), http('web', 8080)]))).toEqual(['IST0106: port names in servers must be unique: duplicate name web']);
    expect(problems(gateway([http('web', 80), http('web-alt', 8080)]))).toEqual([]);
  });

  it('requires a certificate and key for SIMPLE TLS unless a credentialName gives them', () => {
    const https = (tls: Record<string, unknown>) => gateway([{port: {number: 443, name: 'https', protocol: 'HTTPS'}, hosts: ['a.example.com'], tls}]);
    expect(problems(https({mode: 'SIMPLE'}))).toEqual(['IST0106: SIMPLE TLS requires a server certificate', 'IST0106: SIMPLE TLS requires a private key']);
    expect(problems(https({mode: 'SIMPLE', credentialName: 'shop-cert'}))).toEqual([]);
    expect(problems(https({mode: 'SIMPLE', serverCertificate: '/etc/tls.crt', privateKey: '/etc/tls.key'}))).toEqual([]);
    expect(problems(https({mode: 'MUTUAL', credentialName: 'shop-cert'}))).toEqual([]);
    expect(problems(https({mode: 'MUTUAL', serverCertificate: '/etc/tls.crt', privateKey: '/etc/tls.key'}))).toEqual(['IST0106: MUTUAL TLS requires a client CA bundle']);
    expect(problems(gateway([{port: {number: 443, name: 'https', protocol: 'HTTPS'}, hosts: ['a.example.com']}]))).toEqual(['IST0106: server must have TLS settings for HTTPS/TLS protocols']);
  });

  it('rejects a name that is not a DNS label, short host names and partial wildcards', () => {
    expect(problems(gateway([http()], 'edge.gw'))).toEqual(['IST0106: invalid gateway name: "edge.gw" is not a DNS label']);
    expect(problems(gateway([{...http(), hosts: ['shop', 'ns/*.example.com', './*']}]))).toEqual(['IST0106: server host shop: short names (non FQDN) are not allowed']);
    expect(problems(gateway([{...http(), hosts: ['a*.example.com']}]))).toHaveLength(2);
  });
});

describe('ServiceEntry', () => {
  const entry = (spec: Record<string, unknown>, labels?: Record<string, string>) => networking('ServiceEntry', 'se', spec, labels);
  const https = [{number: 443, name: 'https', protocol: 'HTTPS'}];

  it('requires a host, and rejects *', () => {
    expect(problems(entry({ports: https}))).toEqual(['IST0106: service entry must have at least one host']);
    expect(problems(entry({hosts: ['*'], ports: https}))).toEqual(['IST0106: invalid host *: a ServiceEntry cannot claim every host']);
    expect(problems(entry({hosts: ['*.example.com'], ports: https}))).toEqual([]);
  });

  it('requires resolvable hosts for DNS resolution without endpoints', () => {
    expect(problems(entry({hosts: ['*.kiali.io'], ports: https, resolution: 'DNS'})))
      .toEqual(['IST0106: hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS: domain name "*.kiali.io" has an invalid label "*"']);
    expect(problems(entry({hosts: ['*.kiali.io'], ports: https, resolution: 'DNS', endpoints: [{address: 'kiali.io'}]}))).toEqual([]);
    expect(problems(entry({hosts: ['api.kiali.io'], ports: https, resolution: 'DNS'}))).toEqual([]);
  });

  it('warns about TCP ports without addresses where istiod allocates none (resolution NONE, or opted out)', () => {
    const warning = 'IST0133: addresses are required for ports serving TCP (or unset) protocol when IP auto-allocation is not enabled';
    const tcp = (protocol?: string) => [{number: 22, name: 'ssh', ...(protocol ? {protocol} : {})}];
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP')}))).toEqual([warning]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp()}))).toEqual([warning]);
    // Istio compares the protocol case-sensitively.
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('tcp')}))).toEqual([]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP'), addresses: ['10.0.0.1']}))).toEqual([]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP'), resolution: 'DNS'}))).toEqual([]);
    expect(problems(entry({hosts: ['git.example.com'], ports: tcp('TCP'), resolution: 'DNS'}, {'networking.istio.io/enable-autoallocate-ip': 'false'}))).toEqual([warning]);
  });
});

describe('Sidecar', () => {
  const sidecar = (spec: Record<string, unknown>) => networking('Sidecar', 'sc', spec);
  const empty = 'IST0106: sidecar: empty configuration provided (no ingress, egress, outboundTrafficPolicy or inboundConnectionPool)';

  it('rejects a Sidecar that configures nothing, even with a selector', () => {
    expect(problems(sidecar({}))).toEqual([empty]);
    expect(problems(sidecar({workloadSelector: {labels: {app: 'a'}}, egress: []}))).toEqual([empty]);
    // Istio reports the empty configuration alone, without the warning about the selector.
    expect(problems(sidecar({workloadSelector: {labels: {}}}))).toEqual([empty]);
  });

  it('accepts any one of ingress, egress, outbound policy or inbound pool', () => {
    expect(problems(sidecar({ingress: [{port: {number: 80, name: 'http', protocol: 'HTTP'}, defaultEndpoint: '127.0.0.1:8080'}]}))).toEqual([]);
    expect(problems(sidecar({egress: [{hosts: ['./*']}]}))).toEqual([]);
    expect(problems(sidecar({outboundTrafficPolicy: {mode: 'REGISTRY_ONLY'}}))).toEqual([]);
    expect(problems(sidecar({inboundConnectionPool: {http: {http1MaxPendingRequests: 10}}}))).toEqual([]);
  });
});

describe('Telemetry', () => {
  const telemetry = (spec: Record<string, unknown>) => ({apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: {name: 't', namespace: 'shop'}, spec});
  const targetRefs = [{group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge'}];

  it('takes either targetRef(s) or a selector', () => {
    expect(problems(telemetry({selector: {matchLabels: {app: 'a'}}, targetRefs}))).toEqual(['IST0106: only one of targetRefs or workloadSelector can be set']);
    expect(problems(telemetry({targetRefs}))).toEqual([]);
    expect(problems(telemetry({selector: {matchLabels: {app: 'a'}}}))).toEqual([]);
  });
});

describe('agreement with istioctl on Istio\'s analyser test data', () => {
  // What `istioctl analyze --use-kube=false -A FILE` (the Istio build pinned in versions.json)
  // reports as IST0106/IST0133 for each file, one entry per code and resource; every other
  // file of the test data draws neither code.
  const ISTIOCTL: Record<string, string[]> = {
    'absolute-envoy-filter-operation.yaml': ['IST0133 EnvoyFilter bookinfo/test-reviews-lua-1', 'IST0133 EnvoyFilter bookinfo/test-reviews-lua-2'],
    'authorizationpolicies.yaml': ['IST0106 ServiceEntry httpbin/istio'],
    'condition-analyzer.yaml': ['IST0106 ServiceEntry default/negative-condition-svcEntry'],
    'conflicting-gateways-invalid-port.yaml': ['IST0106 Gateway alpha', 'IST0106 Gateway beta'],
    'conflicting-gateways-multiple-ports.yaml': ['IST0106 Gateway alpha', 'IST0106 Gateway beta'],
    'deprecation.yaml': ['IST0106 VirtualService foo/productpage', 'IST0133 EnvoyFilter istio-system/istio-multicluster-egressgateway'],
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
    'relative-envoy-filter-operation.yaml': ['IST0106 EnvoyFilter bookinfo/test-relative-3', ...[1, 2, 3].map((n) => `IST0133 EnvoyFilter bookinfo/test-relative-${n}`)],
    'serviceentry-address-allocated.yaml': ['IST0133 ServiceEntry address-allocated'],
    'serviceentry-address-required-uppercase.yaml': ['IST0133 ServiceEntry address-missing-uppercase'],
    'sidecar-default-selector.yaml': ['ns-ambient/namespace-scoped', 'ns-ambient/pod-scoped', 'ns-not-ambient-rev/namespace-not-ambient', 'ns-not-ambient/namespace-not-ambient'].map((name) => `IST0106 Sidecar ${name}`),
    'virtualservice_destinationhosts.yaml': ['IST0106 ServiceEntry default-ignore/service-entry-ignore', 'IST0106 VirtualService default/reviews-bogushost'],
    'virtualservice_gateways.yaml': [
      'IST0106 Gateway another/crossnamespace-gw', 'IST0106 Gateway httpbin-gateway', 'IST0106 VirtualService default/cross-test',
      'IST0106 VirtualService httpbin', 'IST0106 VirtualService httpbin-bogus', 'IST0106 VirtualService httpbin-mesh',
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
