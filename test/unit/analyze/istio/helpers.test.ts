import {describe, expect, it} from 'vitest';
import type {KubeObject} from '../../../../src/core/objects.js';
import {hostCovers, hostsIntersect, serviceOfFqdn, splitNamespaced,
  toFqdn} from '../../../../src/core/analyze/istio/query/hosts.js';
import {matchesLabelSelector, matchesLabels, selectorText} from '../../../../src/core/analyze/istio/query/selectors.js';
import {isExportedTo, isExportedToAll, serviceExportTo} from '../../../../src/core/analyze/istio/query/exportto.js';
import {servicePorts} from '../../../../src/core/analyze/istio/query/ports.js';
import {protocolOfPortName} from '../../../../src/core/protocol.js';
import {protocolFromPortName} from '../../../../src/core/config/service.js';
import {asInteger, asStringMap, at} from '../../../../src/core/analyze/istio/query/fields.js';

describe('hosts', () => {
  it('qualifies short names in the given namespace and keeps dotted names and wildcards', () => {
    expect(toFqdn('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(toFqdn('reviews.shop', 'other')).toBe('reviews.shop');
    expect(toFqdn('*.example.com', 'shop')).toBe('*.example.com');
    expect(toFqdn('*', 'shop')).toBe('*');
  });

  it('finds the Service behind a cluster FQDN only', () => {
    expect(serviceOfFqdn('reviews.shop.svc.cluster.local')).toEqual({name: 'reviews', namespace: 'shop'});
    expect(serviceOfFqdn('reviews.shop')).toBeUndefined();
    expect(serviceOfFqdn('a.b.c.svc.cluster.local')).toBeUndefined();
  });

  it.each([
    ['a.example.com', 'a.example.com', true],
    ['a.example.com', 'b.example.com', false],
    ['*.example.com', 'a.example.com', true],
    ['a.example.com', '*.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*', 'anything.org', true],
    ['*.a.example.com', '*.example.com', true],
    ['*.example.com', '*.example.org', false],
  ])('hostsIntersect(%s, %s) is %s', (a, b, expected) => {
    expect(hostsIntersect(a, b)).toBe(expected);
    expect(hostsIntersect(b, a)).toBe(expected);
  });

  it.each([
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', '*.a.example.com', true],
    ['*.a.example.com', '*.example.com', false],
    ['*', '*.example.com', true],
    ['a.example.com', '*.example.com', false],
    ['a.example.com', 'a.example.com', true],
  ])('hostCovers(%s, %s) is %s', (pattern, host, expected) => {
    expect(hostCovers(pattern, host)).toBe(expected);
  });

  it('splits namespace/name references with a default namespace', () => {
    expect(splitNamespaced('istio-system/gw', 'shop')).toEqual({namespace: 'istio-system', name: 'gw'});
    expect(splitNamespaced('gw', 'shop')).toEqual({namespace: 'shop', name: 'gw'});
  });
});

describe('selectors', () => {
  it('matches when every selector entry is among the labels; empty selects all', () => {
    expect(matchesLabels({app: 'a'}, {app: 'a', version: 'v1'})).toBe(true);
    expect(matchesLabels({app: 'a', version: 'v2'}, {app: 'a', version: 'v1'})).toBe(false);
    expect(matchesLabels({}, {})).toBe(true);
    expect(matchesLabels(undefined, undefined)).toBe(true);
    // An empty value only matches a label that is present with an empty value.
    expect(matchesLabels({zone: ''}, {})).toBe(false);
    expect(matchesLabels({zone: ''}, {zone: ''})).toBe(true);
  });

  it('prints selectors like Kubernetes, keys sorted', () => {
    expect(selectorText({istio: 'ingressgateway', app: 'gw'})).toBe('app=gw,istio=ingressgateway');
    expect(selectorText({})).toBe('');
  });

  it('evaluates matchLabels and matchExpressions together', () => {
    const selector = {matchLabels: {app: 'a'},
      matchExpressions: [{key: 'tier', operator: 'In', values: ['web', 'api']}, {key: 'legacy',
        operator: 'DoesNotExist'}]};
    expect(matchesLabelSelector(selector, {app: 'a', tier: 'api'})).toBe(true);
    expect(matchesLabelSelector(selector, {app: 'a', tier: 'db'})).toBe(false);
    expect(matchesLabelSelector(selector, {app: 'a', tier: 'web', legacy: 'x'})).toBe(false);
    expect(matchesLabelSelector({matchExpressions: [{key: 'x', operator: 'Bogus'}]}, {x: '1'})).toBe(false);
    expect(matchesLabelSelector(undefined, {})).toBe(true);
  });
});

describe('exportTo', () => {
  it('treats absent and empty as everywhere, dot as the owner, tilde as nobody', () => {
    expect(isExportedTo(undefined, 'a', 'b')).toBe(true);
    expect(isExportedTo([], 'a', 'b')).toBe(true);
    expect(isExportedTo(['.'], 'a', 'a')).toBe(true);
    expect(isExportedTo(['.'], 'a', 'b')).toBe(false);
    expect(isExportedTo(['b', 'c'], 'a', 'c')).toBe(true);
    expect(isExportedTo(['~'], 'a', 'a')).toBe(false);
    expect(isExportedToAll(['.', '*'])).toBe(true);
    expect(isExportedToAll(['.'])).toBe(false);
  });

  it('reads the Service annotation as a comma separated list', () => {
    expect(serviceExportTo({'networking.istio.io/exportTo': '., other ,'})).toEqual(['.', 'other']);
    expect(serviceExportTo(undefined)).toEqual([]);
  });
});

describe('ports and fields', () => {
  const service: KubeObject = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec: {ports: [
    {name: 'http-web', port: 80, targetPort: 8080},
    {port: '53', protocol: 'UDP'},
    {name: 'broken'},
  ]}};

  it('lists Service ports with TCP as the default protocol and skips ports without a number', () => {
    expect(servicePorts(service)).toEqual([
      {name: 'http-web', port: 80, protocol: 'TCP', targetPort: 8080},
      {port: 53, protocol: 'UDP'},
    ]);
  });

  it('reads the protocol from Istio-style port names', () => {
    expect(protocolOfPortName('http-web')).toBe('HTTP');
    expect(protocolOfPortName('http2')).toBe('HTTP2');
    expect(protocolOfPortName('grpc-web-x')).toBe('GRPC-WEB');
    expect(protocolOfPortName('GRPC')).toBe('GRPC');
    expect(protocolOfPortName('web')).toBeUndefined();
    expect(protocolOfPortName('httpx')).toBeUndefined();
  });

  it('reads a port name as Istio does (pkg/config/kube ConvertProtocol), for the analysers and the service config alike', () => {
    // gRPC-Web is told apart before the name is cut at its first hyphen, whatever follows.
    expect(protocolOfPortName('grpc-webx')).toBe('GRPC-WEB');
    expect(protocolOfPortName('GRPC-Web')).toBe('GRPC-WEB');
    expect(protocolOfPortName('http_proxy')).toBe('HTTP_PROXY');
    expect(protocolOfPortName('Mongo-db')).toBe('MONGO');
    // The service config knows fewer protocols: gRPC-Web is gRPC to Istio (IsGRPC), HTTPS none of its own.
    expect(protocolFromPortName('grpc-web')).toBe('grpc');
    expect(protocolFromPortName('grpc-webx')).toBe('grpc');
    expect(protocolFromPortName('http2-api')).toBe('http2');
    expect(protocolFromPortName('https')).toBeUndefined();
  });

  it('reads untyped YAML without throwing', () => {
    expect(asInteger('8080')).toBe(8080);
    expect(asInteger('80a')).toBeUndefined();
    expect(asInteger(1.5)).toBeUndefined();
    expect(asStringMap({a: 'x', b: 1, c: {d: 1}})).toEqual({a: 'x', b: '1'});
    expect(at({a: [1]}, 'a', 'b')).toBeUndefined();
  });
});
