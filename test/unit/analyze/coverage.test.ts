// Which missing objects partial input may report: only where it holds objects of that kind
// in that namespace; complete input reports all.
import {describe, expect, it} from 'vitest';
import {ANY_KIND, coverageOf, withinCoverage} from '../../../src/core/analyze/coverage.js';
import type {Finding} from '../../../src/core/analyze/types.js';
import type {KubeObject, SourcedObject} from '../../../src/core/objects.js';

const held = (apiVersion: string, kind: string, namespace?: string): SourcedObject => {
  const object: KubeObject = {apiVersion, kind,
    metadata: namespace === undefined ? {name: 'x'} : {name: 'x', namespace}};
  return {object};
};

describe('coverageOf', () => {
  const objects = [held('apps/v1', 'Deployment', 'shop'), held('v1', 'Service', 'shop'), held('v1', 'Namespace'),
    held('v1', 'ConfigMap')];

  it('covers everything when the input is complete', () => {
    const covers = coverageOf([], false);
    expect(covers({kind: 'Service', namespace: 'anywhere'})).toBe(true);
    expect(covers({kind: ANY_KIND, namespace: 'anywhere'})).toBe(true);
  });

  it('covers a kind in a namespace where the partial input holds one there, or anywhere for cluster-wide conclusions', () => {
    const covers = coverageOf(objects, true);
    expect(covers({kind: 'Service', namespace: 'shop'})).toBe(true);
    expect(covers({kind: 'Service', namespace: 'cart'})).toBe(false);
    expect(covers({kind: 'Service'})).toBe(true);
    expect(covers({kind: 'Secret'})).toBe(false);
    // Objects without a namespace in the YAML are held in the namespace `kubectl apply -n` picks: ''.
    expect(covers({kind: 'ConfigMap', namespace: ''})).toBe(true);
  });

  it('counts pod-template controllers as pods, and keeps their own kind', () => {
    const covers = coverageOf(objects, true);
    expect(covers({kind: 'Pod', namespace: 'shop'})).toBe(true);
    expect(covers({kind: 'Pod'})).toBe(true);
    expect(covers({kind: 'Deployment', namespace: 'shop'})).toBe(true);
    expect(coverageOf([held('v1', 'Service', 'shop')], true)({kind: 'Pod'})).toBe(false);
    // A Deployment of another API group is not a pod template.
    expect(coverageOf([held('example.com/v1', 'Deployment', 'shop')], true)({kind: 'Pod'})).toBe(false);
  });

  it("holds a namespace's objects where it holds any of them but its Namespace object", () => {
    const covers = coverageOf([held('v1', 'Namespace'), held('v1', 'Service', 'shop')], true);
    expect(covers({kind: ANY_KIND, namespace: 'shop'})).toBe(true);
    expect(
      coverageOf([{object: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'lonely'}}}], true)({kind: ANY_KIND,
        namespace: 'lonely'}),
    ).toBe(false);
  });
});

describe('withinCoverage', () => {
  it('keeps findings that conclude nothing is missing, and those whose absence the input covers', () => {
    const finding = (name: string, absent?: Finding['absent']): Finding => ({code: 'X', severity: 'error',
      message: name, ...absent ? {absent} : {}});
    const kept = withinCoverage([finding('plain'), finding('covered', {kind: 'Service', namespace: 'shop'}),
      finding('unknown', {kind: 'Service', namespace: 'cart'})], coverageOf([held('v1', 'Service', 'shop')], true));
    expect(kept.map((entry) => entry.message)).toEqual(['plain', 'covered']);
  });
});
