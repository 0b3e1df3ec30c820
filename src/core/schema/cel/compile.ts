// The CEL evaluator: @bufbuild/cel with the strings extension and the Kubernetes library,
// turning rules into programs (once per rule and run, on first use, never per object). It is
// loaded only when a rule needs it (evaluate.ts): most rules run as JavaScript the generator
// compiled. A rule that this evaluator cannot run the way the API server does is set aside with
// the reason, to be reported as not checked, never passed silently.
import {celEnv, isCelError, parse, plan, type CelResult} from '@bufbuild/cel';
import {strings} from '@bufbuild/cel/ext';
import type {Expr} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import {handlingOf, type RuleHandling} from './classify.js';
import {kubernetesLibrary} from './kubernetes-library.js';
import {celValueOf} from './values.js';
import type {CelNode, CelRule, ParsedRule} from './types.js';

const environment = celEnv({funcs: [...strings, ...kubernetesLibrary]});

export type Program = (bindings: {self: unknown}) => CelResult;

/** The rule and its messageExpression parsed; the generator stores this in schemas/ so that validate never runs the parser. */
export function parseRule(rule: CelRule): ParsedRule {
  try {
    const expr = parse(rule.rule).expr;
    return rule.messageExpression === undefined ? {expr} : {expr, messageExpr: parse(rule.messageExpression).expr};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

const knowsFunction = (name: string): boolean => environment.funcs.find(name) !== undefined;

/** How the rule is checked (classify.ts) in this evaluator's environment. */
export function ruleHandling(rule: CelRule, node: CelNode): RuleHandling {
  return handlingOf(rule.parsed ?? parseRule(rule), rule, node, knowsFunction);
}

/** A kind has up to a few hundred rules and an object reaches few of them: each is planned when it first runs. */
export function programOf(expr: Expr): Program {
  let planned: Program | undefined;
  return (bindings) => (planned ??= plan(environment, expr) as Program)(bindings);
}

/** What the rule walk (evaluate.ts) asks of the evaluator, handed to it once loaded. */
export const celEvaluator = {ruleHandling, parseRule, programOf, isCelError, valueOf: celValueOf};

export type CelEvaluator = typeof celEvaluator;
