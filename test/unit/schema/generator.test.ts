// The generator's conversion rules, on small hand-made schemas (the real CRDs are covered by check.test.ts).
import {describe, expect, it} from 'vitest';
import {converter, type Dialect, type SchemaNode} from '../../../scripts/schemas/openapi.js';
import {readCrds} from '../../../scripts/schemas/crds.js';

function convert(schema: unknown, dialect: Dialect = 'crd') {
  const c = converter({dialect, ref: (r) => `defs.json#/${r.split('/').pop()}`, objectMetaRef: 'defs.json#/ObjectMeta',
    where: 'test'});
  return {schema: c.node(schema, 'root', true), stats: c.stats};
}

describe('OpenAPI → JSON Schema', () => {
  it('closes declared objects unless they preserve unknown fields', () => {
    expect(convert({type: 'object', properties: {a: {type: 'string'}}}).schema).toEqual({type: 'object',
      properties: {a: {type: 'string'}}, additionalProperties: false});
    expect(
      convert({type: 'object', properties: {a: {type: 'string'}}, 'x-kubernetes-preserve-unknown-fields': true}).schema,
    ).toEqual({type: 'object', properties: {a: {type: 'string'}}});
  });

  it('a CRD object without fields holds nothing; a built-in one holds any JSON', () => {
    expect(convert({type: 'object'}, 'crd').schema).toEqual({type: 'object', additionalProperties: false});
    expect(convert({type: 'object'}, 'builtin').schema).toEqual({type: 'object'});
  });

  it('does not close value constraints inside oneOf/anyOf/not', () => {
    const {schema} = convert({type: 'object', properties: {a: {type: 'string'}},
      anyOf: [{properties: {a: {enum: ['x']}}}]});
    expect(schema.anyOf).toEqual([{properties: {a: {enum: ['x']}}}]);
  });

  it('int-or-string, nullable, OpenAPI 3.0 exclusive bounds, list-type set', () => {
    expect(
      convert({'x-kubernetes-int-or-string': true, anyOf: [{type: 'integer'}, {type: 'string'}], pattern: '^\\d+%?$'})
        .schema,
    )
      .toEqual({type: ['integer', 'string'], pattern: '^\\d+%?$'});
    expect(convert({type: 'string', nullable: true, enum: ['a']}).schema).toEqual({type: ['string', 'null'],
      enum: ['a', null]});
    expect(convert({type: 'integer', minimum: 0, exclusiveMinimum: true}).schema).toEqual({type: 'integer',
      exclusiveMinimum: 0});
    expect(convert({type: 'array', items: {type: 'string'}, 'x-kubernetes-list-type': 'set'}).schema).toEqual({
      type: 'array',
      items: {type: 'string'},
      uniqueItems: true,
    });
  });

  it('embedded resources need apiVersion and kind and carry an ObjectMeta', () => {
    const {schema} = convert({type: 'object', 'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true});
    expect(schema).toEqual({type: 'object',
      properties: {apiVersion: {type: 'string'}, kind: {type: 'string'}, metadata: {$ref: 'defs.json#/ObjectMeta'}},
      required: ['apiVersion', 'kind']});
  });

  it('checks only the formats the API server checks, and counts the rest', () => {
    const {schema, stats} = convert({type: 'object', properties: {
      a: {type: 'string', format: 'date-time'},
      b: {type: 'integer', format: 'int32'},
      c: {type: 'string', format: 'url'},
    }, 'x-kubernetes-validations': [{rule: 'self.a != ""'}, {rule: 'true'}]});
    expect((schema.properties as Record<string, SchemaNode>).a).toEqual({type: 'string', format: 'date-time'});
    expect((schema.properties as Record<string, SchemaNode>).b).toEqual({type: 'integer'});
    expect(stats).toEqual({ignoredFormats: {int32: 1, url: 1}});
    expect(convert({type: 'integer', format: 'int32'}, 'builtin').schema).toEqual({type: 'integer', format: 'int32'});
  });

  it('turns Istio\'s "at most one of" and "exactly one of" oneOf into a keyword that names the fields', () => {
    const required = (field: string) => ({required: [field]});
    const atMost = convert({type: 'object', properties: {a: {type: 'string'}, b: {type: 'string'}},
      oneOf: [{not: {anyOf: [required('a'), required('b')]}}, required('a'), required('b')]});
    expect(atMost.schema.oneOf).toBeUndefined();
    expect(atMost.schema.oneOfFields).toEqual({fields: ['a', 'b'], atMostOne: true});
    expect(convert({oneOf: [required('a'), required('b')]}).schema.oneOfFields).toEqual({fields: ['a', 'b'],
      atMostOne: false});
    // A oneOf whose `not` names other fields is not the pattern: kept as it is.
    expect(convert({oneOf: [{not: {anyOf: [required('c')]}}, required('a')]}).schema.oneOf).toHaveLength(2);
  });

  it('fails loudly on a keyword it does not know', () => {
    expect(() => convert({type: 'object', properties: {a: {type: 'string', 'x-new-thing': 1}}})).toThrow(
      'test: root.a: unknown schema keyword "x-new-thing"',
    );
  });
});

describe('CRDs', () => {
  const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
  - name: v0
    served: false
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: not-a-crd}
`;
  const source = {module: 'example.com/widgets@v1.0.0', path: 'crds.yaml'};

  it('one schema per served version, with apiVersion/kind pinned and metadata an ObjectMeta', () => {
    const {kinds} = readCrds(crd, 'istio', source);
    expect(kinds.map((k) => `${k.group}/${k.version}/${k.kind}`)).toEqual(['example.com/v1/Widget']);
    const schema = kinds[0]!.schema;
    expect(JSON.stringify(schema)).toContain('"const":"example.com/v1"');
    expect(JSON.stringify(schema)).toContain('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    // Objects are moved to definitions so that Ajv emits one function each.
    expect(Object.keys(schema.definitions as object)).toEqual(['spec']);
  });

  it('a served version without a schema is an error', () => {
    expect(() => readCrds(crd.replace('served: false', 'served: true'), 'istio', source)).toThrow(
      /v0 Widget: served version without a schema/,
    );
  });

  it('a file that is not YAML is an error naming the file', () => {
    expect(() => readCrds('a:\n  b: 1\n  b: 2\n', 'istio', source)).toThrow(/widgets@v1.0.0 crds.yaml: not YAML/);
  });
});
