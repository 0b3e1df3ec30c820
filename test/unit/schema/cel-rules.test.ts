// How a kind's CEL rules are walked and reported, as the API server's CEL validator does it
// (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go), on small rule
// trees; then the pinned CRDs' own rules through the schema checker.
import {describe, expect, it} from 'vitest';
import {KindRules, useCelEvaluator} from '../../../src/core/schema/cel/evaluate.js';
import {parseFieldPath} from '../../../src/core/schema/cel/classify.js';
import {celEvaluator, ruleHandling} from '../../../src/core/schema/cel/compile.js';
import {escapedName} from '../../../src/core/schema/cel/names.js';
import type {CelNode} from '../../../src/core/schema/cel/types.js';
import {notCheckedNotes} from '../../../src/core/schema/index.js';
import {createSchemaChecker} from '../../../src/adapters/schemas/index.js';
import type {KubeObject} from '../../../src/core/objects.js';

// These rule trees are built here, not by the generator: the evaluator decides how each rule is checked.
useCelEvaluator(celEvaluator);

const object = (properties: Record<string, CelNode>, rules?: CelNode['rules']): CelNode => ({type: 'object', properties,
  ...(rules ? {rules} : {})});

describe('walking the rule tree', () => {
  it("binds self to the rule's node and reports the rule's message there", () => {
    const rules = new KindRules(
      object({
        spec: object({min: {type: 'integer'}, max: {type: 'integer'}}, [{rule: 'self.min <= self.max',
          message: 'min must not exceed max'}]),
      }),
    );
    expect(rules.evaluate({spec: {min: 3, max: 2}})).toEqual([{field: ['spec'], message: 'min must not exceed max'}]);
    expect(rules.evaluate({spec: {min: 1, max: 2}})).toEqual([]);
  });

  it('runs a rule of list items and map values on each of them', () => {
    const name = {type: 'string', rules: [{rule: 'self != "bad"', message: 'no bad names'}]};
    const rules = new KindRules(
      object({list: {type: 'array', items: name}, map: {type: 'object', additionalProperties: name}}),
    );
    expect(rules.evaluate({list: ['ok', 'bad', 'bad'], map: {a: 'bad', b: 'ok'}}).map((failure) => failure.field))
      .toEqual([['list', 1], ['list', 2], ['map', 'a']]);
  });

  it('does not run rules under an absent field', () => {
    const rules = new KindRules(
      object({spec: object({port: {type: 'integer', rules: [{rule: 'false', message: 'never'}]}})}),
    );
    expect(rules.evaluate({spec: {}})).toEqual([]);
    expect(rules.evaluate({})).toEqual([]);
  });

  it('applies defaults first, so a default can make a rule run or pass', () => {
    const path = object({type: {type: 'string', default: 'PathPrefix'}}, [{rule: 'self.type == "Exact"',
      message: 'must be exact'}]);
    const rules = new KindRules(object({match: {...path, default: {}}}));
    expect(rules.evaluate({})).toEqual([{field: ['match'], message: 'must be exact'}]);
    expect(rules.evaluate({match: {type: 'Exact'}})).toEqual([]);
  });

  it('types numbers as the schema does: integer → int, number → double, undeclared → int when whole', () => {
    const rules = new KindRules(object({
      i: {type: 'integer', rules: [{rule: 'type(self) == int', message: 'int'}]},
      d: {type: 'number', rules: [{rule: 'type(self) == double', message: 'double'}]},
      any: {intOrString: true, rules: [{rule: 'type(self) == int', message: 'whole number as int'}]},
    }));
    expect(rules.evaluate({i: 1, d: 1, any: 5})).toEqual([]);
  });

  it('uses the messageExpression when it gives one line, with fieldPath and reason', () => {
    const rules = new KindRules(object({spec: object({ports: {type: 'array', items: {type: 'integer'}}}, [
      {rule: 'self.ports.size() < 2', messageExpression: '"at most one port, got " + string(self.ports.size())',
        fieldPath: '.ports', reason: 'FieldValueForbidden'},
      {rule: 'self.ports.size() < 1', messageExpression: '""', message: 'no ports'},
      {rule: 'self.ports.size() < 1'},
    ])}));
    expect(rules.evaluate({spec: {ports: [1, 2]}})).toEqual([
      {field: ['spec', 'ports'], message: 'at most one port, got 2', reason: 'FieldValueForbidden'},
      {field: ['spec'], message: 'no ports'},
      {field: ['spec'], message: 'failed rule: self.ports.size() < 1'},
    ]);
  });

  it('reports a rule that fails to evaluate as the API server words it', () => {
    const rules = new KindRules(
      object({spec: object({a: {type: 'string'}}, [{rule: 'self.a == "x"', message: 'a must be x'}])}),
    );
    expect(rules.evaluate({spec: {}})).toEqual([{field: ['spec'],
      message: 'no such key: a evaluating rule: a must be x'}]);
  });

  it('skips transition rules (oldSelf), and sets aside what it cannot run with the reason', () => {
    const rules = new KindRules(object({
      name: {type: 'string',
        rules: [{rule: 'self == oldSelf', message: 'immutable'}, {rule: 'self.isSorted()'}, {
          rule: 'self.unknownFn()',
        }]},
      when: {type: 'string', format: 'date-time', rules: [{rule: 'self != ""'}]},
    }));
    expect(rules.evaluate({name: 'changed', when: '2026-01-01T00:00:00Z'})).toEqual([]);
    expect(Object.fromEntries(rules.notChecked)).toEqual({
      'uses isSorted()': 1,
      'uses unknownFn()': 1,
      'sees a string of format "date-time", which the API server turns into another CEL type': 1,
    });
  });
});

