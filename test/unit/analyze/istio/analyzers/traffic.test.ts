// Behaviour of traffic analysers beyond Istio's grid: the clock-dependent check, and the
// places where we chose our own semantics (see the README of src/core/analyze/istio).
import {describe, expect, it} from 'vitest';
import type {KubeObject, SourcedObject} from '../../../../../src/core/objects.js';
import {analyzeIstio} from '../../../../../src/core/analyze/istio/index.js';
import {loadCertificateReader} from '../../../../../src/adapters/certs/x509.js';
import {coverageOf, withinCoverage} from '../../../../../src/core/analyze/coverage.js';
import type {Finding} from '../../../../../src/core/analyze/types.js';
import {analyzersIn, TRAFFIC_DOMAINS} from '../domains.js';
import {gridCases, gridObjects} from '../grid.js';

const trafficAnalyzers = analyzersIn(TRAFFIC_DOMAINS);

function entry(object: KubeObject): SourcedObject {
  return {object};
}

function codesOf(objects: SourcedObject[], options: Parameters<typeof analyzeIstio>[1] = {}): string[] {
  return analyzeIstio(objects, {analyzers: trafficAnalyzers, ...options}).map((finding) =>
    `${finding.code} ${finding.resource?.name}`
  ).sort();
}

/** What validate reports from files alone (partial input): findings about missing objects only where the files hold that kind. */
function partialFindings(objects: SourcedObject[]): Finding[] {
  return withinCoverage(analyzeIstio(objects, {analyzers: trafficAnalyzers}), coverageOf(objects, true));
}

function partialCodes(objects: SourcedObject[]): string[] {
  return partialFindings(objects).map((finding) => `${finding.code} ${finding.resource?.name}`).sort();
}

const gateway = (name: string, selector: Record<string, string>, servers: unknown[]): SourcedObject => entry({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: {name, namespace: 'edge'},
  spec: {selector, servers},
});

describe('gateway analysers', () => {
  it('judges certificate expiry only when given a clock, and certificates only when given a reader', async () => {
    const readCertificate = await loadCertificateReader();
    const secretCase = gridCases().find((testCase) => testCase.name === 'gatewaySecretValidations')!;
    const expired = gridObjects(secretCase).filter((object) =>
      ['expired-secret', 'defaultgateway-expired'].includes(object.object.metadata.name ?? '')
    );
    expect(codesOf(expired, {readCertificate})).toEqual([]);
    expect(codesOf(expired, {now: new Date('2030-01-01T00:00:00Z')})).toEqual([]);
    expect(codesOf(expired, {now: new Date('2030-01-01T00:00:00Z'), readCertificate})).toEqual([
      'IST0161 defaultgateway-expired',
    ]);
    expect(codesOf(expired, {now: new Date('2023-03-14T03:00:00Z'), readCertificate})).toEqual([]);
  });

  it('accepts a Gateway port that the workload Service exposes as targetPort', () => {
    const objects = [
      gateway('gw', {app: 'edge'}, [{port: {number: 8443}, hosts: ['*']}]),
      entry({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'edge-1', namespace: 'edge', labels: {app: 'edge'}}}),
      entry({apiVersion: 'v1', kind: 'Service', metadata: {name: 'edge', namespace: 'edge'},
        spec: {selector: {app: 'edge'}, ports: [{port: 443, targetPort: 8443}]}}),
    ];
    expect(codesOf(objects)).toEqual([]);
    (objects[2]!.object.spec as {ports: unknown[]}).ports = [{port: 443, targetPort: 9443}];
    expect(codesOf(objects)).toEqual(['IST0162 gw']);
  });

  it('flags Gateways sharing a workload, port and host, but not on different binds', () => {
    const server = (bind?: string) => ({port: {number: 80}, hosts: ['shop.example.com'], ...(bind ? {bind} : {})});
    expect(
      codesOf([gateway('a', {istio: 'ingressgateway'}, [server()]),
        gateway('b', {istio: 'ingressgateway'}, [server()])]),
    )
      .toEqual(['IST0145 a', 'IST0145 b']);
    expect(
      codesOf([gateway('a', {istio: 'ingressgateway'}, [server('10.0.0.1')]),
        gateway('b', {istio: 'ingressgateway'}, [server('10.0.0.2')])]),
    )
      .toEqual([]);
  });
});

describe('EnvoyFilter analyser', () => {
  const filter = (operation: string, applyTo: string, priority?: number) => entry({
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: {name: 'f', namespace: 'shop'},
    spec: {...(priority === undefined ? {} : {priority}),
      configPatches: [{applyTo, patch: {operation, value: {name: 'x'}}}]},
  });

  it('warns about order-dependent patches unless a priority is set; MERGE is not one of them', () => {
    expect(codesOf([filter('INSERT_BEFORE', 'HTTP_FILTER')])).toEqual(['IST0151 f']);
    expect(codesOf([filter('INSERT_BEFORE', 'HTTP_FILTER', 10)])).toEqual([]);
    expect(codesOf([filter('MERGE', 'CLUSTER')])).toEqual([]);
    expect(codesOf([filter('REPLACE', 'CLUSTER', 10)])).toEqual(['IST0152 f']);
  });
});

