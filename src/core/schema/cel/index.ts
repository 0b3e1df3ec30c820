// The CEL rules (`x-kubernetes-validations`) of a kind, evaluated offline. The generator
// stores each kind's rule tree in its validator module as `cel`, with each rule's handling
// decided and, where it can be, the rule compiled to JavaScript; the CEL evaluator loads only
// for the rules that need it.
import {KindRules, useCelEvaluator} from './evaluate.js';
import type {CelNode} from './types.js';

export type {CelFailure, NotChecked} from './evaluate.js';
export {CelEvaluatorNeeded, KindRules} from './evaluate.js';

const compiled = new WeakMap<object, KindRules | undefined>();

/** The compiled rules of the kind whose validator module is `validator`, or undefined when it has none. */
export function rulesOf(validator: object & {cel?: CelNode}): KindRules | undefined {
  if (!compiled.has(validator)) compiled.set(validator, validator.cel ? new KindRules(validator.cel) : undefined);
  return compiled.get(validator);
}

/** Loads the CEL evaluator (@bufbuild/cel) for the rule walks of this process: once, when a walk stops with CelEvaluatorNeeded. */
export async function loadCelEvaluator(): Promise<void> {
  useCelEvaluator((await import('./compile.js')).celEvaluator);
}
