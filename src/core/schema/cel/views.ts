// The part of an object a rule reads (SelfView, decided when the rule compiles) as a string,
// so that objects alike in that part share the rule's verdict without converting them.
import type {SelfView} from './classify.js';
import type {CelNode} from './types.js';
import {escapedName} from './names.js';

/** The key of `value` for `view`, or undefined when the rule reads all of `self`. */
export function viewKey(view: SelfView, value: Record<string, unknown>, node: CelNode): string | undefined {
  if (Array.isArray(value)) return undefined;
  if (view.reads === 'presence') {
    let key = '';
    for (const name of view.fields) key += isPresent(value, node, name) ? '1' : '0';
    return key;
  }
  // Iterating a map gives its keys; iterating an object with declared fields would give their CEL names and defaults.
  if (view.reads === 'keys' && node.properties === undefined) return Object.keys(value).join('\u0000');
  return undefined;
}

/** `has(self.name)` without converting `self`: the field (under its CEL name) is set, or defaulted. */
function isPresent(value: Record<string, unknown>, node: CelNode, name: string): boolean {
  const key = node.properties ? fieldOfCelName(node, name) : name;
  return key !== undefined && (key in value || node.properties?.[key]?.default !== undefined);
}

const fieldNames = new WeakMap<CelNode, Map<string, string>>();

/** The schema's property named `name` in CEL (`__namespace__` → `namespace`). */
function fieldOfCelName(node: CelNode, name: string): string | undefined {
  let names = fieldNames.get(node);
  if (!names) {
    names = new Map(Object.keys(node.properties ?? {}).flatMap((key) => {
      const escaped = escapedName(key);
      return escaped === undefined ? [] : [[escaped, key] as [string, string]];
    }));
    fieldNames.set(node, names);
  }
  return names.get(name);
}
