// The CEL rules compiled to JavaScript (src/core/schema/cel/to-js.ts) against @bufbuild/cel:
// the same verdicts and messages on the CEL corpus of the pinned CRDs (the objects the API
// server agreement test sends), and on hand-written rules at the edges of the compiled part
// of CEL, where a compiled rule must leave the value to @bufbuild/cel rather than judge it.
import {parse} from '@bufbuild/cel';
import {describe, expect, it} from 'vitest';
import {ValidatorStore} from '../../../src/adapters/schemas/validators.js';
import {celEvaluator} from '../../../src/core/schema/cel/compile.js';
import {KindRules, useCelEvaluator} from '../../../src/core/schema/cel/evaluate.js';
import {Bail, fastRuntime, type FastRule} from '../../../src/core/schema/cel/fast-runtime.js';
import {ruleToJs} from '../../../src/core/schema/cel/to-js.js';
import type {CelNode} from '../../../src/core/schema/cel/types.js';
import {withoutNullFields} from '../../../src/core/schema/index.js';
import {celCorpus} from '../../e2e/fixtures/cel-corpus.js';

// The walks below run the rules left to CEL in the same process.
useCelEvaluator(celEvaluator);

/** The tree with each compiled rule replaced: by nothing (`wrap` undefined), or by a wrapper. */
function withFast(node: CelNode, wrap?: (fast: FastRule) => FastRule): CelNode {
  const copy: CelNode = {...node};
  if (node.rules) {
    copy.rules = node.rules.map(({fast, ...rule}) => (fast && wrap ? {...rule, fast: wrap(fast)} : rule));
  }
  if (node.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, child]) => [key, withFast(child, wrap)]),
    );
  }
  if (node.items) copy.items = withFast(node.items, wrap);
  if (node.additionalProperties) copy.additionalProperties = withFast(node.additionalProperties, wrap);
  return copy;
}

function countRules(node: CelNode | undefined,
  counted: (rule: NonNullable<CelNode['rules']>[number]) => boolean): number
{
  if (!node) return 0;
  return (node.rules ?? []).filter(counted).length
    + [...Object.values(node.properties ?? {}), node.items, node.additionalProperties]
      .reduce((sum, child) => sum + countRules(child, counted), 0);
}

describe('CEL rules compiled to JavaScript, on the pinned CRDs', () => {
  it('give the verdicts and messages @bufbuild/cel gives on every object of the CEL corpus', () => {
    const store = new ValidatorStore();
    const judged = {true: 0, false: 0, leftToCel: 0};
    const count = (fast: FastRule): FastRule => (self, $) => {
      try {
        const verdict = fast(self, $);
        judged[verdict ? 'true' : 'false']++;
        return verdict;
      } catch (error) {
        if (error instanceof Bail) judged.leftToCel++;
        throw error;
      }
    };
    const cases = celCorpus();
    let compared = 0;
    for (const {object} of cases) {
      const validator = store.validatorFor(object.apiVersion as string, object.kind as string) as
        | {cel?: CelNode}
        | undefined;
      if (!validator?.cel) continue;
      const judgedObject = withoutNullFields(object);
      const compiled = new KindRules(withFast(validator.cel, count)).evaluate(judgedObject);
      const interpreted = new KindRules(withFast(validator.cel)).evaluate(judgedObject);
      expect(compiled, JSON.stringify(object)).toEqual(interpreted);
      compared++;
    }
    expect(compared).toBeGreaterThan(cases.length * 0.9);
    // Not vacuous: compiled rules passed and failed objects themselves, and left some values to @bufbuild/cel.
    expect(judged.true).toBeGreaterThan(500);
    expect(judged.false).toBeGreaterThan(50);
    expect(judged.leftToCel).toBeGreaterThan(0);
  });

  it('cover most checked rules', () => {
    const store = new ValidatorStore();
    let compiled = 0;
    let all = 0;
    for (const key of Object.keys(store.loadIndex().kinds)) {
      const [kind, ...apiVersion] = key.split('/').reverse();
      const validator = store.validatorFor(apiVersion.reverse().join('/'), kind!) as {cel?: CelNode} | undefined;
      compiled += countRules(validator?.cel, (rule) => rule.fast !== undefined);
      all += countRules(validator?.cel, () => true);
    }
    expect(compiled / all).toBeGreaterThan(0.8);
  });
});

/** A rule compiled on `node`, run on `self`: its verdict, or 'cel' when it leaves the value to @bufbuild/cel. */
function runCompiled(rule: string, node: CelNode, self: unknown): boolean | 'cel' | 'not compiled' {
  const source = ruleToJs(parse(rule).expr, node);
  if (source === undefined) return 'not compiled';
  const fast = (0, eval)(source) as FastRule;
  try {
    return fast(self, fastRuntime);
  } catch (error) {
    if (error instanceof Bail) return 'cel';
    throw error;
  }
}

/** The verdict of @bufbuild/cel through the rule walker, with no compiled form: 'cel' when the rule errs. */
function runInterpreted(rule: string, node: CelNode, self: unknown): boolean | 'cel' {
  const failures = new KindRules({type: 'object', properties: {x: {...node, rules: [{rule, message: 'failed'}]}}})
    .evaluate({x: self});
  if (failures.length === 0) return true;
  return failures[0]!.message === 'failed' ? false : 'cel';
}

