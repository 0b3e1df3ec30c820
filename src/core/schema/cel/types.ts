// What the generator keeps of a CRD's structural schema for its CEL rules
// (`x-kubernetes-validations`): the rules where they sit, and what the API server needs to
// give `self` its CEL type (integer vs number, formats) and to apply defaults before it
// validates. Stored in each kind's module (`module.exports.cel`) by scripts/schemas.

/** One `x-kubernetes-validations` entry, as the CRD writes it. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** Relative to the rule's node: `.spec.port`, `['a.b']`; where the API server reports the failure. */
  fieldPath?: string;
  /** FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  reason?: string;
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
