// Reasons are the same for many calls (one callee, one policy rule); building them once
// per owner keeps large graphs from spending their time allocating identical strings.

export type MemoTable<K extends object, V> = WeakMap<K, Map<string, V>>;

export function memoOn<K extends object, V>(table: MemoTable<K, V>, owner: K, key: string, make: () => V): V {
  let byKey = table.get(owner);
  if (!byKey) {
    byKey = new Map();
    table.set(owner, byKey);
  }
  let value = byKey.get(key);
  if (value === undefined) {
    value = make();
    byKey.set(key, value);
  }
  return value;
}
