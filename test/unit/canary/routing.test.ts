import {describe, expect, it} from 'vitest';
import {canaryWeightOf, newRoute, routesService, weightedRules,
  type RouteTarget} from '../../../src/core/canary/routing.js';

const istio: RouteTarget = {mesh: 'istio', service: 'reports', namespace: 'sparc'};
const linkerd: RouteTarget = {mesh: 'linkerd', service: 'reports', namespace: 'sparc'};
const PRIMARY = 'reports-primary.sparc.svc.cluster.local';
const CANARY = 'reports-canary.sparc.svc.cluster.local';

describe('Istio VirtualService routes', () => {
  const original = [
    {name: 'by-header', match: [{headers: {'x-beta': {exact: '1'}}}],
      route: [{destination: {host: 'reports.sparc.svc.cluster.local', subset: 'beta'}}]},
    {route: [{destination: {host: 'reports.sparc.svc.cluster.local', port: {number: 8080}}}], timeout: '15s'},
    {route: [{destination: {host: 'other.sparc.svc.cluster.local'}}]},
  ];

  it('splits every destination of the service between the tracks, keeping the rest of the rule; other hosts untouched', () => {
    const rules = weightedRules(original, istio, 30) as typeof original;
    expect(rules[1]).toEqual({timeout: '15s', route: [
      {destination: {host: PRIMARY, port: {number: 8080}}, weight: 70},
      {destination: {host: CANARY, port: {number: 8080}}, weight: 30},
    ]});
    // A subset belongs to the service's host; the track hosts have none.
    expect(rules[0]?.route).toEqual([{destination: {host: PRIMARY}, weight: 70}, {destination: {host: CANARY},
      weight: 30}]);
    expect(rules[2]).toEqual(original[2]);
    expect(canaryWeightOf(rules, istio)).toBe(30);
  });

  it('with a header to match, a rule in front sends matching requests to the canary only', () => {
    const rules = weightedRules([original[1]], istio, 10, {name: 'x-canary', value: 'true'}) as Record<string,
      unknown>[];
    expect(rules).toHaveLength(2);
    expect(rules[0]).toEqual({timeout: '15s', match: [{headers: {'x-canary': {exact: 'true'}}}],
      route: [{destination: {host: CANARY, port: {number: 8080}}, weight: 100}]});
    expect(canaryWeightOf(rules, istio)).toBe(10);
  });

  it('finds the VirtualServices of the service by any spelling of its host', () => {
    const vs = (hosts: string[]) => ({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
      metadata: {name: 'x'}, spec: {hosts}});
    expect(routesService(vs(['reports.sparc.svc.cluster.local']), istio)).toBe(true);
    expect(routesService(vs(['reports']), istio)).toBe(true);
    expect(routesService(vs(['reports.other.svc.cluster.local']), istio)).toBe(false);
  });

  it('weight 0 and 100 are both visible as such', () => {
    expect(canaryWeightOf(weightedRules([original[1]], istio, 0), istio)).toBe(0);
    expect(canaryWeightOf(weightedRules([original[1]], istio, 100), istio)).toBe(100);
    expect(canaryWeightOf(original, istio)).toBeUndefined();
  });
});

describe('Gateway API HTTPRoute rules (Linkerd)', () => {
  const route = newRoute(linkerd, 8080);
  const rules = (route.spec as {rules: unknown[]}).rules;

  it('the route made for a service without one has the Service as parent and backend', () => {
    expect(route).toMatchObject({kind: 'HTTPRoute', metadata: {name: 'reports', namespace: 'sparc'}, spec: {
      parentRefs: [{group: 'core', kind: 'Service', name: 'reports', port: 8080}],
    }});
    expect(routesService(route, linkerd)).toBe(true);
  });

  it('splits the backendRefs naming the service between the track Services by weight', () => {
    expect(weightedRules(rules, linkerd, 25)).toEqual([{backendRefs: [
      {name: 'reports-primary', port: 8080, weight: 75},
      {name: 'reports-canary', port: 8080, weight: 25},
    ]}]);
  });

  it('with a header to match, an Exact header rule to the canary comes first', () => {
    const split = weightedRules(rules, linkerd, 25, {name: 'x-canary', value: 'true'});
    expect(split[0]).toEqual({matches: [{headers: [{type: 'Exact', name: 'x-canary', value: 'true'}]}],
      backendRefs: [{name: 'reports-canary', port: 8080, weight: 1}]});
    expect(canaryWeightOf(split, linkerd)).toBe(25);
  });
});
