// Findings about the input itself, before any mesh rule looks at it: YAML that does not
// parse, objects that break their schema, kinds no schema knows. Codes SM0xxx, documented
// in docs/validate.md like the rest of the validate command.
import type {ManifestParseError} from '../manifests.js';
import type {SourcedObject} from '../objects.js';
import type {SchemaProblem} from '../schema/types.js';
import type {Finding, RuleDoc} from './types.js';

const VALIDATE_PAGE = 'https://github.com/sparc-platform/sparc-mesh/blob/main/docs/validate.md';

function inputRule(code: string, severity: RuleDoc['severity'], title: string, description: string,
  fix: string): RuleDoc
{
  return {code, severity, title, description, fix, documentation: `${VALIDATE_PAGE}#${code.toLowerCase()}`};
}

export const SCHEMA_VIOLATION = inputRule('SM0001', 'error', 'Object does not match its schema',
  'The object has a field of the wrong type, a required field missing, a value outside its allowed set, a field the '
    + 'schema does not define, or it breaks a validation rule its CRD declares in CEL (x-kubernetes-validations; the message '
    + "is the rule's own). The API server would reject it, or (for unknown fields) silently drop the field.",
  'Correct the field named in the message. `kubectl explain KIND.FIELD` (or the CRD) shows the expected shape; '
    + 'a misspelt field name is the most common cause.');

export const UNKNOWN_KIND = inputRule('SM0002', 'info', 'No schema known for this kind',
  'sparc-mesh has no schema for this apiVersion and kind (a CRD it does not ship, or a typo in apiVersion or kind), '
    + 'so the object was analysed without a schema check.',
  'Check the spelling of `apiVersion` and `kind`. For a CRD of your own, nothing needs fixing; suppress the code for it with '
    + '`--suppress "SM0002=KIND *"` or the `sparc-mesh.io/validate-suppress: SM0002` annotation.');

export const YAML_SYNTAX = inputRule('SM0003', 'error', 'YAML syntax error',
  'A document of the file does not parse as YAML or JSON. That document is skipped; the other documents and files are '
    + 'still analysed, so findings about references to the broken object may follow.',
  'Fix the syntax at the line shown: usually indentation, a tab character, an unclosed quote or bracket, or a missing '
    + '`---` between documents. `yamllint FILE` gives more detail.');

export const UNREADABLE_INPUT = inputRule('SM0004', 'error', 'Input not read',
  'A file is not UTF-8, or a document is over one of the limits every reader of sparc-mesh has (its size once YAML '
    + 'aliases are expanded, or its nesting depth; docs/validate.md lists them). The file or document was not analysed.',
  'Save the file as UTF-8. Aliases that expand to a million nodes or nesting 100 levels deep are not a real '
    + 'manifest: write the objects out, or split the input.');

export const INVALID_METADATA = inputRule('SM0005', 'error', 'Invalid object metadata',
  "The object's name, namespace, or a label or annotation breaks a rule the API server enforces: names of most kinds are "
    + 'DNS-1123 subdomains (lower-case letters, digits, `-` and `.`, at most 253 characters), names of Namespaces and Services '
    + 'are DNS-1123 labels (no `.`, at most 63), label and annotation keys are an optional DNS subdomain prefix and `/` and a '
    + 'name of at most 63 characters, label values at most 63 characters of letters, digits, `-`, `_` and `.`, and all '
    + 'annotations together at most 256 KiB. `kubectl apply` would reject the object.',
  'Rename as the message says. Names are usually lower-case words joined by `-`; put longer or free-form text in an annotation, not a label.');

export const NOT_AN_OBJECT = inputRule('SM0006', 'warning', 'Document looks like a Kubernetes object but is not one',
  'A document has some of `apiVersion`, `kind` and `metadata` (or keys that differ from them only in case), but not all three '
    + 'as Kubernetes needs them. It was not analysed, so a typo such as `apiversion:` would otherwise pass unnoticed.',
  'Spell the keys `apiVersion`, `kind` and `metadata`, with `kind` and `apiVersion` as strings and `metadata` as a mapping.');

export const inputCatalogue: RuleDoc[] = [SCHEMA_VIOLATION, UNKNOWN_KIND, YAML_SYNTAX, UNREADABLE_INPUT,
  INVALID_METADATA, NOT_AN_OBJECT];

const PARSE_RULES = {syntax: YAML_SYNTAX, unreadable: UNREADABLE_INPUT, 'not-an-object': NOT_AN_OBJECT} as const;

export function parseErrorFinding(error: ManifestParseError): Finding {
  const rule = PARSE_RULES[error.kind ?? 'syntax'];
  return {code: rule.code, severity: rule.severity, message: error.message, file: error.file, line: error.line,
    documentation: rule.documentation};
}

/** A schema problem of one object, pointing at the object's file and line. */
export function schemaFinding(problem: SchemaProblem, target: SourcedObject): Finding {
  const rule = problem.type === 'unknown-kind' ? UNKNOWN_KIND : SCHEMA_VIOLATION;
  const message = problem.type === 'unknown-kind' || problem.path === ''
    ? problem.message
    : `${problem.path}: ${problem.message}`;
  const finding: Finding = {code: rule.code, severity: rule.severity, message, resource: problem.object,
    documentation: rule.documentation};
  if (problem.field) finding.field = problem.field;
  if (target.source) {
    finding.file = target.source.file;
    finding.line = target.source.line;
  }
  return finding;
}
