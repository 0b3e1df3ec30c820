// A CEL rule → the source of a JavaScript function that judges plain objects directly, for
// the rules written in a small, statically typed part of CEL (field reads, has(), literals,
// comparisons, logic, size(), contains/startsWith/endsWith, `in`, duration(), int(), the
// all/exists/exists_one/filter macros). scripts/schemas writes these functions into each
// kind's module, so that most objects are judged without converting them for @bufbuild/cel.
// Types come from the schema; what is not typed there, and every other function, leaves the
// rule to @bufbuild/cel. At run time a value the function cannot judge exactly as
// @bufbuild/cel would (an absent field, an int beyond 2^53, a bad duration: anything that
// is an error in CEL) stops it (fast-runtime.ts, Bail) and @bufbuild/cel judges the object.
import type {Expr} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import type {CelNode} from './types.js';
import {escapedName} from './names.js';

/**
 * A value's CEL type as the schema fixes it; `list` of undefined is the empty list literal, whose
 * items are not known, and `map` of undefined values the empty map literal.
 */
type Type =
  | {t: 'bool' | 'int' | 'double' | 'string' | 'duration'}
  | {t: 'list'; of: Type | undefined}
  | {t: 'map'; values: CelNode | undefined}
  | {t: 'object'; node: CelNode};

interface Compiled {
  code: string;
  type: Type;
  /** A string literal's value (a pattern is compiled only from one). */
  literal?: string;
}

/** Names in scope: `self`, comprehension variables. */
type Scope = ReadonlyMap<string, {js: string; type: Type}>;

class OutsideSubset extends Error {}

function outside(): never {
  throw new OutsideSubset();
}

const BOOL: Type = {t: 'bool'};
const INT: Type = {t: 'int'};
const STRING: Type = {t: 'string'};

/** The CEL type the API server gives a value of this schema node, when the node fixes one. */
function typeOfNode(node: CelNode | undefined): Type {
  if (!node || node.intOrString || node.format !== undefined) return outside();
  switch (node.type) {
    case 'string':
      return STRING;
    case 'integer':
      return INT;
    case 'number':
      return {t: 'double'};
    case 'boolean':
      return BOOL;
    case 'array':
      return {t: 'list', of: typeOfNode(node.items)};
    case 'object':
      if (node.properties) return {t: 'object', node};
      if (node.additionalProperties) return {t: 'map', values: node.additionalProperties};
      return outside();
    default:
      return outside();
  }
}

/** The runtime check of a value read from the object: it has the type the schema says, or the function stops. */
function guard(type: Type): string {
  switch (type.t) {
    case 'bool':
      return '$.bool';
    case 'int':
      return '$.int';
    case 'double':
      return '$.double';
    case 'string':
      return '$.string';
    case 'list':
      return '$.list';
    case 'map':
    case 'object':
      return '$.record';
    default:
      return outside();
  }
}

function sameType(a: Type, b: Type): boolean {
  if (a.t !== b.t) return false;
  if (a.t === 'list' && b.t === 'list') return a.of === undefined || b.of === undefined || sameType(a.of, b.of);
  if (a.t === 'map' && b.t === 'map') return a.values === undefined || b.values === undefined || a.values === b.values;
  if (a.t === 'object' && b.t === 'object') return a.node === b.node;
  return true;
}

/** Of two types that sameType accepts, the one that knows a list's items or a map's values. */
function joined(a: Type, b: Type): Type {
  return (a.t === 'list' && a.of === undefined) || (a.t === 'map' && a.values === undefined) ? b : a;
}

/**
 * The function's source (`(self, $) => ...`), or undefined when the rule is outside the
 * part of CEL compiled here. `node` is the rule's node: the type of `self`.
 */