describe('remembering verdicts by the part of self a rule reads', () => {
  const viewOf = (rule: string) => {
    const handling = ruleHandling({rule}, {});
    return handling.kind === 'checked' ? handling.view : handling.kind;
  };

  it.each([
    ['(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) <= 1', {reads: 'presence',
      fields: ['selector', 'targetRef']}],
    ['self.all(key, !key.contains("*"))', {reads: 'keys'}],
    ['self.all(l1, self.exists_one(l2, l1 == l2))', {reads: 'keys'}],
    ['has(self.a) ? self.a.size() > 0 : true', {reads: 'all'}],
    ['self.exists(key, self[key] == "")', {reads: 'all'}],
    ['self.all(k, v, v != "")', 'unsupported'],
    ['self.all(key, has(self.a))', {reads: 'all'}],
  ])('%s reads %j', (rule, view) => {
    expect(viewOf(rule)).toEqual(view);
  });

  it('gives what a full evaluation gives, object after object', () => {
    const labels = {type: 'object', additionalProperties: {type: 'string'}, rules: [
      {rule: 'self.all(key, !key.contains("*"))', message: 'no wildcard keys'},
      {rule: 'self.all(key, self[key] != "")', message: 'no empty values'},
    ]};
    const rules = new KindRules(
      object({
        spec: object({a: {type: 'string'}, b: {type: 'string'}, labels}, [{rule: '!(has(self.a) && has(self.b))',
          message: 'a or b'}]),
      }),
    );
    const messages = (spec: Record<string, unknown>) => rules.evaluate({spec}).map((failure) => failure.message);
    expect(messages({a: 'x', labels: {app: 'one'}})).toEqual([]);
    expect(messages({a: 'y', b: 'z', labels: {app: ''}})).toEqual(['a or b', 'no empty values']);
    expect(messages({a: 'x', labels: {'app*': 'one'}})).toEqual(['no wildcard keys']);
    expect(messages({b: 'x', labels: {app: 'two'}})).toEqual([]);
    expect(messages({a: 'x', b: 'w', labels: {app: 'two'}})).toEqual(['a or b']);
  });
});

describe('fieldPath', () => {
  it.each([
    ['.spec.port', ['spec', 'port']],
    [".labels['app.kubernetes.io/name']", ['labels', 'app.kubernetes.io/name']],
    ['', []],
    ['spec', undefined],
    ['.ports[0]', undefined],
  ])('%j → %j', (fieldPath, steps) => {
    expect(parseFieldPath(fieldPath)).toEqual(steps);
  });
});

