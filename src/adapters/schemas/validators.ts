// Finds and loads the precompiled validators in schemas/ (built by `npm run schemas`). Each
// kind is its own CommonJS module, loaded on first use and cached, so that checking a
// VirtualService never parses the code for Pods. src/core/schema judges objects with what
// this loads; reading these build artifacts of the package is the only I/O schema checks do.
//
// Parsing a validator's code is most of what checking a few objects costs, so the generator
// stores V8's code cache beside each module (for the V8 version it ran on) and modules are
// compiled through node:vm with it; V8 verifies a cache and compiles normally when it does
// not fit, so a cache can make loading faster but never change what loads.
import {readFileSync} from 'node:fs';
import {join, sep} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Script} from 'node:vm';
import {fullFormats} from 'ajv-formats/dist/formats.js';
import ucs2lengthExports from 'ajv/dist/runtime/ucs2length.js';
import type {SchemaIndex, Validator} from '../../core/schema/types.js';
import {PACKAGE_ROOT} from '../../package-root.js';

/** schemas/ sits at the package root (found from src/, dist/ and the bundle alike). */
export const DEFAULT_SCHEMAS_DIR = pathToFileURL(join(PACKAGE_ROOT, 'schemas') + sep);

export class SchemasNotBuiltError extends Error {
  constructor(dir: URL, cause: unknown) {
    super(
      `The Kubernetes schemas are not built (${fileURLToPath(new URL('index.json', dir))} is missing or unreadable). `
        + 'Run `npm run schemas` (or `npm run build`) in the sparc-mesh checkout.',
      {cause},
    );
    this.name = 'SchemasNotBuiltError';
  }
}

type ModuleFunction = (exports: unknown, require: (id: string) => unknown, module: {exports: unknown}) => void;

export interface LoadedModule {
  validate: Validator;
  /** The compiled script, from which the generator takes the code cache. */
  script: Script;
}

/**
 * What generated code requires: Ajv's runtime helper and ajv-formats' formats, both
 * dependencies of this package. They are part of the command's bundle (and its code cache), so
 * that loading a validator resolves and compiles nothing from node_modules. A validator that
 * requires anything else fails to load, first in the generator, which loads each one.
 */
export const VALIDATOR_RUNTIME: Readonly<Record<string, unknown>> = {
  'ajv-formats/dist/formats': {fullFormats},
  // The helper is the module's `default` export. Node and the bundle import the CommonJS module
  // as its exports object; vitest's interop gives that `default` itself.
  'ajv/dist/runtime/ucs2length': {
    default: typeof ucs2lengthExports === 'function' ? ucs2lengthExports : ucs2lengthExports.default,
  },
};

function requireRuntime(id: string): unknown {
  if (!Object.hasOwn(VALIDATOR_RUNTIME, id)) {
    throw new Error(`a schema validator requires ${id}, which is not its runtime`);
  }
  return VALIDATOR_RUNTIME[id];
}

/**
 * The function a generated module's file holds its code in, with the parameters of Node's
 * CommonJS wrapper: V8 compiles the file's text as read, where wrapping it here would make a
 * second string that V8 copies into a third (new pages for every kilobyte of a validator).
 */
export const VALIDATOR_WRAPPER = ['(function (exports, require, module) {', '\n})'] as const;

/** Runs a generated module as Node's CommonJS loader would. The generator builds code caches from exactly this text. */
export function loadValidatorModule(file: string, cachedData?: Buffer): LoadedModule {
  const script = new Script(readFileSync(file, 'utf8'), {filename: file, cachedData});
  const module = {exports: {} as unknown};
  (script.runInThisContext() as ModuleFunction)(module.exports, requireRuntime, module);
  return {validate: module.exports as Validator, script};
}

/** Where the code cache of a module is stored. */
export function codeCacheFile(moduleFile: string): string {
  return `${moduleFile}.v8cache`;
}

function readCodeCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

export class ValidatorStore {
  private index: SchemaIndex | undefined;
  /** By apiVersion, then kind: a key joined from both would be a new string to hash for every object checked. */
  private readonly validators = new Map<string, Map<string, Validator | undefined>>();

  constructor(private readonly dir: URL = DEFAULT_SCHEMAS_DIR) {}

  /** The validator for `apiVersion/kind`, or undefined when no schema exists for it (a ValidatorLookup). */
  readonly validatorFor = (apiVersion: string, kind: string): Validator | undefined => {
    let ofVersion = this.validators.get(apiVersion);
    if (!ofVersion) this.validators.set(apiVersion, ofVersion = new Map());
    const known = ofVersion.get(kind);
    if (known !== undefined || ofVersion.has(kind)) return known;
    const index = this.loadIndex();
    const entry = index.kinds[`${apiVersion}/${kind}`];
    let validator: Validator | undefined;
    if (entry) {
      const file = fileURLToPath(new URL(entry.module, this.dir));
      const cache = index.v8 === process.versions.v8 ? readCodeCache(codeCacheFile(file)) : undefined;
      validator = loadValidatorModule(file, cache).validate;
    }
    ofVersion.set(kind, validator);
    return validator;
  };

  loadIndex(): SchemaIndex {
    if (this.index) return this.index;
    try {
      this.index = JSON.parse(readFileSync(fileURLToPath(new URL('index.json', this.dir)), 'utf8')) as SchemaIndex;
    } catch (error) {
      throw new SchemasNotBuiltError(this.dir, error);
    }
    return this.index;
  }
}
