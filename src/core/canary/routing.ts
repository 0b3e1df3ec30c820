// Traffic between the two tracks of a canary. Istio: the destinations of the service's
// VirtualService routes that go to the service are split between the hosts NAME-primary and
// NAME-canary by weight. Linkerd (Gateway API, GAMMA): the backendRefs of the service's
// HTTPRoutes that name the service are split between the Services NAME-primary and
// NAME-canary. With a header to match, a first rule sends every matching request to the
// canary. The routes' original rules are kept by the caller and put back at the end.
import type {Mesh} from '../config/types.js';
import type {KubeObject} from '../objects.js';
import {isRecord} from '../record.js';
import {trackServiceName} from './workload.js';

export interface HeaderMatch {
  name: string;
  value: string;
}

export interface RouteTarget {
  mesh: Mesh;
  service: string;
  namespace: string;
}

/** What a route kind is, per mesh: where its rules live and how it is made when the service has none. */
export const ROUTE_KIND: Record<Mesh, {apiVersion: string; kind: string; rulesField: 'http' | 'rules'}> = {
  istio: {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', rulesField: 'http'},
  linkerd: {apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', rulesField: 'rules'},
};

function serviceHosts({service, namespace}: RouteTarget): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`];
}

/** Whether a live route object is one of the service's: a VirtualService for its host, an HTTPRoute whose parent is its Service. */
export function routesService(route: KubeObject, target: RouteTarget): boolean {
  const spec = isRecord(route.spec) ? route.spec : {};
  if (target.mesh === 'istio') {
    const hosts = Array.isArray(spec.hosts) ? spec.hosts : [];
    return hosts.some((host) => serviceHosts(target).includes(String(host)));
  }
  const parents = Array.isArray(spec.parentRefs) ? spec.parentRefs as Record<string, unknown>[] : [];
  return parents.some((parent) =>
    parent.kind === 'Service' && parent.name === target.service
    && (parent.namespace === undefined || parent.namespace === target.namespace)
  );
}

/** A route for a service that has none: everything to the service, rewritten by weights from then on. */
export function newRoute(target: RouteTarget, port: number): KubeObject {
  const {apiVersion, kind} = ROUTE_KIND[target.mesh];
  const metadata = {name: target.service, namespace: target.namespace,
    labels: {'app.kubernetes.io/managed-by': 'sparc-mesh'}};
  const host = serviceHosts(target)[3]!;
  if (target.mesh === 'istio') {
    return {apiVersion, kind, metadata,
      spec: {hosts: [target.service], http: [{route: [{destination: {host, port: {number: port}}}]}]}};
  }
  return {apiVersion, kind, metadata, spec: {
    parentRefs: [{group: 'core', kind: 'Service', name: target.service, port}],
    rules: [{backendRefs: [{name: target.service, port}]}],
  }};
}

const trackHost = (target: RouteTarget, track: 'primary' | 'canary') =>
  `${trackServiceName(target.service, track)}.${target.namespace}.svc.cluster.local`;

function splitIstioRoute(rule: Record<string, unknown>, target: RouteTarget, weight: number,
  only?: 'canary'): Record<string, unknown>
{
  const destinations = Array.isArray(rule.route) ? rule.route as Record<string, unknown>[] : [];
  const hosts = serviceHosts(target);
  const split = destinations.flatMap((entry) => {
    const destination = isRecord(entry.destination) ? entry.destination : {};
    if (!hosts.includes(String(destination.host))) return [entry];
    const {subset: _subset, ...rest} = destination;
    const share = typeof entry.weight === 'number' ? entry.weight : 100;
    const tracks = [{track: 'primary' as const, weight: Math.round(share * (100 - weight) / 100)}, {
      track: 'canary' as const,
      weight: Math.round(share * weight / 100),
    }].filter((t) => !only || t.track === only);
    return tracks.map((t) => ({...entry, destination: {...rest, host: trackHost(target, t.track)},
      weight: only ? share : t.weight})
    );
  });
  return {...rule, route: split};
}

function splitGatewayRule(rule: Record<string, unknown>, target: RouteTarget, weight: number,
  only?: 'canary'): Record<string, unknown>
{
  const backends = Array.isArray(rule.backendRefs) ? rule.backendRefs as Record<string, unknown>[] : [];
  const split = backends.flatMap((backend) => {
    const core = backend.group === undefined || backend.group === '' || backend.group === 'core';
    const isService = (backend.kind === undefined || backend.kind === 'Service') && core;
    if (!isService || backend.name !== target.service
      || (backend.namespace !== undefined && backend.namespace !== target.namespace))
    {
      return [backend];
    }
    const share = typeof backend.weight === 'number' ? backend.weight : 1;
    const tracks = [{track: 'primary' as const, weight: Math.round(share * (100 - weight))}, {track: 'canary' as const,
      weight: Math.round(share * weight)}].filter((t) => !only || t.track === only);
    return tracks.map((t) => ({...backend, name: trackServiceName(target.service, t.track),
      weight: only ? share : t.weight})
    );
  });
  return {...rule, backendRefs: split};
}

function headerRule(rule: Record<string, unknown>, mesh: Mesh, match: HeaderMatch): Record<string, unknown> {
  if (mesh === 'istio') {
    const {match: _match, ...rest} = rule;
    return {...rest, match: [{headers: {[match.name]: {exact: match.value}}}]};
  }
  const {matches: _matches, ...rest} = rule;
  return {...rest, matches: [{headers: [{type: 'Exact', name: match.name, value: match.value}]}]};
}

/**
 * The rules of one route with the canary at `weight` percent of what went to the service;
 * with `match`, the first rule that reaches the service is copied in front of it, matching
 * the header and sending everything to the canary.
 */
export function weightedRules(original: readonly unknown[], target: RouteTarget, weight: number,
  match?: HeaderMatch): unknown[]
{
  const split = target.mesh === 'istio' ? splitIstioRoute : splitGatewayRule;
  const rules = original.map((rule) => (isRecord(rule) ? split(rule, target, weight) : rule));
  const first = original.findIndex((rule, index) => JSON.stringify(rules[index]) !== JSON.stringify(rule));
  if (!match || first === -1) return rules;
  const matched = headerRule(split(original[first] as Record<string, unknown>, target, weight, 'canary'), target.mesh,
    match);
  return [...rules.slice(0, first), matched, ...rules.slice(first)];
}

/** Each track's share of the first rule that splits traffic between them (the header rule sends to the canary only). */
function trackWeights(rule: Record<string, unknown>, target: RouteTarget): {primary: number; canary: number} {
  const entries = target.mesh === 'istio' ? rule.route : rule.backendRefs;
  const weights = {primary: 0, canary: 0};
  for (const entry of Array.isArray(entries) ? entries as Record<string, unknown>[] : []) {
    const name = target.mesh === 'istio' && isRecord(entry.destination) ? entry.destination.host : entry.name;
    const weight = typeof entry.weight === 'number' ? entry.weight : target.mesh === 'istio' ? 100 : 1;
    for (const track of ['primary', 'canary'] as const) {
      const trackName = target.mesh === 'istio' ? trackHost(target, track) : trackServiceName(target.service, track);
      if (name === trackName) weights[track] += weight;
    }
  }
  return weights;
}

/** The canary's percentage in a route's rules as last set; undefined when no rule splits traffic between the tracks. */
export function canaryWeightOf(rules: readonly unknown[], target: RouteTarget): number | undefined {
  for (const rule of rules) {
    if (!isRecord(rule)) continue;
    const {primary, canary} = trackWeights(rule, target);
    if (primary > 0 || (canary > 0 && primary === 0 && !('match' in rule) && !('matches' in rule))) {
      return Math.round(100 * canary / (primary + canary));
    }
  }
  return undefined;
}
