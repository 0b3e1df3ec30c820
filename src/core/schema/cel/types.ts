// What the generator keeps of a CRD's structural schema for its CEL rules
// (`x-kubernetes-validations`): the rules where they sit, and what the API server needs to
// give `self` its CEL type (integer vs number, formats) and to apply defaults before it
// validates. Stored in each kind's module (`module.exports.cel`) by scripts/schemas.
import type {Expr} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import type {RuleHandling} from './classify.js';
import type {FastRule} from './fast-runtime.js';

/** A rule's syntax trees, or why it does not parse. */
export type ParsedRule = {expr: Expr; messageExpr?: Expr} | {error: string};

/** One `x-kubernetes-validations` entry, as the CRD writes it. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** Relative to the rule's node: `.spec.port`, `['a.b']`; where the API server reports the failure. */
  fieldPath?: string;
  /** FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  reason?: string;
  /** Parsed by the generator; a rule without it is parsed when it is compiled. */
  parsed?: ParsedRule;
  /** How the rule is checked (classify.ts), decided by the generator; a rule without it is classified when first met. */
  handling?: RuleHandling;
  /** The rule as JavaScript (to-js.ts), written by the generator where the rule is in the part of CEL compiled there. */
  fast?: FastRule;
}

export interface CelNode {
  /** The schema's `type`; absent for int-or-string and preserved unknown fields. */
  type?: string;
  /** Only `duration`, `date-time` and `byte`: the formats that change a string's CEL type. */
  format?: string;
  intOrString?: true;
  /** Applied, as the API server does, where the field is absent. */
  default?: unknown;
  properties?: Record<string, CelNode>;
  items?: CelNode;
  additionalProperties?: CelNode;
  rules?: CelRule[];
}
