import {describe, expect, it} from 'vitest';
import {parseManifests} from '../../src/core/manifests.js';

describe('parseManifests', () => {
  it('keeps each document start line and reads lists', () => {
    const text = ['# header', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', '', 'apiVersion: v1', 'kind: List', 'items:', '- {apiVersion: v1, kind: Service, metadata: {name: b}}'].join('\n');
    const result = parseManifests(text, 'f.yaml');
    expect(result.objects.map((o) => [o.object.metadata.name, o.source?.line])).toEqual([['a', 2], ['b', 7]]);
  });

  it('reads YAML as the API server does: dates stay strings, merge keys merge', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {day: 2024-01-01}\nx: &base {p: 1}\ny: {<<: *base, q: 2}\n';
    const object = parseManifests(text, 'f.yaml').objects[0]?.object as Record<string, unknown>;
    expect(object.data).toEqual({day: '2024-01-01'});
    expect(object.y).toEqual({p: 1, q: 2});
  });

  it('reports a syntax error with its line and still reads the other documents', () => {
    const text = 'apiVersion: v1\nkind: A\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: [unclosed\nmetadata: {}\n';
    const result = parseManifests(text, 'f.yaml');
    expect(result.objects).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({file: 'f.yaml'});
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(6);
  });

  it('skips non-Kubernetes documents without error', () => {
    const result = parseManifests('name: chart-values\nreplicas: 2\n', 'values.yaml');
    expect(result).toMatchObject({objects: [], errors: [], skipped: 1});
  });
});
