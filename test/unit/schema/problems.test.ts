import {describe, expect, it} from 'vitest';
import {formatPath, problemsOf, type ValidatorError} from '../../../src/core/schema/problems.js';
import {withoutNullFields} from '../../../src/core/schema/index.js';

const ref = {apiVersion: 'v1', kind: 'ConfigMap', name: 'c'};

describe('formatPath', () => {
  const object = {spec: {http: [{route: [{weight: 1}]}]},
    metadata: {labels: {'app.kubernetes.io/name': 'x', '0': 'zero'}}};

  it('indexes arrays, dots plain keys and quotes the rest', () => {
    expect(formatPath(object, ['spec', 'http', '0', 'route', '0', 'weight'])).toBe('spec.http[0].route[0].weight');
    expect(formatPath(object, ['metadata', 'labels', 'app.kubernetes.io/name'])).toBe(
      'metadata.labels["app.kubernetes.io/name"]',
    );
    // A numeric key of an object is a key, not an index.
    expect(formatPath(object, ['metadata', 'labels', '0'])).toBe('metadata.labels["0"]');
    expect(formatPath(object, [])).toBe('');
  });
});

describe('problemsOf', () => {
  it('reads JSON pointers, escaped keys included', () => {
    const errors: ValidatorError[] = [{instancePath: '/data/a~1b', schemaPath: '#/additionalProperties/type',
      keyword: 'type', params: {type: 'string'}}];
    expect(problemsOf(errors, {data: {'a/b': 1}}, ref)).toEqual([{type: 'invalid', object: ref, path: 'data["a/b"]',
      field: ['data', 'a/b'], rule: 'type', message: 'must be a string, got number 1'}]);
  });

  it('gives the field as keys and positions: the offending field, or for a missing one its parent', () => {
    const object = {spec: {ports: [{port: 80, protocl: 'TCP'}]}};
    const errors: ValidatorError[] = [
      {instancePath: '/spec/ports/0', schemaPath: '#/additionalProperties', keyword: 'additionalProperties',
        params: {additionalProperty: 'protocl'}},
      {instancePath: '/spec/ports/0', schemaPath: '#/required', keyword: 'required', params: {missingProperty: 'name'}},
    ];
    expect(problemsOf(errors, object, ref).map(({path, field}) => ({path, field}))).toEqual([
      {path: 'spec.ports[0].protocl', field: ['spec', 'ports', 0, 'protocl']},
      {path: 'spec.ports[0].name', field: ['spec', 'ports', 0]},
    ]);
  });

  it('keeps a failed oneOf and drops the complaints of its branches', () => {
    const errors: ValidatorError[] = [
      {instancePath: '/spec', schemaPath: '#/oneOf/0/required', keyword: 'required', params: {missingProperty: 'a'}},
      {instancePath: '/spec', schemaPath: '#/oneOf/1/required', keyword: 'required', params: {missingProperty: 'b'}},
      {instancePath: '/spec', schemaPath: '#/oneOf', keyword: 'oneOf', params: {passingSchemas: null}},
      {instancePath: '/spec/c', schemaPath: '#/properties/c/type', keyword: 'type', params: {type: 'integer'}},
    ];
    expect(problemsOf(errors, {spec: {c: 'x'}}, ref).map(({path, rule}) => `${path} ${rule}`)).toEqual(['spec one-of',
      'spec.c type']);
  });

  it('names the missing field in the path', () => {
    const errors: ValidatorError[] = [{instancePath: '/spec/ports/0', schemaPath: '#/required', keyword: 'required',
      params: {missingProperty: 'port'}}];
    expect(problemsOf(errors, {spec: {ports: [{}]}}, ref)[0]).toMatchObject({path: 'spec.ports[0].port',
      message: 'missing required field "port"'});
  });
});

describe('withoutNullFields', () => {
  it('drops null fields at any depth, keeps null array items, copies only what changes', () => {
    const untouched = {b: [1, 2]};
    const object = {a: null, nested: {x: null, y: 1}, list: [null, {z: null}], untouched};
    const cleaned = withoutNullFields(object);
    expect(cleaned).toEqual({nested: {y: 1}, list: [null, {}], untouched});
    expect(cleaned.untouched).toBe(untouched);
    expect(object.a).toBeNull();
  });

  it('returns the very object when there is nothing to drop', () => {
    const object = {a: {b: [1, {c: 'd'}]}};
    expect(withoutNullFields(object)).toBe(object);
  });
});
