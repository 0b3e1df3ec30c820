// Every object against the real schema of its kind (Kubernetes built-ins, Istio, Linkerd,
// Gateway API, Flagger), as the API server would judge it with strict field validation.
// What is and is not checked: docs/schemas.md.
import {refOf, type KubeObject, type ResourceRef} from '../objects.js';
import type {CelFailure, KindRules, NotChecked} from './cel/index.js';
import type {CelNode} from './cel/types.js';
import {pathOf, problemsOf, type ValidatorError} from './problems.js';
import type {SchemaProblem, Validator, ValidatorLookup} from './types.js';

export type {SchemaIndex, SchemaIndexEntry, SchemaOrigin, SchemaProblem, SchemaRule, Validator,
  ValidatorLookup} from './types.js';

export interface SchemaChecker {
  checkObjects(objects: readonly KubeObject[]): Promise<SchemaProblem[]>;
  /** The problems of each object, in the order given: one call for a whole input rather than one per object. */
  checkEach(objects: readonly KubeObject[]): Promise<SchemaProblem[][]>;
  /** CEL rules of the kinds checked so far that could not be evaluated, by reason: to be reported once per run. */
  notCheckedRules(): NotChecked;
}

/** The CEL rule walk loads when the first kind with rules is met, and the CEL evaluator (@bufbuild/cel) when a rule needs it. */
type CelModule = typeof import('./cel/index.js');
let celModule: Promise<CelModule> | undefined;

/** A checker judging each object with the validator `validatorFor` finds for its kind, and the CEL rules it carries. */
export function schemaChecker(validatorFor: ValidatorLookup): SchemaChecker {
  const seen = new Set<KindRules>();
  let cel: CelModule | undefined;
  const checkOne = (object: KubeObject, validate: (Validator & {cel?: CelNode}) | undefined): SchemaProblem[] => {
    if (!validate) {
      return [{type: 'unknown-kind', object: refOf(object), path: '', rule: 'unknown-kind',
        message:
          `no schema for apiVersion "${object.apiVersion}" kind "${object.kind}" (not a built-in kind or a CRD of Istio, Linkerd, Gateway API or Flagger at the pinned versions)`}];
    }
    const judged = withoutNullFields(object);
    const valid = validate(judged);
    const problems = valid ? [] : problemsOf(validate.errors ?? [], judged, refOf(object));
    const rules = cel?.rulesOf(validate);
    if (!rules || (!valid && blocksCelRules(validate.errors ?? []))) return problems;
    seen.add(rules);
    return [...problems, ...rules.evaluate(judged).map((failure) => celProblem(failure, judged, refOf(object)))];
  };
  const checkEach = async (objects: readonly KubeObject[]): Promise<SchemaProblem[][]> => {
    const problems: SchemaProblem[][] = [];
    for (const object of objects) {
      const validate = validatorFor(object.apiVersion, object.kind) as (Validator & {cel?: CelNode}) | undefined;
      if (validate?.cel && !cel) cel = await (celModule ??= import('./cel/index.js'));
      try {
        problems.push(checkOne(object, validate));
      } catch (error) {
        if (!cel || !(error instanceof cel.CelEvaluatorNeeded)) throw error;
        await cel.loadCelEvaluator();
        problems.push(checkOne(object, validate));
      }
    }
    return problems;
  };
  const checkObjects = async (objects: readonly KubeObject[]) => (await checkEach(objects)).flat();
  return {
    checkObjects,
    checkEach,
    notCheckedRules: () => {
      const total: NotChecked = new Map();
      for (const rules of seen) {
        for (const [reason, count] of rules.notChecked) total.set(reason, (total.get(reason) ?? 0) + count);
      }
      return total;
    },
  };
}

/**
 * The errors after which the API server does not run a kind's CEL rules (hasBlockingErr in
 * k8s.io/apiextensions-apiserver pkg/registry/customresource/strategy.go): the rules could
 * not rely on the types and bounds the schema declares.
 */
const BLOCKING_KEYWORDS = new Set(['type', 'enum', 'required', 'maxLength', 'maxItems', 'maxProperties']);

function blocksCelRules(errors: readonly ValidatorError[]): boolean {
  return errors.some((error) => BLOCKING_KEYWORDS.has(error.keyword));
}

/** How the API server words a rule's `reason` before the message (field.Error's ErrorBody); FieldValueInvalid adds only the value. */
const REASON_WORDS: Record<string, string> = {FieldValueForbidden: 'Forbidden', FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value'};

function celProblem(failure: CelFailure, object: unknown, ref: ResourceRef): SchemaProblem {
  const words = failure.reason === undefined ? undefined : REASON_WORDS[failure.reason];
  const problem: SchemaProblem = {type: 'invalid', object: ref, path: pathOf(failure.field),
    field: presentPart(object, failure.field), rule: 'cel',
    message: words ? `${words}: ${failure.message}` : failure.message};
  if (failure.reason !== undefined) problem.reason = failure.reason;
  return problem;
}

/** The longest start of `field` that the object has (a rule may report a field its default filled in). */
function presentPart(object: unknown, field: readonly (string | number)[]): (string | number)[] {
  const present: (string | number)[] = [];
  let value = object;
  for (const segment of field) {
    value = (value as Record<string | number, unknown> | undefined)?.[segment];
    if (value === undefined) break;
    present.push(segment);
  }
  return present;
}

/** What a run's checks could not judge, as notes to print once (none with the pinned CRDs). */
export function notCheckedNotes(notChecked: NotChecked): string[] {
  if (notChecked.size === 0) return [];
  const total = [...notChecked.values()].reduce((sum, count) => sum + count, 0);
  return [
    `not checked: ${total} CEL rules (x-kubernetes-validations) of the kinds in the input: ${
      [...notChecked].map(([reason, count]) => `${count} ${reason}`).join('; ')
    }`,
  ];
}

/**
 * A field set to null is the same as a field left out, for the API server: Go decoding
 * leaves the zero value and CRD pruning drops it (`labels:` with nothing after it is
 * fine). Array items are kept: a null item is an error there too. Returns the same object
 * when it holds no null field, so the common case copies nothing.
 */
export function withoutNullFields<T>(value: T): T {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const cleaned = withoutNullFields(value[i]);
      if (cleaned !== value[i]) (copy ??= [...value])[i] = cleaned;
    }
    return (copy ?? value) as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const fields = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  // for-in, not entries or keys: this walks every object of every manifest, and an array per object adds up.
  // Parsed YAML and JSON are plain objects: every enumerable key is their own.
  for (const key in fields) {
    const field = fields[key];
    if (field === null) {
      copy ??= {...fields};
      delete copy[key];
      continue;
    }
    const cleaned = withoutNullFields(field);
    if (cleaned !== field) (copy ??= {...fields})[key] = cleaned;
  }
  return (copy ?? value) as T;
}