export function ruleToJs(expr: Expr, node: CelNode): string | undefined {
  try {
    const self = typeOfNode(node);
    const compiler = new Compiler();
    const body = compiler.compile(expr, new Map([['self', {js: 'v0', type: self}]]));
    if (body.type.t !== 'bool') return undefined;
    return `(self, $) => { const v0 = ${guard(self)}(self); return ${body.code}; }`;
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

const COMPARISONS: Record<string, string> = {'_==_': '===', '_!=_': '!==', '_<_': '<', '_<=_': '<=', '_>_': '>',
  '_>=_': '>='};

class Compiler {
  private variables = 0;

  compile(expr: Expr, scope: Scope): Compiled {
    const {exprKind} = expr;
    switch (exprKind.case) {
      case 'constExpr':
        return constant(exprKind.value.constantKind);
      case 'identExpr': {
        const variable = scope.get(exprKind.value.name) ?? outside();
        return {code: variable.js, type: variable.type};
      }
      case 'selectExpr': {
        const {operand, field, testOnly} = exprKind.value;
        return testOnly
          ? this.has(this.compile(operand ?? outside(), scope), field)
          : this.field(this.compile(operand ?? outside(), scope), field);
      }
      case 'callExpr': {
        const {target, function: name, args} = exprKind.value;
        const operands = [...(target ? [target] : []), ...args].map((arg) => this.compile(arg, scope));
        return call(name, target !== undefined, operands);
      }
      case 'listExpr': {
        if (exprKind.value.optionalIndices.length > 0) return outside();
        const elements = exprKind.value.elements.map((element) => this.compile(element, scope));
        const first = elements[0]?.type;
        if (first && elements.some((element) => !sameType(element.type, first))) return outside();
        return {code: `[${elements.map((element) => element.code).join(', ')}]`, type: {t: 'list', of: first}};
      }
      case 'structExpr':
        // Only `{}`, as in `(has(self.m) ? self.m : {}).size()`; a message or a map with entries is left to CEL.
        return exprKind.value.messageName === '' && exprKind.value.entries.length === 0
          ? {code: '({})', type: {t: 'map', values: undefined}}
          : outside();
      case 'comprehensionExpr':
        return this.comprehension(exprKind.value, scope);
      default:
        return outside();
    }
  }

  /** `x.f`: an object's declared field (or its default), a map's key; absent is an error in CEL, so the function stops. */
  private field(operand: Compiled, field: string): Compiled {
    if (operand.type.t === 'map') {
      const type = typeOfNode(operand.type.values);
      return {code: `${guard(type)}($.get(${operand.code}, ${JSON.stringify(field)}))`, type};
    }
    if (operand.type.t !== 'object') return outside();
    const [key, child] = declaredField(operand.type.node, field);
    const type = typeOfNode(child);
    if (child.default === undefined) {
      return {code: `${guard(type)}($.get(${operand.code}, ${JSON.stringify(key)}))`, type};
    }
    // A default object or list is written out whole; the function only reads it, and its own
    // fields' defaults apply as they are read, as the API server applies them top-down.
    return {code: `${guard(type)}($.getOr(${operand.code}, ${JSON.stringify(key)}, ${JSON.stringify(child.default)}))`,
      type};
  }

  /** `has(x.f)`: set, or defaulted (the API server defaults before it validates). */
  private has(operand: Compiled, field: string): Compiled {
    if (operand.type.t === 'map') return {code: `Object.hasOwn(${operand.code}, ${JSON.stringify(field)})`, type: BOOL};
    if (operand.type.t !== 'object') return outside();
    const [key, child] = declaredField(operand.type.node, field);
    if (child.default !== undefined) return {code: `(${operand.code}, true)`, type: BOOL};
    return {code: `Object.hasOwn(${operand.code}, ${JSON.stringify(key)})`, type: BOOL};
  }

  /** The macros, as the parser expands them: a loop over a list's items or a map's keys. */
  private comprehension(
    value: Extract<Expr['exprKind'], {case: 'comprehensionExpr'}>['value'],
    scope: Scope,
  ): Compiled {
    const {iterVar, iterVar2, iterRange, accuVar, accuInit, loopCondition, loopStep, result} = value;
    if (iterVar2 !== '' || !iterRange || !accuInit || !loopCondition || !loopStep || !result) return outside();
    const range = this.compile(iterRange, scope);
    let items: string;
    let itemType: Type;
    const item = `v${++this.variables}`;
    const raw = `r${this.variables}`;
    if (range.type.t === 'list') {
      itemType = range.type.of ?? outside();
      items = range.code;
    } else if (range.type.t === 'map') {
      itemType = STRING;
      items = `Object.keys(${range.code})`;
    } else {
      return outside();
    }
    const accu = `a${this.variables}`;
    const init = this.compile(accuInit, scope);
    const inLoop = (accuType: Type): Scope =>
      new Map([...scope, [iterVar, {js: item, type: itemType}], [accuVar, {js: accu, type: accuType}]]);
    let step = this.compile(loopStep, inLoop(init.type));
    // `filter` starts from an empty list: its items take the type the step gives them.
    if (!sameType(step.type, init.type)) return outside();
    const accuType = joined(init.type, step.type);
    if (accuType !== init.type) step = this.compile(loopStep, inLoop(accuType));
    const condition = this.compile(loopCondition, inLoop(accuType));
    const outcome = this.compile(result, inLoop(accuType));
    if (condition.type.t !== 'bool') return outside();
    const read = range.type.t === 'list' ? `${guard(itemType)}(${raw})` : raw;
    return {
      code: `(() => { let ${accu} = ${init.code}; for (const ${raw} of ${items}) { const ${item} = ${read}; `
        + `if (!(${condition.code})) break; ${accu} = ${step.code}; } return ${outcome.code}; })()`,
      type: outcome.type,
    };
  }
}

/** The schema property whose CEL name is `field` (`__namespace__` → `namespace`). */
function declaredField(node: CelNode, field: string): [string, CelNode] {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (escapedName(key) === field) return [key, child];
  }
  return outside();
}

function constant(kind: Extract<Expr['exprKind'], {case: 'constExpr'}>['value']['constantKind']): Compiled {
  switch (kind.case) {
    case 'boolValue':
      return {code: String(kind.value), type: BOOL};
    case 'stringValue':
      return {code: JSON.stringify(kind.value), type: STRING, literal: kind.value};
    case 'int64Value': {
      const value = Number(kind.value);
      return Number.isSafeInteger(value) ? {code: `(${value})`, type: INT} : outside();
    }
    case 'doubleValue':
      return Number.isFinite(kind.value) ? {code: `(${JSON.stringify(kind.value)})`, type: {t: 'double'}} : outside();
    default:
      return outside();
  }
}

function call(name: string, method: boolean, operands: Compiled[]): Compiled {
  const [a, b, c] = operands;
  const codes = operands.map((operand) => operand.code);
  if (name in COMPARISONS && a && b && operands.length === 2) return comparison(name, a, b);
  switch (`${name}/${operands.length}`) {
    case '!_/1':
      return a!.type.t === 'bool' ? {code: `!${codes[0]}`, type: BOOL} : outside();
    case '_&&_/2':
    case '_||_/2':
      return a!.type.t === 'bool' && b!.type.t === 'bool'
        ? {code: `(${codes[0]} ${name === '_&&_' ? '&&' : '||'} ${codes[1]})`, type: BOOL}
        : outside();
    case '@not_strictly_false/1':
      // An error would count as true; errors stop the function, so only a bool gets here.
      return a!.type.t === 'bool' ? a! : outside();
    case '_?_:_/3':
      return a!.type.t === 'bool' && sameType(b!.type, c!.type)
        ? {code: `(${codes[0]} ? ${codes[1]} : ${codes[2]})`, type: joined(b!.type, c!.type)}
        : outside();
    case '_+_/2':
      return sum(a!, b!);
    case '_-_/2':
    case '_*_/2':
      return a!.type.t === 'int' && b!.type.t === 'int'
        ? {code: `$.int(${codes[0]} ${name === '_-_' ? '-' : '*'} ${codes[1]})`, type: INT}
        : outside();
    case '-_/1':
      return a!.type.t === 'int' ? {code: `(-${codes[0]})`, type: INT} : outside();
    case '@in/2':
      return membership(a!, b!);
    case 'size/1':
      return size(a!);
    case 'contains/2':
    case 'startsWith/2':
    case 'endsWith/2':
      return method && a!.type.t === 'string' && b!.type.t === 'string'
        ? {code: `${codes[0]}.${name === 'contains' ? 'includes' : name}(${codes[1]})`, type: BOOL}
        : outside();
    case 'duration/1':
      return !method && a!.type.t === 'string' ? {code: `$.duration(${codes[0]})`, type: {t: 'duration'}} : outside();
    case 'int/1':
      if (method) return outside();
      if (a!.type.t === 'int') return a!;
      return a!.type.t === 'string' ? {code: `$.parseInt(${codes[0]})`, type: INT} : outside();
    case '_[_]/2':
      return index(a!, b!);
    case 'matches/2':
      return a!.type.t === 'string' && b!.type.t === 'string'
        ? {code: `${jsRegExp(b!)}.test(${codes[0]})`, type: BOOL}
        : outside();
    default:
      return outside();
  }
}

/**
 * An escape that reads the same in RE2 and in a JavaScript `u` pattern: a quoted punctuation
 * character, or an ASCII class (`\d`, `\w`). `\s` is not one: RE2's is ASCII, JavaScript's Unicode.
 */
const SAME_ESCAPE = /^\\[.\-/\\[\](){}*+?^$|dDwW]$/;

/**
 * `matches()`' pattern, a string literal, as a JavaScript regular expression that matches what
 * RE2 matches: kept only when every construct means the same in both (escapes above, classes
 * without POSIX names or a leading `]`, `(?:` groups, no `.` outside a class: RE2's matches `\r`
 * and U+2028, a JavaScript one does not). Both search the string (CEL's matches is not
 * anchored), by code point.
 */
function jsRegExp(pattern: Compiled): string {
  const source = pattern.literal ?? outside();
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\') {
      if (!SAME_ESCAPE.test(source.slice(i, i + 2))) return outside();
      i++;
    } else if (inClass) {
      if (char === '[') return outside();
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      // RE2 reads a leading ] as a literal, JavaScript as the end of an empty class.
      if (source[i + 1] === ']') return outside();
    } else if (char === '.' || (char === '(' && source[i + 1] === '?' && source[i + 2] !== ':')) {
      return outside();
    }
  }
  try {
    new RegExp(source, 'u');
  } catch {
    return outside();
  }
  return `new RegExp(${JSON.stringify(source)}, 'u')`;
}

