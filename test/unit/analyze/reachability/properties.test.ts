// Properties over generated clusters (seeded, so a failure reproduces): policies that allow
// nothing can only take reachability away, never add to it, in every layer.
import {describe, expect, it} from 'vitest';
import {buildReachability} from '../../../../src/core/analyze/reachability/index.js';
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';

/** mulberry32: a small deterministic PRNG. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const NAMESPACES = ['a', 'b'];
const APPS = ['web', 'api', 'db', 'cache'];

function generate(seed: number): KubeObject[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const objects: KubeObject[] = [];
  const mtls = pick(['STRICT', 'PERMISSIVE', 'DISABLE']);
  objects.push({apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication',
    metadata: {name: 'default', namespace: 'istio-system'}, spec: {mtls: {mode: mtls}}});
  for (const namespace of NAMESPACES) {
    objects.push({apiVersion: 'v1', kind: 'Namespace',
      metadata: {name: namespace, labels: {team: namespace, 'istio-injection': pick(['enabled', 'disabled'])}}});
    for (const app of APPS.filter(() => next() < 0.75)) {
      objects.push(
        {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: app, namespace},
          spec: {
            template: {metadata: {labels: {app}},
              spec: {serviceAccountName: app,
                containers: [{name: 'main', ports: [{name: 'http', containerPort: 8080}]}]}},
          }},
        {apiVersion: 'v1', kind: 'Service', metadata: {name: app, namespace},
          spec: {selector: {app}, ports: [{name: 'http', port: 80, targetPort: 'http'}]}},
      );
      if (next() < 0.5) {
        const caller = pick(APPS);
        const peer = next() < 0.5
          ? {podSelector: {matchLabels: {app: caller}}}
          : {namespaceSelector: {matchLabels: {team: pick(NAMESPACES)}}};
        objects.push({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
          metadata: {name: `${app}-in`, namespace},
          spec: {podSelector: {matchLabels: {app}}, ingress: [{from: [peer]}]}});
      }
      if (next() < 0.5) {
        const principal = `cluster.local/ns/${pick(NAMESPACES)}/sa/${pick(APPS)}`;
        const action = pick(['ALLOW', 'ALLOW', 'DENY']);
        objects.push({apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy',
          metadata: {name: `${app}-${action.toLowerCase()}`, namespace},
          spec: {selector: {matchLabels: {app}}, action, rules: [{from: [{source: {principals: [principal]}}]}]}});
      }
    }
  }
  return objects;
}

/** Namespace-wide default deny: ingress NetworkPolicy and allow-nothing AuthorizationPolicy. */
function denyEverything(): KubeObject[] {
  return NAMESPACES.flatMap((namespace) => [
    {apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: 'zz-deny', namespace},
      spec: {podSelector: {}, policyTypes: ['Ingress']}},
    {apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: {name: 'zz-deny', namespace}, spec: {}},
  ]);
}

const sourced = (objects: KubeObject[]): SourcedObject[] => objects.map((object) => ({object}));

function allowed(objects: KubeObject[]): Set<string> {
  const model = buildReachability(sourced(objects));
  return new Set(
    model.edges.filter((edge) => edge.verdict !== 'deny').map((edge) => `${edge.from}->${edge.to}:${edge.port}`),
  );
}

describe('reachability properties', () => {
  const seeds = Array.from({length: 40}, (_, index) => index + 1);

  it.each(seeds)('seed %i: allow-nothing policies never add a reachable pair', (seed) => {
    const objects = generate(seed);
    const before = allowed(objects);
    const after = allowed([...objects, ...denyEverything()]);
    for (const pair of after) expect(before).toContain(pair);
  });

  it('is not vacuous: the generated clusters have reachable pairs that default deny removes', () => {
    const before = seeds.reduce((sum, seed) => sum + allowed(generate(seed)).size, 0);
    const after = seeds.reduce((sum, seed) => sum + allowed([...generate(seed), ...denyEverything()]).size, 0);
    expect(before).toBeGreaterThan(100);
    expect(after).toBeLessThan(before);
    // Some pairs survive: the generated allow rules are what keeps them.
    expect(after).toBeGreaterThan(0);
  });

  it.each(seeds)('seed %i: default deny in both layers leaves nothing reachable unless a rule allows it', (seed) => {
    const objects = generate(seed).filter((object) => object.kind !== 'NetworkPolicy');
    expect(allowed([...objects, ...denyEverything()]).size).toBe(0);
  });
});