describe('the compiled part of CEL at its edges', () => {
  const string: CelNode = {type: 'string'};
  const ports: CelNode = {type: 'object', additionalProperties: {type: 'string'}};
  const spec: CelNode = {type: 'object',
    properties: {a: {type: 'integer'}, b: {type: 'integer'}, mode: {type: 'string', default: 'STRICT'},
      namespace: {type: 'string'}, list: {type: 'array', items: string}}};
  const cases: [rule: string, node: CelNode, values: unknown[]][] = [
    ["duration(self) >= duration('1ms')", string, ['1ms', '0.5ms', '1h30m', '1.5s', '999us', '1000µs', '0', '+1s',
      '-1s', '1', 'ms', '1.s', 'x', '']],
    ['!self.contains("*") && self.startsWith("a") || self.endsWith("z")', string, ['a', 'a*', 'xz', '*z', '']],
    ['self.size() <= 3 && size(self) >= 1', string, ['abc', 'ab😀', 'abcd', '']],
    ['self < "b"', string, ['a', 'b', '\uffff', '😀', '']],
    ['self.all(key, 0 < int(key) && int(key) <= 65535)', ports, [{'80': 'x'}, {'0': 'x'}, {'65536': 'x'}, {'08': 'x'}, {
      '+8': 'x',
    }, {x: 'x'}, {}, {'99999999999999999999': 'x'}]],
    ['self.a + self.b <= 10 && self.a * 2 > self.b - 1', spec, [{a: 1, b: 2}, {a: 9, b: 2}, {a: 1}, {a: 2 ** 60, b: 1},
      {a: 1.5, b: 1}, {a: '1', b: 1}]],
    ["self.mode == 'STRICT' && has(self.mode) && (has(self.__namespace__) ? self.__namespace__ != '' : true)", spec, [
      {},
      {mode: 'PERMISSIVE'},
      {namespace: ''},
      {namespace: 'x'},
    ]],
    ["self.list.exists_one(x, x == 'a') && self.list.filter(x, x != 'a').size() <= 1 && !('*' in self.list)", spec, [{
      list: ['a'],
    }, {list: ['a', 'a']}, {list: ['a', 'b', 'c']}, {list: ['a', '*']}, {}, {list: [1]}]],
    ['self.list[0] == "a"', spec, [{list: ['a']}, {list: []}, {list: ['b']}]],
    // PeerAuthentication's: an empty map literal in a conditional, sized.
    ['has(self.ports) ? ((has(self.selector) ? self.selector : {}).size() > 0) : true', {type: 'object',
      properties: {ports: ports, selector: ports}}, [{}, {ports: {}}, {ports: {}, selector: {}}, {ports: {},
      selector: {app: 'x'}}]],
    ['({}).size() == 0 && !("a" in {})', spec, [{}]],
    // HTTPRoute's path values: a raw-string pattern, searched by code point.
    [
      String
        .raw`self.matches(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$") && !self.matches("[^a-z]{3}\d|x")`,
      string,
      ['/', '/a%20b', '/a b', '/%2', '/ü', '/😀', '/a\r', 'x', '/AB1', '/ABC1', ''],
    ],
    // HTTPRoute's rules: a field whose default is a list of objects, which have defaults of their own.
    ['self.matches.size() == 1 && self.matches[0].path.type == "PathPrefix" && self.matches[0].path.value == "/"', {
      type: 'object',
      properties: {
        matches: {type: 'array', default: [{path: {type: 'PathPrefix', value: '/'}}],
          items: {type: 'object',
            properties: {path: {type: 'object', default: {type: 'PathPrefix', value: '/'}, properties: {
              type: {type: 'string', default: 'PathPrefix'},
              value: {type: 'string', default: '/'},
            }}}}},
      },
    }, [{}, {matches: []}, {matches: [{}]}, {matches: [{path: {}}]}, {matches: [{path: {type: 'Exact'}}]}, {
      matches: [{path: {value: '/a'}}, {}],
    }]],
  ];

  for (const [rule, node, values] of cases) {
    it(`${rule}: the verdict of @bufbuild/cel, or the value left to it`, () => {
      for (const value of values) {
        const compiled = runCompiled(rule, node, value);
        expect(compiled, JSON.stringify(value)).not.toBe('not compiled');
        if (compiled !== 'cel') expect(compiled, JSON.stringify(value)).toBe(runInterpreted(rule, node, value));
      }
    });
  }

  it('leaves to @bufbuild/cel what CEL makes an error: an absent field, ints beyond 2^53, durations other than unsigned with units', () => {
    expect(runCompiled('self.a == 1', spec, {})).toBe('cel');
    expect(runCompiled('self.a + self.b == 1', spec, {a: 2 ** 53, b: 1})).toBe('cel');
    expect(['0', '+1s', '-1s', '1'].map((value) => runCompiled("duration(self) > duration('0s')", string, value)))
      .toEqual(['cel', 'cel', 'cel', 'cel']);
  });

  it('does not compile what the schema does not type, or functions outside the compiled part', () => {
    expect(runCompiled('self == 1', {intOrString: true}, 1)).toBe('not compiled');
    // Patterns whose meaning differs between RE2 and JavaScript, and patterns not written in the rule.
    for (const pattern of ['a.b', '\\s', '[[:alpha:]]', '(?i)a', '[]a]', '\\pL', '\\bA']) {
      expect(runCompiled(`self.matches(${JSON.stringify(pattern)})`, string, 'a'), pattern).toBe('not compiled');
    }
    expect(runCompiled('self.matches(self)', string, 'a')).toBe('not compiled');
    expect(runCompiled('self.a == 1.0', spec, {a: 1})).toBe('not compiled');
    expect(runCompiled('self.unknown == 1', spec, {})).toBe('not compiled');
  });
});
