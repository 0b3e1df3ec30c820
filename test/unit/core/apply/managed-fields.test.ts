import {describe, expect, it} from 'vitest';
import {appliedFields, difference, extract, intersect, othersFields, restoreConfig, union,
  type FieldSet} from '../../../../src/core/apply/managed-fields.js';
import type {KubeObject} from '../../../../src/core/objects.js';

const policy = (ports: number[], labels: Record<string, string>, managedFields: unknown[]): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {name: 'pay', namespace: 'sparc', labels, resourceVersion: '7', uid: 'u1', managedFields},
  spec: {podSelector: {matchLabels: {app: 'pay'}}, ingress: [{ports: ports.map((port) => ({protocol: 'TCP', port}))}],
    policyTypes: ['Ingress']},
});

const entry = (manager: string, fieldsV1: FieldSet, operation = 'Apply') => ({manager, operation,
  apiVersion: 'networking.k8s.io/v1', fieldsType: 'FieldsV1', fieldsV1});

describe('field sets', () => {
  const a: FieldSet = {'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}}, 'f:spec': {'f:replicas': {}}};
  const b: FieldSet = {'f:metadata': {'f:labels': {'f:team': {}}}, 'f:spec': {'f:replicas': {}, 'f:paused': {}}};

  it('union keeps every field of both; a leaf absorbs a finer set', () => {
    expect(union(a, b)).toEqual({'f:metadata': {'f:labels': {'.': {}, 'f:app': {}, 'f:team': {}}},
      'f:spec': {'f:replicas': {}, 'f:paused': {}}});
    expect(union({'f:spec': {}}, {'f:spec': {'f:x': {}}})).toEqual({'f:spec': {}});
  });

  it('intersect keeps what both hold, and drops emptied branches', () => {
    expect(intersect(a, b)).toEqual({'f:spec': {'f:replicas': {}}});
  });

  it('difference keeps what only the first holds', () => {
    expect(difference(b, a)).toEqual({'f:metadata': {'f:labels': {'f:team': {}}}, 'f:spec': {'f:paused': {}}});
    expect(difference(a, {'f:metadata': {}})).toEqual({'f:spec': {'f:replicas': {}}});
  });
});

describe('extract', () => {
  it('takes map fields, leaves whole, and only the owned keys', () => {
    const object = {metadata: {labels: {app: 'pay', team: 'x'}},
      spec: {selector: {matchLabels: {app: 'pay'}}, replicas: 2}};
    expect(extract(object, {'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}}, 'f:spec': {'f:selector': {}}}))
      .toEqual({metadata: {labels: {app: 'pay'}}, spec: {selector: {matchLabels: {app: 'pay'}}}});
  });

  it('finds list items by merge key (keys kept), by set value and by index', () => {
    const containers = [{name: 'app', image: 'a:1', ports: [80]}, {name: 'sidecar', image: 's:1'}];
    expect(extract(containers, {'k:{"name":"sidecar"}': {'.': {}, 'f:image': {}}})).toEqual([{name: 'sidecar',
      image: 's:1'}]);
    expect(extract(['a', 'b', 'c'], {'v:"c"': {}, 'v:"a"': {}})).toEqual(['a', 'c']);
    expect(extract(['a', 'b'], {'i:1': {}})).toEqual(['b']);
  });

  it('ignores owned fields the object no longer has', () => {
    expect(extract({spec: {}}, {'f:spec': {'f:gone': {}}})).toEqual({spec: {}});
  });
});

describe('restoreConfig', () => {
  const mine = {'f:metadata': {'f:labels': {'f:app.kubernetes.io/managed-by': {}}},
    'f:spec': {'f:ingress': {}, 'f:podSelector': {}, 'f:policyTypes': {}}};

  it('re-applies the fields sparc-mesh owned before, with their values from before', () => {
    const before = policy([8080], {'app.kubernetes.io/managed-by': 'sparc-mesh', team: 'x'}, [entry('sparc-mesh', mine),
      entry('kubectl-label', {'f:metadata': {'f:labels': {'f:team': {}}}}, 'Update')]);
    const after = policy([9090], {'app.kubernetes.io/managed-by': 'sparc-mesh', team: 'x'},
      before.metadata.managedFields as unknown[]);
    expect(restoreConfig(before, after, 'sparc-mesh')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {name: 'pay', namespace: 'sparc', labels: {'app.kubernetes.io/managed-by': 'sparc-mesh'}},
      spec: {podSelector: {matchLabels: {app: 'pay'}}, ingress: [{ports: [{protocol: 'TCP', port: 8080}]}],
        policyTypes: ['Ingress']},
    });
  });

  it('is the bare identity when sparc-mesh owned nothing before, so the apply releases all it took', () => {
    const others = entry('kubectl', {'f:spec': {'f:podSelector': {}}});
    const before = policy([8080], {}, [others]);
    const after = policy([8080], {}, [others, entry('sparc-mesh', {'f:spec': {'f:ingress': {}}})]);
    expect(restoreConfig(before, after, 'sparc-mesh')).toEqual({apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy', metadata: {name: 'pay', namespace: 'sparc'}});
  });

  it('puts back the value of a field taken from another manager by force', () => {
    const before = policy([8080], {}, [entry('other', {'f:spec': {'f:ingress': {}, 'f:podSelector': {}}})]);
    const after = policy([9090], {}, [entry('other', {'f:spec': {'f:podSelector': {}}}),
      entry('sparc-mesh', {'f:spec': {'f:ingress': {}, 'f:podSelector': {}}})]);
    expect(restoreConfig(before, after, 'sparc-mesh').spec).toEqual({
      ingress: [{ports: [{protocol: 'TCP', port: 8080}]}],
    });
  });

  it('reads ownership from Apply entries of the main resource only', () => {
    const object = policy([1], {}, [entry('sparc-mesh', {'f:spec': {'f:a': {}}}),
      entry('sparc-mesh', {'f:spec': {'f:b': {}}}, 'Update'), {...entry('sparc-mesh', {'f:status': {}}),
      subresource: 'status'}]);
    expect(appliedFields(object, 'sparc-mesh')).toEqual({'f:spec': {'f:a': {}}});
    expect(othersFields(object, 'sparc-mesh')).toEqual({'f:spec': {'f:b': {}}});
  });
});
