// A CRD version's openAPIV3Schema → the part its CEL rules need (src/core/schema/cel/types.ts):
// every node holding rules, with its whole subtree (so that `self` gets the API server's
// types and defaults), and the path from the root to it, with the defaults on the way (a
// default can create the field a rule sits on). Nothing else: a kind without rules gets none.
import {parseRule, ruleHandling} from '../../src/core/schema/cel/compile.js';
import type {FastRule} from '../../src/core/schema/cel/fast-runtime.js';
import {ruleToJs} from '../../src/core/schema/cel/to-js.js';
import type {CelNode, CelRule} from '../../src/core/schema/cel/types.js';
import type {SchemaNode} from './openapi.js';

/** Formats that give a string another CEL type (k8s.io/apiserver/pkg/cel/common/schemas.go). */
const TYPED_FORMATS = new Set(['duration', 'date-time', 'byte']);

/** The rule tree of a schema, or undefined when no node of it has rules. */
export function celTree(schema: SchemaNode): CelNode | undefined {
  return hasRules(schema) ? keep(schema, false) : undefined;
}

function children(schema: SchemaNode): SchemaNode[] {
  const properties = Object.values((schema.properties ?? {}) as Record<string, SchemaNode>);
  const items = typeof schema.items === 'object' ? [schema.items as SchemaNode] : [];
  const values = typeof schema.additionalProperties === 'object' ? [schema.additionalProperties as SchemaNode] : [];
  return [...properties, ...items, ...values];
}

function hasRules(schema: SchemaNode): boolean {
  return schema['x-kubernetes-validations'] !== undefined || children(schema).some(hasRules);
}

/** `whole`: under a node with rules, where every field's type matters. */
function keep(schema: SchemaNode, whole: boolean): CelNode {
  const rules = schema['x-kubernetes-validations'] as CelRule[] | undefined;
  const complete = whole || rules !== undefined;
  const node: CelNode = {};
  if (typeof schema.type === 'string') node.type = schema.type;
  if (typeof schema.format === 'string' && TYPED_FORMATS.has(schema.format)) node.format = schema.format;
  if (schema['x-kubernetes-int-or-string'] === true) node.intOrString = true;
  if (schema.default !== undefined) node.default = schema.default;
  const wanted = (child: SchemaNode) => complete || hasRules(child);
  if (schema.properties !== undefined) {
    const properties = Object.entries(schema.properties as Record<string, SchemaNode>).filter(([, child]) =>
      wanted(child)
    );
    if (properties.length > 0) {
      node.properties = Object.fromEntries(properties.map(([name, child]) => [name, keep(child, complete)]));
    }
  }
  if (typeof schema.items === 'object' && wanted(schema.items as SchemaNode)) {
    node.items = keep(schema.items as SchemaNode, complete);
  }
  if (typeof schema.additionalProperties === 'object' && wanted(schema.additionalProperties as SchemaNode)) {
    node.additionalProperties = keep(schema.additionalProperties as SchemaNode, complete);
  }
  if (rules) {
    node.rules = rules.map(({rule, message, messageExpression, fieldPath, reason}) => {
      const kept: CelRule = {rule, message, messageExpression, fieldPath, reason};
      const parsed = {...kept, parsed: parseRule(kept)};
      return withFastRule({...parsed, handling: ruleHandling(parsed, node)}, node);
    });
  }
  return node;
}

/** The rule with its JavaScript form (src/core/schema/cel/to-js.ts) when it is checked and in the part of CEL compiled there. */
function withFastRule(rule: CelRule, node: CelNode): CelRule {
  if (rule.handling?.kind !== 'checked' || !rule.parsed || 'error' in rule.parsed) return rule;
  const source = ruleToJs(rule.parsed.expr, node);
  // Evaluated here so that a syntax error fails the build; celTreeSource writes the source back out.
  return source === undefined ? rule : {...rule, fast: (0, eval)(source) as FastRule};
}

/**
 * JavaScript source for a rule tree: JSON, except for what syntax trees hold beyond it
 * (int64 constants and expression ids are bigints, bytes constants Uint8Arrays) and the
 * rules compiled to JavaScript functions.
 */
export function celTreeSource(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return value.toString();
  if (value instanceof Uint8Array) return `new Uint8Array([${value.join(',')}])`;
  if (Array.isArray(value)) return `[${value.map(celTreeSource).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${fields.map(([key, field]) => `${JSON.stringify(key)}:${celTreeSource(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
