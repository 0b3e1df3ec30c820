// Ajv standalone code: one CommonJS module per kind, exporting its validate function, so that
// a caller loads (and V8 parses) only the kinds it meets. With `inlineRefs: false` every
// definition becomes its own function, which V8 compiles only when an object reaches it.
import {Ajv, _, type KeywordCxt} from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import {DEFINITIONS_ID, kindKey, SCHEMA_ID_BASE, type KindSchema} from './kinds.js';
import {ONE_OF_FIELDS, type SchemaNode} from './openapi.js';

// Both are CommonJS; under NodeNext their default import is typed as the module namespace.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;

/** Every format openapi.ts keeps; the generated code takes their checks from ajv-formats at run time. */
const FORMATS = ['int32', 'int64', 'date-time', 'byte', 'ipv4', 'ipv6', 'uuid', 'date'] as const;

/** `{fields, atMostOne}`: at most (or exactly) one of the fields is set; the error carries the field list. */
function addOneOfFields(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: ONE_OF_FIELDS,
    type: 'object',
    schemaType: 'object',
    error: {
      message: 'fields exclude each other',
      params: ({schemaCode}) => _`{fields: ${schemaCode}.fields, atMostOne: ${schemaCode}.atMostOne}`,
    },
    code(cxt: KeywordCxt) {
      const {gen, data, schemaCode} = cxt;
      const present = gen.const('present',
        _`${schemaCode}.fields.filter((field) => ${data}[field] !== undefined).length`);
      cxt.fail(_`${present} > 1 || (!${schemaCode}.atMostOne && ${present} === 0)`);
    },
  });
}

/** Module source whose `module.exports` is the kind's validate function. */
export function compileKind(kind: KindSchema, definitions: Record<string, SchemaNode>): string {
  const ajv = new Ajv({
    allErrors: true,
    // src/core/schema writes the messages from keyword and params; Ajv's would only add code.
    messages: false,
    strict: false,
    validateSchema: false,
    inlineRefs: false,
    code: {source: true, lines: false, formats: _`require("ajv-formats/dist/formats").fullFormats`},
  });
  addFormats(ajv, [...FORMATS]);
  addOneOfFields(ajv);
  ajv.addSchema({$id: DEFINITIONS_ID, definitions}, undefined, undefined, false);
  const validate = ajv.compile({$id: `${SCHEMA_ID_BASE}kinds/${kindKey(kind)}`, ...kind.schema});
  return standaloneCode(ajv, validate);
}