function comparison(name: string, a: Compiled, b: Compiled): Compiled {
  if (!sameType(a.type, b.type)) return outside();
  const operator = COMPARISONS[name]!;
  switch (a.type.t) {
    case 'int':
    case 'double':
    case 'duration':
      return {code: `(${a.code} ${operator} ${b.code})`, type: BOOL};
    case 'string':
      // CEL orders strings by code point, JavaScript by UTF-16 unit: they differ past U+FFFF.
      return {code: operator.startsWith('=') || operator.startsWith('!')
        ? `(${a.code} ${operator} ${b.code})`
        : `($.compareStrings(${a.code}, ${b.code}) ${operator} 0)`, type: BOOL};
    case 'bool':
      return operator === '===' || operator === '!=='
        ? {code: `(${a.code} ${operator} ${b.code})`, type: BOOL}
        : outside();
    default:
      return outside();
  }
}

function sum(a: Compiled, b: Compiled): Compiled {
  if (!sameType(a.type, b.type)) return outside();
  switch (a.type.t) {
    case 'int':
      return {code: `$.int(${a.code} + ${b.code})`, type: INT};
    case 'string':
      return {code: `(${a.code} + ${b.code})`, type: STRING};
    case 'list':
      return {code: `[...${a.code}, ...${b.code}]`, type: joined(a.type, b.type)};
    default:
      return outside();
  }
}

