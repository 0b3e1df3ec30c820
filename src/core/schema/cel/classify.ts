// How a CEL rule is checked, decided from its syntax tree alone: whether it can run offline
// at all (a transition rule, a function the evaluator lacks, a typed string format), where a
// failure is reported, and which part of `self` it reads. The schema generator decides this
// once and stores it with the rule, so that a command which meets only rules compiled to
// JavaScript never loads the CEL evaluator (@bufbuild/cel costs a tenth of a short command).
import type {Expr} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import type {CelNode, CelRule, ParsedRule} from './types.js';

/** Operators @bufbuild/cel's planner evaluates itself (short-circuit logic, indexing, optionals); every other call resolves to a function. */
const PLANNED_OPERATORS = new Set(['_[_]', '_[?_]', '_?._', '_?_:_', '_&&_', '_||_', '@not_strictly_false',
  '__not_strictly_false__']);

/**
 * What of an object `self` a rule reads, when it is less than all of it: which of some fields
 * are present (`has(self.a)` and nothing else), or a map's keys (`self.all(key, ...)`). Two
 * objects alike in that part get the same verdict, so it is remembered.
 */
export type SelfView = {reads: 'presence'; fields: string[]} | {reads: 'keys'} | {reads: 'all'};

/** How a rule is checked. */
export type RuleHandling =
  | {kind: 'checked'; fieldPath: string[]; view: SelfView}
  /** Transition rules compare with the stored object; on create (all that offline means) the API server skips them too. */
  | {kind: 'transition'}
  | {kind: 'unsupported'; reason: string};

/** `knowsFunction`: whether the CEL environment defines a function of that name. */
export function handlingOf(parsed: ParsedRule, rule: CelRule, node: CelNode,
  knowsFunction: (name: string) => boolean): RuleHandling
{
  if ('error' in parsed) return {kind: 'unsupported', reason: `does not parse: ${parsed.error}`};
  const {expr, messageExpr} = parsed;
  const identifiers = new Set<string>();
  const functions = new Set<string>();
  collectNames(expr, identifiers, functions);
  if (messageExpr) collectNames(messageExpr, identifiers, functions);
  if (identifiers.has('oldSelf')) return {kind: 'transition'};
  const unknown = [...functions].filter((name) => !PLANNED_OPERATORS.has(name) && !knowsFunction(name));
  if (unknown.length > 0) return {kind: 'unsupported', reason: `uses ${unknown.map((name) => `${name}()`).join(', ')}`};
  const format = typedFormatIn(node);
  if (format !== undefined) {
    return {kind: 'unsupported',
      reason: `sees a string of format "${format}", which the API server turns into another CEL type`};
  }
  const fieldPath = rule.fieldPath === undefined ? [] : parseFieldPath(rule.fieldPath);
  if (fieldPath === undefined) {
    return {kind: 'unsupported', reason: `fieldPath ${JSON.stringify(rule.fieldPath)} is not a path of fields`};
  }
  return {kind: 'checked', fieldPath, view: viewOf(expr, messageExpr)};
}

/** Identifiers and called functions; macros (has, all, exists, map, filter) are expanded by the parser and never appear as calls. */
function collectNames(expr: Expr | undefined, identifiers: Set<string>, functions: Set<string>): void {
  if (!expr) return;
  if (expr.exprKind.case === 'identExpr') identifiers.add(expr.exprKind.value.name);
  if (expr.exprKind.case === 'callExpr') functions.add(expr.exprKind.value.function);
  for (const child of childrenOf(expr)) collectNames(child, identifiers, functions);
}

/** How each `self` of the expressions is used: tested for a field (`has(self.f)`), iterated without values, or otherwise. */
function viewOf(expr: Expr, messageExpr: Expr | undefined): SelfView {
  const tested = new Set<string>();
  let iterated = false;
  let other = false;
  const isSelf = (candidate: Expr | undefined) =>
    candidate?.exprKind.case === 'identExpr' && candidate.exprKind.value.name === 'self';
  const walk = (node: Expr | undefined): void => {
    if (!node || other) return;
    const {exprKind} = node;
    if (isSelf(node)) {
      other = true;
      return;
    }
    if (exprKind.case === 'selectExpr' && exprKind.value.testOnly && isSelf(exprKind.value.operand)) {
      tested.add(exprKind.value.field);
      return;
    }
    if (exprKind.case === 'comprehensionExpr' && isSelf(exprKind.value.iterRange) && exprKind.value.iterVar2 === '') {
      iterated = true;
      const {accuInit, loopCondition, loopStep, result} = exprKind.value;
      for (const part of [accuInit, loopCondition, loopStep, result]) walk(part);
      return;
    }
    for (const child of childrenOf(node)) walk(child);
  };
  walk(expr);
  walk(messageExpr);
  if (other || (iterated && tested.size > 0)) return {reads: 'all'};
  if (iterated) return {reads: 'keys'};
  return {reads: 'presence', fields: [...tested].sort()};
}

function childrenOf(expr: Expr): (Expr | undefined)[] {
  const {exprKind} = expr;
  switch (exprKind.case) {
    case 'selectExpr':
      return [exprKind.value.operand];
    case 'callExpr':
      return [exprKind.value.target, ...exprKind.value.args];
    case 'listExpr':
      return exprKind.value.elements;
    case 'structExpr':
      return exprKind.value.entries.flatMap((
        entry,
      ) => [entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined, entry.value]);
    case 'comprehensionExpr': {
      const {iterRange, accuInit, loopCondition, loopStep, result} = exprKind.value;
      return [iterRange, accuInit, loopCondition, loopStep, result];
    }
    default:
      return [];
  }
}

function typedFormatIn(node: CelNode): string | undefined {
  if (node.format !== undefined) return node.format;
  for (const child of [...Object.values(node.properties ?? {}), node.items, node.additionalProperties]) {
    const format = child && typedFormatIn(child);
    if (format !== undefined) return format;
  }
  return undefined;
}

const FIELD_PATH_STEP = /^(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\])/;

/**
 * `fieldPath` as the API server accepts it: `.name` steps and `['key']` steps, relative to
 * the rule's node (no list positions). Undefined when it is something else.
 */
export function parseFieldPath(fieldPath: string): string[] | undefined {
  const steps: string[] = [];
  for (let rest = fieldPath.trim(); rest !== '';) {
    const step = FIELD_PATH_STEP.exec(rest);
    if (!step) return undefined;
    steps.push(step[1] ?? step[2]!.replace(/\\(.)/g, '$1'));
    rest = rest.slice(step[0].length);
  }
  return steps;
}
