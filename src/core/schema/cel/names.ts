// Field names as CEL programs see them. Kubernetes escapes a field whose name is a CEL reserved
// word or holds `.`, `-`, `/` or `__` (k8s.io/apiserver/pkg/cel/escaping.go); both the CEL
// evaluator and the rules compiled to JavaScript read fields under these names.

/** CEL's reserved words, which Kubernetes escapes as `__word__`. */
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function',
  'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPES: Record<string, string> = {__: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__'};
/** Field names repeat across objects: each is escaped once per run. */
const escaped = new Map<string, string | undefined>();

/** A field name as CEL programs see it, or undefined when it has no CEL name (a leading digit, other characters). */
export function escapedName(name: string): string | undefined {
  if (escaped.has(name)) return escaped.get(name);
  let result: string | undefined;
  if (name === '' || /^[0-9]/.test(name) || /[^A-Za-z0-9_./-]/.test(name)) result = undefined;
  else if (RESERVED.has(name)) result = `__${name}__`;
  else result = name.replace(/__|[./-]/g, (matched) => ESCAPES[matched]!);
  escaped.set(name, result);
  return result;
}
