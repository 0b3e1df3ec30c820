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

/**
 * A template node compiled once: given the values, its rendered value, or REMOVE. Templates are
 * compiled on first use and kept, so that rendering many services parses no `{{ }}` twice and
 * builds no error position that is not reported.
 */
type Filler = (scope: Scope) => unknown;

/** A `{{ a.b }}` path, split once, with the place it was written for errors. */
interface Reference {
  path: string;
  root: string;
  rest: string[];
  file: string;
  where: string;
}

function reference(path: string, file: string, where: string): Reference {
  const [root, ...rest] = path.split('.');
  return {path, root: root!, rest, file, where};
}

function lookup({path, root, rest, file, where}: Reference, scope: Scope): unknown {
  if (!(root in scope)) {
    throw new TemplateError(file, where, `unknown value ${JSON.stringify(root)} in {{ ${path} }}`, path);
  }
  let current: unknown = scope[root];
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

function compileCondition(expression: unknown, file: string, where: string): (scope: Scope) => boolean {
  if (typeof expression !== 'string') {
    return () => {
      throw new TemplateError(file, where, '$when needs a value path');
    };
  }
  const negated = expression.startsWith('!');
  const value = reference(negated ? expression.slice(1).trim() : expression.trim(), file, where);
  return (scope) => {
    const found = lookup(value, scope);
    const truthy = Array.isArray(found) ? found.length > 0 : Boolean(found);
    return negated ? !truthy : truthy;
  };
}

/**
 * Values are copied so that a rendered object never shares structure with the values or another
 * object. Values are plain data: arrays and plain objects are copied here, anything else as
 * structuredClone copies it; scalars are immutable and kept.
 */
function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out;
}

function compileString(node: string, file: string, where: string): Filler {
  const whole = WHOLE.exec(node);
  if (whole) {
    const value = reference(whole[1]!, file, where);
    return (scope) => {
      const found = lookup(value, scope);
      return found === undefined ? REMOVE : copy(found);
    };
  }
  if (!node.includes('{{')) return () => node;
  // Text between the references: texts[i] comes before references[i], the last text after them all.
  const texts: string[] = [];
  const references: Reference[] = [];
  let last = 0;
  for (const match of node.matchAll(PART)) {
    texts.push(node.slice(last, match.index));
    references.push(reference(match[1]!, file, where));
    last = match.index + match[0].length;
  }
  texts.push(node.slice(last));
  return (scope) => {
    let out = texts[0]!;
    for (let i = 0; i < references.length; i++) {
      const value = lookup(references[i]!, scope);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new TemplateError(file, where,
          `{{ ${references[i]!.path} }} inside a string must be a string or number, not ${
            value === undefined ? 'absent' : typeof value
          }`);
      }
      out += String(value) + texts[i + 1]!;
    }
    return out;
  };
}

function compile(node: unknown, file: string, where: string): Filler {
  if (typeof node === 'string') return compileString(node, file, where);
  if (Array.isArray(node)) {
    const items = node.map((item, index) => compile(item, file, `${where}[${index}]`));
    return (scope) => {
      const out: unknown[] = [];
      for (const item of items) {
        const filled = item(scope);
        if (filled !== REMOVE) out.push(filled);
      }
      return out;
    };
  }
  if (typeof node === 'object' && node !== null) return compileMap(node as Record<string, unknown>, file, where);
  return () => node;
}

/** `skip`: the keys of a document that say how to expand it ($forEach, $as), not what it holds. */
function compileMap(source: Record<string, unknown>, file: string, where: string, skip?: ReadonlySet<string>): Filler {
  const when = '$when' in source ? compileCondition(source.$when, file, where) : undefined;
  const fields = Object.entries(source)
    .filter(([key]) => key !== '$when' && !skip?.has(key))
    .map(([key, value]) => [key, compile(value, file, where ? `${where}.${key}` : key)] as const);
  return (scope) => {
    if (when && !when(scope)) return REMOVE;
    const out: Record<string, unknown> = {};
    for (const [key, fill] of fields) {
      const filled = fill(scope);
      if (filled !== REMOVE) out[key] = filled;
    }
    return out;
  };
}

const EXPANSION_KEYS: ReadonlySet<string> = new Set(['$forEach', '$as']);
/** Each template document's body, compiled the first time it renders (errors name the file it was compiled for). */
const compiledBodies = new WeakMap<object, {file: string; body: Filler}>();

function bodyOf(document: Record<string, unknown>, file: string): Filler {
  let compiled = compiledBodies.get(document);
  if (compiled?.file !== file) {
    compiled = {file, body: compileMap(document, file, '', EXPANSION_KEYS)};
    compiledBodies.set(document, compiled);
  }
  return compiled.body;
}

function expand(document: unknown, scope: Scope, file: string, index: number): unknown[] {
  const where = `document ${index + 1}`;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TemplateError(file, where, 'a template document must be a map');
  }
  const {$forEach, $as} = document as Record<string, unknown>;
  const body = bodyOf(document as Record<string, unknown>, file);
  if ($forEach === undefined) return [body(scope)];
  if (typeof $forEach !== 'string' || typeof $as !== 'string') {
    throw new TemplateError(file, where, '$forEach needs a value path and $as a name');
  }
  const items = lookup(reference($forEach, file, where), scope);
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw new TemplateError(file, where, `$forEach ${$forEach} is not a list`);
  return items.map((item) => body({...scope, [$as]: item}));
}

/** Renders a template of one map that is not a Kubernetes object: a chart's values. */
export function renderValues(template: Template, values: Scope): Record<string, unknown> {
  const [document, ...rest] = template.documents;
  if (rest.length || typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TemplateError(template.file, 'document 1', 'a values template must be one map');
  }
  const filled = bodyOf(document as Record<string, unknown>, template.file)(values);
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