describe("the pinned CRDs' rules through the schema checker", () => {
  const checker = createSchemaChecker();
  const check = async (object: Record<string, unknown>) =>
    (await checker.checkObjects([object as unknown as KubeObject])).map(({path, rule, message}) => ({path, rule,
      message})
    );

  it('Gateway API: a URL rewrite replacing a prefix needs exactly one PathPrefix match', async () => {
    const route = (matches: unknown[]) => ({apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
      metadata: {name: 'r'}, spec: {
        rules: [{matches,
          filters: [{type: 'URLRewrite',
            urlRewrite: {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2'}}}]}],
      }});
    expect(await check(route([{path: {type: 'Exact', value: '/a'}}]))).toEqual([{path: 'spec.rules[0]', rule: 'cel',
      message:
        'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'}]);
    expect(await check(route([{path: {type: 'PathPrefix', value: '/a'}}]))).toEqual([]);
  });

  it('Istio: durations, ports and JWKS URLs', async () => {
    const dr = {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name: 'd'},
      spec: {host: 'x', trafficPolicy: {connectionPool: {tcp: {connectTimeout: '0s'}}}}};
    expect(await check(dr)).toEqual([{path: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', rule: 'cel',
      message: 'must be a valid duration greater than 1ms'}]);
    const ra = {apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: {name: 'r'},
      spec: {jwtRules: [{issuer: 'i', jwksUri: 'ftp://keys'}]}};
    expect(await check(ra)).toEqual([{path: 'spec.jwtRules[0].jwksUri', rule: 'cel',
      message: 'url must have scheme http:// or https://'}]);
  });

  it('does not run the rules of an object whose schema types are wrong, as the API server does not', async () => {
    const dr = {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name: 'd'},
      spec: {host: 7, trafficPolicy: {connectionPool: {tcp: {connectTimeout: '0s'}}}}};
    expect((await check(dr)).map(({rule}) => rule)).toEqual(['type']);
  });

  it('says once what it could not check, with the count and the reasons', () => {
    expect(notCheckedNotes(new Map())).toEqual([]);
    expect(notCheckedNotes(new Map([['uses isSorted()', 2], ['uses ip()', 1]])))
      .toEqual([
        'not checked: 3 CEL rules (x-kubernetes-validations) of the kinds in the input: 2 uses isSorted(); 1 uses ip()',
      ]);
  });

  it('counts nothing as not checked for the pinned kinds', async () => {
    await check({apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: {name: 'g'},
      spec: {gatewayClassName: 'c', listeners: [{name: 'l', port: 80, protocol: 'HTTP'}]}});
    expect(checker.notCheckedRules().size).toBe(0);
  });
});

describe('field names as CEL sees them', () => {
  it.each([
    ['namespace', '__namespace__'],
    ['in', '__in__'],
    ['a.b', 'a__dot__b'],
    ['x-y/z', 'x__dash__y__slash__z'],
    ['a__b', 'a__underscores__b'],
    ['plain_name', 'plain_name'],
    ['1st', undefined],
    ['sp ace', undefined],
  ])('%j → %j', (name, escaped) => {
    expect(escapedName(name)).toBe(escaped);
  });

  it('an object field named like a reserved word is read escaped; a map key is not', () => {
    const rules = new KindRules(object({
      ref: object({namespace: {type: 'string'}}, [{rule: '!has(self.__namespace__) || self.__namespace__ == "here"',
        message: 'same namespace only'}]),
      labels: {type: 'object', additionalProperties: {type: 'string'},
        rules: [{rule: '!("namespace" in self)', message: 'no namespace label'}]},
    }));
    expect(rules.evaluate({ref: {namespace: 'there'}, labels: {namespace: 'x'}}).map((failure) => failure.message))
      .toEqual(['same namespace only', 'no namespace label']);
  });
});
