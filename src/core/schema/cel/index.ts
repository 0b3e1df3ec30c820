// The CEL rules (`x-kubernetes-validations`) of a kind, evaluated offline. The generator
// stores each kind's rule tree in its validator module as `cel`; the rules compile the
// first time an object of the kind is checked, once per run.
import {KindRules} from './evaluate.js';
import type {CelNode} from './types.js';

export type {CelFailure, NotChecked} from './evaluate.js';
export {KindRules} from './evaluate.js';

const compiled = new WeakMap<object, KindRules | undefined>();

/** The compiled rules of the kind whose validator module is `validator`, or undefined when it has none. */
export function rulesOf(validator: object & {cel?: CelNode}): KindRules | undefined {
  if (!compiled.has(validator)) compiled.set(validator, validator.cel ? new KindRules(validator.cel) : undefined);
  return compiled.get(validator);
}
