// Schema checks against the validators this package ships in schemas/: src/core/schema
// judges, src/adapters/schemas/validators.ts loads what it judges with.
import type {KubeObject} from '../../core/objects.js';
import {notCheckedNotes, schemaChecker, type SchemaChecker, type SchemaProblem} from '../../core/schema/index.js';
import {ValidatorStore} from './validators.js';

export {DEFAULT_SCHEMAS_DIR, SchemasNotBuiltError} from './validators.js';

/** A checker reading schemas from `dir` (default: the package's schemas/); validators are loaded on first use and kept. */
export function createSchemaChecker(dir?: URL): SchemaChecker {
  return schemaChecker(new ValidatorStore(dir).validatorFor);
}

let shared: SchemaChecker | undefined;

function sharedChecker(): SchemaChecker {
  shared ??= createSchemaChecker();
  return shared;
}

export function checkObjects(objects: readonly KubeObject[]): Promise<SchemaProblem[]> {
  return sharedChecker().checkObjects(objects);
}

export function checkEach(objects: readonly KubeObject[]): Promise<SchemaProblem[][]> {
  return sharedChecker().checkEach(objects);
}

/** What the checks so far could not judge (CEL rules not checked), as notes to print once per run. */
export function schemaNotes(): string[] {
  return notCheckedNotes(sharedChecker().notCheckedRules());
}