describe('VirtualService rules that earlier rules shadow', () => {
  const vs = (http: unknown[]) =>
    entry({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'v', namespace: 'shop'},
      spec: {hosts: ['a'], http}});
  const route = [{destination: {host: 'a'}}];

  it('sees a longer prefix after a shorter one as shadowed, but not an exact match', () => {
    const shadowed = vs([{match: [{uri: {prefix: '/api'}}], route}, {
      match: [{uri: {prefix: '/api/v1'}, method: {exact: 'GET'}}],
      route,
    }]);
    expect(codesOf([shadowed]).filter((code) => code.startsWith('IST013'))).toEqual(['IST0131 v']);
    const exact = vs([{match: [{uri: {prefix: '/'}}], route}, {match: [{uri: {exact: '/'}}], route}]);
    expect(codesOf([exact]).filter((code) => code.startsWith('IST013'))).toEqual([]);
  });
});

describe('DestinationRule subsets that select no pod (IST0173)', () => {
  const fromFile = (object: KubeObject): SourcedObject => ({object,
    source: {file: 'k8s/shop.yaml', line: 1, documentIndex: 0}});
  const rule = fromFile({apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule',
    metadata: {name: 'shop', namespace: 'shop'},
    spec: {host: 'shop', subsets: [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]}});
  const service = fromFile({apiVersion: 'v1', kind: 'Service', metadata: {name: 'shop', namespace: 'shop'},
    spec: {selector: {app: 'shop'}, ports: [{port: 80}]}});
  const deployment = (object: (labels: Record<string, string>) => KubeObject) => object({app: 'shop', version: 'v1'});
  const shopDeployment = deployment((labels) => ({apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {name: 'shop-v1', namespace: 'shop'},
    spec: {selector: {matchLabels: labels},
      template: {metadata: {labels}, spec: {containers: [{name: 'app', image: 'shop:1'}]}}}})
  );

  it('is not judged for files that hold no workload, as istioctl skips it without pods; an unknown host only where the files hold Services of its namespace', () => {
    expect(partialCodes([rule, service])).toEqual([]);
    const orphan = fromFile({...rule.object, metadata: {name: 'orphan', namespace: 'shop'},
      spec: {host: 'gone', subsets: [{name: 'v1', labels: {version: 'v1'}}]}});
    expect(partialCodes([orphan])).toEqual([]);
    expect(partialCodes([orphan, service])).toEqual(['IST0174 orphan']);
    // Istio's own analyser tests (and a cluster) list pods, even when there are none.
    expect(codesOf([rule, service])).toEqual(['IST0173 shop', 'IST0173 shop']);
  });

  it('counts the pod templates of workloads in the files: only the subset nothing will run is reported', () => {
    const findings = partialFindings([rule, service, fromFile(shopDeployment)]);
    expect(findings.map((finding) => [finding.code, finding.message])).toEqual([
      ['IST0173', 'Subset v2 selects no pod; traffic routed to it fails with 503 (no healthy upstream).'],
    ]);
  });

  it('judges a live cluster by its pods, not by templates: a Deployment scaled to zero runs nothing', () => {
    expect(codesOf([rule, service, {object: shopDeployment}])).toEqual(['IST0173 shop', 'IST0173 shop']);
    const pod: SourcedObject = {
      object: {apiVersion: 'v1', kind: 'Pod',
        metadata: {name: 'shop-v1-x', namespace: 'shop', labels: {app: 'shop', version: 'v1'}}},
    };
    expect(codesOf([rule, service, {object: shopDeployment}, pod])).toEqual(['IST0173 shop']);
  });
});

describe('missing destination hosts from partial input', () => {
  const fromFileObject = (object: KubeObject): SourcedObject => ({object,
    source: {file: 'k8s/routes.yaml', line: 1, documentIndex: 0}});
  const vs = (namespace: string | undefined, host: string) =>
    fromFileObject({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: namespace === undefined ? {name: 'route'} : {name: 'route', namespace},
      spec: {hosts: ['front'], http: [{route: [{destination: {host}}]}]}});
  const service = (namespace: string | undefined, name: string) =>
    fromFileObject({apiVersion: 'v1', kind: 'Service', metadata: namespace === undefined ? {name} : {name, namespace},
      spec: {ports: [{name: 'http', port: 80}]}});
  const entry = fromFileObject({apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry',
    metadata: {name: 'ext', namespace: 'shop'},
    spec: {hosts: ['api.example.com'], ports: [{number: 443, name: 'https', protocol: 'HTTPS'}], resolution: 'DNS'}});

  it('judges a short or Kubernetes host against the Services of its namespace, a YAML without namespace included', () => {
    expect(partialCodes([vs(undefined, 'gone'), service(undefined, 'other')])).toContain('IST0101 route');
    expect(partialCodes([vs(undefined, 'gone'), service('shop', 'other')])).not.toContain('IST0101 route');
    expect(partialCodes([vs('front', 'gone.shop.svc.cluster.local'), service('shop', 'other')])).toContain(
      'IST0101 route',
    );
    expect(partialCodes([vs('shop', 'gone.elsewhere.svc.cluster.local'), service('shop', 'other')])).not.toContain(
      'IST0101 route',
    );
  });

  it('judges another host against the ServiceEntries of the input', () => {
    expect(partialCodes([vs('shop', 'www.example.com')])).not.toContain('IST0101 route');
    expect(partialCodes([vs('shop', 'www.example.com'), entry])).toContain('IST0101 route');
  });
});
