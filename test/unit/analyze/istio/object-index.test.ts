import {describe, expect, it} from 'vitest';
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';
import {indexObjects, withObjects, type ObjectIndex} from '../../../../src/core/analyze/istio/query/object-index.js';

function obj(kind: string, name: string, namespace: string, labels: Record<string, string> = {},
  apiVersion = 'v1'): SourcedObject
{
  const object: KubeObject = {apiVersion, kind, metadata: {name, namespace, labels}};
  return {object};
}

const base = [
  obj('Pod', 'web-1', 'shop', {app: 'web'}),
  obj('Pod', 'gw', 'istio-system', {istio: 'ingressgateway'}),
  obj('Service', 'web', 'shop'),
  obj('Gateway', 'public', 'shop', {}, 'networking.istio.io/v1'),
  obj('Gateway', 'public', 'shop', {}, 'gateway.networking.k8s.io/v1'),
];
const added = [
  obj('Pod', 'standin', 'istio-system', {istio: 'ingressgateway'}),
  obj('Service', 'istio-ingressgateway', 'istio-system'),
  obj('Pod', 'other', 'edge', {app: 'web'}),
];

/** Every question the analysers ask of an index, with the answers as object names in order. */
function answers(index: ObjectIndex): unknown {
  const names = (list: SourcedObject[]) => list.map(({object}) => `${object.kind}/${object.metadata.name}`);
  const lookup = index.lookup;
  return {
    objects: names([...index.objects]),
    byKind: ['Pod', 'Service', 'Gateway'].map((kind) => names(index.byKind(kind))),
    byKindAndGroup: names(index.byKind('Gateway', 'networking.istio.io')),
    get: [lookup.get('Service', 'istio-system', 'istio-ingressgateway', ''), lookup.get('Pod', 'shop', 'web-1'),
      lookup.get('Gateway', 'shop', 'public', 'gateway.networking.k8s.io')].map((found) => found?.object.apiVersion),
    inNamespace: ['shop', 'istio-system', 'edge'].map((namespace) => names(lookup.inNamespace('Pod', namespace))),
    namespaces: lookup.namespaces(),
    podsMatching: [
      names(lookup.podsMatching('istio-system', {istio: 'ingressgateway'})),
      names(lookup.podsMatching(undefined, {app: 'web'})),
      names(lookup.podsMatching(undefined, {})),
    ],
  };
}

describe('withObjects', () => {
  it('answers as one index of the base objects followed by the added ones', () => {
    const layered = withObjects(indexObjects(base), added);
    const whole = indexObjects([...base, ...added]);
    expect(answers(layered)).toEqual(answers(whole));
    // Asked twice, the layered answers stay the same (they are kept).
    expect(answers(layered)).toEqual(answers(whole));
    expect(layered.lookup.namespaces()).toEqual(['edge', 'istio-system', 'shop']);
  });

  it('is the base index itself when nothing is added', () => {
    const index = indexObjects(base);
    expect(withObjects(index, [])).toBe(index);
  });
});
