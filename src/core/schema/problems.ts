// Ajv's errors → readable problems: a path in the notation people write
// (`spec.http[0].route[0].weight`, `metadata.labels["app.kubernetes.io/name"]`), a stable
// rule name, and a message that says what was expected.
import type {ResourceRef} from '../objects.js';
import type {SchemaProblem, SchemaRule} from './types.js';

/** The fields of an Ajv error object that the generated validators fill in. */
export interface ValidatorError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

const RULE_OF_KEYWORD: Record<string, SchemaRule> = {
  additionalProperties: 'unknown-field',
  required: 'required',
  type: 'type',
  enum: 'enum',
  const: 'const',
  format: 'format',
  pattern: 'pattern',
  minLength: 'length',
  maxLength: 'length',
  minimum: 'range',
  maximum: 'range',
  exclusiveMinimum: 'range',
  exclusiveMaximum: 'range',
  multipleOf: 'range',
  minItems: 'items',
  maxItems: 'items',
  minProperties: 'properties',
  maxProperties: 'properties',
  uniqueItems: 'unique',
  oneOf: 'one-of',
  oneOfFields: 'one-of',
  anyOf: 'any-of',
  not: 'not',
};

const COMBINATORS = new Set(['oneOf', 'anyOf']);
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function problemsOf(errors: readonly ValidatorError[], object: unknown, ref: ResourceRef): SchemaProblem[] {
  return withoutBranchNoise(errors).map((error) => {
    const tokens = pointerTokens(error.instancePath);
    const child = childOf(error);
    const path = formatPath(object, child === undefined ? tokens : [...tokens, child]);
    // A missing field has no line of its own: its parent's is the place to add it.
    const field = fieldOf(object,
      error.keyword === 'required' ? tokens : child === undefined ? tokens : [...tokens, child]);
    return {type: 'invalid', object: ref, path, field, rule: RULE_OF_KEYWORD[error.keyword] ?? 'other',
      message: messageOf(error, valueAt(object, tokens))};
  });
}

/**
 * A failed oneOf/anyOf also reports why each alternative failed; those are not problems of
 * the object (a VirtualService match sets `exact`, so of course the `prefix` branch
 * "misses" `prefix`). Keep the oneOf/anyOf problem, drop its branches' errors.
 */
function withoutBranchNoise(errors: readonly ValidatorError[]): ValidatorError[] {
  const combinators = errors.filter((error) => COMBINATORS.has(error.keyword));
  if (combinators.length === 0) return [...errors];
  return errors.filter((error) =>
    !combinators.some((combinator) =>
      combinator !== error
      && error.schemaPath.startsWith(`${combinator.schemaPath}/`)
      && error.instancePath.startsWith(combinator.instancePath)
    )
  );
}

function childOf(error: ValidatorError): string | undefined {
  if (error.keyword === 'required') return error.params.missingProperty as string;
  if (error.keyword === 'additionalProperties') return error.params.additionalProperty as string;
  return undefined;
}

function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function valueAt(object: unknown, tokens: readonly string[]): unknown {
  let value = object;
  for (const token of tokens) value = (value as Record<string, unknown> | undefined)?.[token];
  return value;
}

/** Tokens as keys and array positions (numbers where the value there is an array). */
function fieldOf(object: unknown, tokens: readonly string[]): (string | number)[] {
  let value = object;
  return tokens.map((token) => {
    const segment = Array.isArray(value) ? Number(token) : token;
    value = (value as Record<string, unknown> | undefined)?.[token];
    return segment;
  });
}

/** Array positions as `[0]`, plain keys dotted, any other key quoted in brackets. */
export function formatPath(object: unknown, tokens: readonly string[]): string {
  return pathOf(fieldOf(object, tokens));
}

export function pathOf(field: readonly (string | number)[]): string {
  let path = '';
  for (const segment of field) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const ARTICLE: Record<string, string> = {integer: 'an integer', object: 'an object', array: 'an array',
  string: 'a string', number: 'a number', boolean: 'a boolean', null: 'null'};

function messageOf(error: ValidatorError, value: unknown): string {
  const {params} = error;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(params.additionalProperty)}"`;
    case 'required':
      return `missing required field "${String(params.missingProperty)}"`;
    case 'type':
      return `must be ${String(params.type).split(',').map((type) => ARTICLE[type] ?? type).join(' or ')}, got ${
        describe(value)
      }`;
    case 'enum':
      return `must be one of ${
        (params.allowedValues as unknown[]).map((allowed) => JSON.stringify(allowed)).join(', ')
      }, got ${describe(value)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}, got ${describe(value)}`;
    case 'format':
      return `must be a valid ${String(params.format)}, got ${describe(value)}`;
    case 'pattern':
      return `must match ${String(params.pattern)}, got ${describe(value)}`;
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return `must have at least ${String(params.limit)} ${unitOf(error.keyword)}`;
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return `must have at most ${String(params.limit)} ${unitOf(error.keyword)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${String(params.limit)}, got ${describe(value)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(params.multipleOf)}, got ${describe(value)}`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case 'oneOfFields': {
      const fields = params.fields as string[];
      const present = fields.filter((field) => (value as Record<string, unknown>)[field] !== undefined);
      const found = present.length === 0 ? 'none is' : `${present.join(', ')} are`;
      return `${params.atMostOne ? 'at most' : 'exactly'} one of ${fields.join(', ')} may be set; ${found} set`;
    }
    case 'oneOf':
      return 'must match exactly one of the alternatives the schema allows (usually: fields that exclude each other are both set, or none of the required ones is)';
    case 'anyOf':
      return 'must match at least one of the alternatives the schema allows (usually: none of the fields it requires one of is set)';
    case 'not':
      return 'has a combination of fields the schema forbids';
    default:
      return `breaks the schema rule "${error.keyword}"`;
  }
}

function unitOf(keyword: string): string {
  if (keyword.endsWith('Length')) return 'characters';
  if (keyword.endsWith('Items')) return 'items';
  return 'fields';
}
