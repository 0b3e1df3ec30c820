// Finds and loads the precompiled validators in schemas/ (built by `npm run schemas`). Each
// kind is its own module, required on first use and cached, so that checking a
// VirtualService never parses the code for Pods.
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';
import type {SchemaIndex} from './types.js';
import type {ValidatorError} from './problems.js';

/** The shape of an Ajv standalone validate function. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}

/** schemas/ sits at the package root: two levels above both src/core/schema and dist/core/schema. */
export const DEFAULT_SCHEMAS_DIR = new URL('../../../schemas/', import.meta.url);

export class SchemasNotBuiltError extends Error {
  constructor(dir: URL, cause: unknown) {
    super(`The Kubernetes schemas are not built (${fileURLToPath(new URL('index.json', dir))} is missing or unreadable). `
      + 'Run `npm run schemas` (or `npm run build`) in the sparc-mesh checkout.', {cause});
    this.name = 'SchemasNotBuiltError';
  }
}

export class ValidatorStore {
  private index: SchemaIndex | undefined;
  private readonly validators = new Map<string, Validator | undefined>();
  // Generated modules are CommonJS: require is synchronous, and cheaper than import() per module.
  private readonly require = createRequire(import.meta.url);

  constructor(private readonly dir: URL = DEFAULT_SCHEMAS_DIR) {}

  /** The validator for `apiVersion/kind`, or undefined when no schema exists for it. */
  validatorFor(apiVersion: string, kind: string): Validator | undefined {
    const key = `${apiVersion}/${kind}`;
    if (this.validators.has(key)) return this.validators.get(key);
    const entry = this.loadIndex().kinds[key];
    const validator = entry ? this.require(fileURLToPath(new URL(entry.module, this.dir))) as Validator : undefined;
    this.validators.set(key, validator);
    return validator;
  }

  loadIndex(): SchemaIndex {
    if (this.index) return this.index;
    try {
      this.index = this.require(fileURLToPath(new URL('index.json', this.dir))) as SchemaIndex;
    } catch (error) {
      throw new SchemasNotBuiltError(this.dir, error);
    }
    return this.index;
  }
}
