// Templates are data: YAML parsed into structures, with values placed into them.
// No YAML text is ever concatenated, so a value can never change the structure
// around it (a name with `\n` or `: ` stays one scalar).
//
// The template language is deliberately small:
//   "{{ a.b }}"            the whole scalar is replaced by the value (any type);
//                          an absent optional value removes the key or list item
//   "x-{{ a.b }}-y"        interpolation into a string (the value must be a scalar)
//   $when: a.b             on a document or a map: keep it only if the value is truthy
//                          ("!a.b" negates)
//   $forEach: a.list       on a document: one copy per item, the item bound to $as
//   $as: item
import {isKubeObject, type KubeObject} from '../objects.js';

export interface Template {
  /** Template file name relative to the template root, e.g. `istio/peer-authentication.yaml`. */
  file: string;
  /** The documents of the file, parsed. */
  documents: unknown[];
}

export class TemplateError extends Error {
  /** The `{{ }}` path that failed, so that a reader of the template's text can find its line. */
  constructor(readonly file: string, readonly where: string, message: string, readonly reference?: string) {
    super(`${file}: ${where}: ${message}`);
    this.name = 'TemplateError';
  }
}

type Scope = Record<string, unknown>;

const WHOLE = /^\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$-]+)*)\s*\}\}$/;
const PART = /\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$-]+)*)\s*\}\}/g;
const REMOVE = Symbol('remove');

function lookup(scope: Scope, path: string, file: string, where: string): unknown {
  const [root, ...rest] = path.split('.');
  if (!(root! in scope)) {
    throw new TemplateError(file, where, `unknown value ${JSON.stringify(root)} in {{ ${path} }}`, path);
  }
  let current: unknown = scope[root!];
  for (const key of rest) {
    if (current === undefined || current === null) return undefined;
    if (typeof current !== 'object') {
      throw new TemplateError(file, where, `{{ ${path} }}: ${JSON.stringify(key)} is looked up in a ${typeof current}`,
        path);
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function condition(scope: Scope, expression: unknown, file: string, where: string): boolean {
  if (typeof expression !== 'string') throw new TemplateError(file, where, '$when needs a value path');
  const negated = expression.startsWith('!');
  const value = lookup(scope, negated ? expression.slice(1).trim() : expression.trim(), file, where);
  const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
  return negated ? !truthy : truthy;
}

/** Values are copied so that a rendered object never shares structure with the values or another object. */
function copy(value: unknown): unknown {
  return value === undefined ? undefined : structuredClone(value);
}

function fill(node: unknown, scope: Scope, file: string, where: string): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole) {
      const value = lookup(scope, whole[1]!, file, where);
      return value === undefined ? REMOVE : copy(value);
    }
    if (!node.includes('{{')) return node;
    return node.replace(PART, (_match, path: string) => {
      const value = lookup(scope, path, file, where);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new TemplateError(file, where,
        `{{ ${path} }} inside a string must be a string or number, not ${
          value === undefined ? 'absent' : typeof value
        }`);
    });
  }
  if (Array.isArray(node)) {
    return node
      .map((item, index) => fill(item, scope, file, `${where}[${index}]`))
      .filter((item) => item !== REMOVE);
  }
  if (typeof node === 'object' && node !== null) {
    const source = node as Record<string, unknown>;
    if ('$when' in source && !condition(scope, source.$when, file, where)) return REMOVE;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      if (key === '$when') continue;
      const filled = fill(value, scope, file, where ? `${where}.${key}` : key);
      if (filled !== REMOVE) out[key] = filled;
    }
    return out;
  }
  return node;
}

function expand(document: unknown, scope: Scope, file: string, index: number): unknown[] {
  const where = `document ${index + 1}`;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TemplateError(file, where, 'a template document must be a map');
  }
  const {$forEach, $as, ...body} = document as Record<string, unknown>;
  if ($forEach === undefined) return [fill(body, scope, file, '')];
  if (typeof $forEach !== 'string' || typeof $as !== 'string') {
    throw new TemplateError(file, where, '$forEach needs a value path and $as a name');
  }
  const items = lookup(scope, $forEach, file, where);
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw new TemplateError(file, where, `$forEach ${$forEach} is not a list`);
  return items.map((item) => fill(body, {...scope, [$as]: item}, file, ''));
}

/** Renders a template of one map that is not a Kubernetes object: a chart's values. */
export function renderValues(template: Template, values: Scope): Record<string, unknown> {
  const [document, ...rest] = template.documents;
  if (rest.length || typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TemplateError(template.file, 'document 1', 'a values template must be one map');
  }
  const filled = fill(document, values, template.file, '');
  return filled === REMOVE ? {} : filled as Record<string, unknown>;
}

/** Renders templates in order; documents dropped by `$when` produce nothing. */
export function render(templates: readonly Template[], values: Scope): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const template of templates) {
    template.documents.forEach((document, index) => {
      for (const result of expand(document, values, template.file, index)) {
        if (result === REMOVE || result === null) continue;
        if (!isKubeObject(result)) {
          throw new TemplateError(template.file, `document ${index + 1}`,
            'did not render to a Kubernetes object (apiVersion, kind and metadata are required)');
        }
        objects.push(result);
      }
    });
  }
  return objects;
}