function membership(element: Compiled, container: Compiled): Compiled {
  if (container.type.t === 'list' && container.type.of && ['string', 'int'].includes(element.type.t)
    && sameType(element.type, container.type.of))
  {
    return {code: `${container.code}.includes(${element.code})`, type: BOOL};
  }
  if (container.type.t === 'map' && element.type.t === 'string') {
    return {code: `Object.hasOwn(${container.code}, ${element.code})`, type: BOOL};
  }
  return outside();
}

function size(operand: Compiled): Compiled {
  switch (operand.type.t) {
    case 'string':
      return {code: `$.codePoints(${operand.code})`, type: INT};
    case 'list':
      return {code: `${operand.code}.length`, type: INT};
    case 'map':
      return {code: `Object.keys(${operand.code}).length`, type: INT};
    default:
      return outside();
  }
}

function index(container: Compiled, key: Compiled): Compiled {
  if (container.type.t === 'list' && container.type.of && key.type.t === 'int') {
    return {code: `${guard(container.type.of)}($.item(${container.code}, ${key.code}))`, type: container.type.of};
  }
  if (container.type.t === 'map' && key.type.t === 'string') {
    const type = typeOfNode(container.type.values);
    return {code: `${guard(type)}($.get(${container.code}, ${key.code}))`, type};
  }
  return outside();
}
