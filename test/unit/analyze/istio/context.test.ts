import {describe, expect, it} from 'vitest';
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';
import {createIstioContext, isSynthetic} from '../../../../src/core/analyze/istio/create-context.js';
import {lookup} from '../../../../src/core/analyze/istio/query/lookup.js';
import {serviceRegistry} from '../../../../src/core/analyze/istio/query/service-registry.js';
import {analyzeIstio} from '../../../../src/core/analyze/istio/index.js';
import type {IstioContext} from '../../../../src/core/analyze/istio/context.js';
import {testAnalyzer} from '../../../helpers/analyzer.js';

function obj(kind: string, name: string, namespace: string | undefined, extra: Partial<KubeObject> = {},
  apiVersion = 'v1'): SourcedObject
{
  const metadata: KubeObject['metadata'] = {name};
  if (namespace !== undefined) metadata.namespace = namespace;
  return {object: {apiVersion, kind, metadata, ...extra}, source: {file: 'in.yaml', line: 1, documentIndex: 0}};
}

describe('createIstioContext', () => {
  it('adds a stand-in ingress Service and Pod in istio-system, marked synthetic', () => {
    const ctx = createIstioContext([]);
    const service = lookup(ctx).get('Service', 'istio-system', 'istio-ingressgateway', '');
    expect(service && isSynthetic(service.object)).toBe(true);
    expect(lookup(ctx).podsMatching('istio-system', {istio: 'ingressgateway'})).toHaveLength(1);
    expect(ctx.meshConfig.rootNamespace).toBe('istio-system');
  });

  it('follows the mesh config: ingress service name, OFF mode, merged defaults', () => {
    const renamed = createIstioContext([], {
      meshConfig: {ingressService: 'edge', defaultConfig: {proxyMetadata: {A: '1'}}},
    });
    expect(lookup(renamed).get('Service', 'istio-system', 'edge', '')).toBeDefined();
    expect(renamed.meshConfig.raw.trustDomain).toBe('cluster.local');
    expect(renamed.meshConfig.raw.defaultConfig).toEqual({proxyMetadata: {A: '1'}});
    expect(createIstioContext([], {meshConfig: {ingressControllerMode: 'OFF'}}).objects).toHaveLength(0);
    expect(createIstioContext([], {addDefaultIngressGateway: false}).objects).toHaveLength(0);
  });

  it("lets the user's own ingress Service win over the stand-in", () => {
    const own = obj('Service', 'istio-ingressgateway', 'istio-system', {spec: {ports: [{port: 8443}]}});
    const ctx = createIstioContext([own]);
    expect(lookup(ctx).get('Service', 'istio-system', 'istio-ingressgateway', '')).toBe(own);
    expect(ctx.byKind('Service', '')).toHaveLength(1);
  });

  it('indexes by kind and API group, so the two Gateway kinds stay apart', () => {
    const istio = obj('Gateway', 'gw', 'a', {}, 'networking.istio.io/v1');
    const kube = obj('Gateway', 'gw', 'a', {}, 'gateway.networking.k8s.io/v1');
    const ctx = createIstioContext([istio, kube], {addDefaultIngressGateway: false});
    expect(ctx.byKind('Gateway', 'networking.istio.io')).toEqual([istio]);
    expect(lookup(ctx).get('Gateway', 'a', 'gw', 'gateway.networking.k8s.io')).toBe(kube);
    expect(ctx.byKind('Gateway')).toHaveLength(2);
  });
});

describe('serviceRegistry', () => {
  const objects = [
    obj('Service', 'reviews', 'shop', {spec: {ports: [{port: 9080}]}}),
    obj('Service', 'private', 'shop', {
      metadata: {name: 'private', namespace: 'shop', annotations: {'networking.istio.io/exportTo': '.'}},
    }),
    obj('ServiceEntry', 'wild', 'shop', {spec: {hosts: ['*.example.com'], ports: [{number: 443}]}},
      'networking.istio.io/v1'),
    obj('ServiceEntry', 'to-web', 'shop', {spec: {hosts: ['api.partner.org'], exportTo: ['web']}},
      'networking.istio.io/v1'),
  ];
  const registry = serviceRegistry(createIstioContext(objects, {addDefaultIngressGateway: false}));

  it('resolves short names in the source namespace and FQDNs anywhere', () => {
    expect(registry.resolve('shop', undefined, 'reviews')?.ports).toEqual([{number: 9080, protocol: 'TCP'}]);
    expect(registry.resolve('web', undefined, 'reviews.shop.svc.cluster.local')).toBeDefined();
    expect(registry.resolve('web', undefined, 'reviews')).toBeUndefined();
  });

  it('honours exportTo on Services and ServiceEntries', () => {
    expect(registry.resolve('shop', undefined, 'private')).toBeDefined();
    expect(registry.resolve('web', undefined, 'private.shop.svc.cluster.local')).toBeUndefined();
    expect(registry.resolve('web', undefined, 'api.partner.org')).toBeDefined();
    expect(registry.resolve('shop', undefined, 'api.partner.org')).toBeUndefined();
  });

  it('matches hosts under a wildcard ServiceEntry', () => {
    expect(registry.resolve('shop', undefined, 'a.example.com')?.source.object.metadata.name).toBe('wild');
    expect(registry.resolve('shop', undefined, 'example.com')).toBeUndefined();
  });
});

describe('analyzeIstio', () => {
  it('reports the same message from two analysers once, and never about the stand-in objects', () => {
    // A Gateway that selects nothing: several gateway analysers each say so with the shared message.
    const gateway = obj('Gateway', 'gw', 'shop', {
      spec: {selector: {app: 'none'}, servers: [{port: {number: 80}, hosts: ['*']}]},
    }, 'networking.istio.io/v1');
    const findings = analyzeIstio([gateway]).filter((finding) => finding.code === 'IST0101');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({resource: {kind: 'Gateway', name: 'gw'}, file: 'in.yaml', line: 1});
    const all = analyzeIstio([gateway]);
    expect(all.some((finding) => finding.resource?.namespace === 'istio-system')).toBe(false);
  });

  it("turns an analyser crash into IST0001 and keeps the other analysers' findings", () => {
    const crashing = testAnalyzer<IstioContext>('test.Crash', () => {
      throw new Error('boom');
    });
    const findings = analyzeIstio([], {analyzers: [crashing]});
    expect(findings).toEqual([
      expect.objectContaining({code: 'IST0001', severity: 'error', message: expect.stringContaining('boom')}),
    ]);
  });
});
