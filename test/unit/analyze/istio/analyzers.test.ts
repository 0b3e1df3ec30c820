// Behaviour of A's analysers beyond Istio's grid: the clock-dependent check, and the
// places where we chose our own semantics (see the README of src/core/analyze/istio).
import {describe, expect, it} from 'vitest';
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';
import {analyzeIstio} from '../../../../src/core/analyze/istio/index.js';
import {analyzersA} from '../../../../src/core/analyze/istio/a/index.js';
import {gridCases, gridObjects} from '../istio-b/grid.js';

function entry(object: KubeObject): SourcedObject {
  return {object};
}

function codesOf(objects: SourcedObject[], options: Parameters<typeof analyzeIstio>[1] = {}): string[] {
  return analyzeIstio(objects, {analyzers: analyzersA, ...options}).map((finding) => `${finding.code} ${finding.resource?.name}`).sort();
}

const gateway = (name: string, selector: Record<string, string>, servers: unknown[]): SourcedObject => entry({
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: {name, namespace: 'edge'}, spec: {selector, servers},
});

describe('gateway analysers', () => {
  it('judges certificate expiry only when given a clock', () => {
    const secretCase = gridCases().find((testCase) => testCase.name === 'gatewaySecretValidations')!;
    const expired = gridObjects(secretCase).filter((object) => ['expired-secret', 'defaultgateway-expired'].includes(object.object.metadata.name ?? ''));
    expect(codesOf(expired)).toEqual([]);
    expect(codesOf(expired, {now: new Date('2030-01-01T00:00:00Z')})).toEqual(['IST0161 defaultgateway-expired']);
    expect(codesOf(expired, {now: new Date('2023-03-14T03:00:00Z')})).toEqual([]);
  });

  it('accepts a Gateway port that the workload Service exposes as targetPort', () => {
    const objects = [
      gateway('gw', {app: 'edge'}, [{port: {number: 8443}, hosts: ['*']}]),
      entry({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'edge-1', namespace: 'edge', labels: {app: 'edge'}}}),
      entry({apiVersion: 'v1', kind: 'Service', metadata: {name: 'edge', namespace: 'edge'}, spec: {selector: {app: 'edge'}, ports: [{port: 443, targetPort: 8443}]}}),
    ];
    expect(codesOf(objects)).toEqual([]);
    (objects[2]!.object.spec as {ports: unknown[]}).ports = [{port: 443, targetPort: 9443}];
    expect(codesOf(objects)).toEqual(['IST0162 gw']);
  });

  it('flags Gateways sharing a workload, port and host, but not on different binds', () => {
    const server = (bind?: string) => ({port: {number: 80}, hosts: ['shop.example.com'], ...(bind ? {bind} : {})});
    expect(codesOf([gateway('a', {istio: 'ingressgateway'}, [server()]), gateway('b', {istio: 'ingressgateway'}, [server()])]))
      .toEqual(['IST0145 a', 'IST0145 b']);
    expect(codesOf([gateway('a', {istio: 'ingressgateway'}, [server('10.0.0.1')]), gateway('b', {istio: 'ingressgateway'}, [server('10.0.0.2')])]))
      .toEqual([]);
  });
});

describe('EnvoyFilter analyser', () => {
  const filter = (operation: string, applyTo: string, priority?: number) => entry({
    apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: {name: 'f', namespace: 'shop'},
    spec: {...(priority === undefined ? {} : {priority}), configPatches: [{applyTo, patch: {operation, value: {name: 'x'}}}]},
  });

  it('warns about order-dependent patches unless a priority is set; MERGE is not one of them', () => {
    expect(codesOf([filter('INSERT_BEFORE', 'HTTP_FILTER')])).toEqual(['IST0151 f']);
    expect(codesOf([filter('INSERT_BEFORE', 'HTTP_FILTER', 10)])).toEqual([]);
    expect(codesOf([filter('MERGE', 'CLUSTER')])).toEqual([]);
    expect(codesOf([filter('REPLACE', 'CLUSTER', 10)])).toEqual(['IST0152 f']);
  });
});

describe('VirtualService rule reachability', () => {
  const vs = (http: unknown[]) => entry({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'v', namespace: 'shop'}, spec: {hosts: ['a'], http}});
  const route = [{destination: {host: 'a'}}];

  it('sees a longer prefix after a shorter one as shadowed, but not an exact match', () => {
    const shadowed = vs([{match: [{uri: {prefix: '/api'}}], route}, {match: [{uri: {prefix: '/api/v1'}, method: {exact: 'GET'}}], route}]);
    expect(codesOf([shadowed]).filter((code) => code.startsWith('IST013'))).toEqual(['IST0131 v']);
    const exact = vs([{match: [{uri: {prefix: '/'}}], route}, {match: [{uri: {exact: '/'}}], route}]);
    expect(codesOf([exact]).filter((code) => code.startsWith('IST013'))).toEqual([]);
  });
});
