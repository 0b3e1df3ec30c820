// Every object against the real schema of its kind (Kubernetes built-ins, Istio, Linkerd,
// Gateway API, Flagger), as the API server would judge it with strict field validation.
// What is and is not checked: docs/schemas.md.
import {refOf, type KubeObject} from '../objects.js';
import {problemsOf} from './problems.js';
import type {SchemaProblem, ValidatorLookup} from './types.js';

export type {SchemaIndex, SchemaIndexEntry, SchemaOrigin, SchemaProblem, SchemaRule, Validator, ValidatorLookup} from './types.js';

export interface SchemaChecker {
  checkObject(object: KubeObject): Promise<SchemaProblem[]>;
  checkObjects(objects: readonly KubeObject[]): Promise<SchemaProblem[]>;
}

/** A checker judging each object with the validator `validatorFor` finds for its kind. */
export function schemaChecker(validatorFor: ValidatorLookup): SchemaChecker {
  const checkOne = (object: KubeObject): SchemaProblem[] => {
    const validate = validatorFor(object.apiVersion, object.kind);
    if (!validate) {
      return [{type: 'unknown-kind', object: refOf(object), path: '', rule: 'unknown-kind',
        message: `no schema for apiVersion "${object.apiVersion}" kind "${object.kind}" (not a built-in kind or a CRD of Istio, Linkerd, Gateway API or Flagger at the pinned versions)`}];
    }
    const judged = withoutNullFields(object);
    if (validate(judged)) return [];
    return problemsOf(validate.errors ?? [], judged, refOf(object));
  };
  return {
    checkObject: async (object) => checkOne(object),
    checkObjects: async (objects) => objects.flatMap(checkOne),
  };
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
  // Keys, not entries: this walks every object of every manifest, and an entry array per field adds up.
  for (const key of Object.keys(fields)) {
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
