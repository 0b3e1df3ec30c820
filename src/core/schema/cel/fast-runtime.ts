// What the functions to-js.ts writes call at run time (`$`): typed reads of the object, and
// the few CEL operations JavaScript has no exact operator for. Wherever CEL would give an
// error, or a value JavaScript numbers cannot hold exactly, they throw Bail: the rule is
// then judged by @bufbuild/cel, which words the error as the API server does.

/** Thrown when a compiled rule cannot judge a value as CEL does. */
export class Bail extends Error {}

const BAIL = new Bail('left to the CEL evaluator');

function bail(): never {
  throw BAIL;
}

const MAX_NANOS = 9_223_372_036_854_775_807n;
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/g;
const NANOS_PER_UNIT: Record<string, bigint> = {ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n,
  m: 60_000_000_000n, h: 3_600_000_000_000n};

export const fastRuntime = {
  bool: (value: unknown): boolean => (typeof value === 'boolean' ? value : bail()),
  int: (value: unknown): number => (Number.isSafeInteger(value) ? value as number : bail()),
  double: (value: unknown): number => (typeof value === 'number' ? value : bail()),
  string: (value: unknown): string => (typeof value === 'string' ? value : bail()),
  list: (value: unknown): unknown[] => (Array.isArray(value) ? value : bail()),
  record: (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : bail(),
  /** A present key's value; absent is CEL's "no such key". */
  get: (record: Record<string, unknown>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : bail()),
  /** A declared field's value, or its schema default when absent. */
  getOr: (record: Record<string, unknown>, key: string, fallback: unknown): unknown =>
    Object.hasOwn(record, key) ? record[key] : fallback,
  item: (list: unknown[], position: number): unknown =>
    position >= 0 && position < list.length ? list[position] : bail(),
  codePoints: (text: string): number => {
    let count = 0;
    for (const _ of text) count++;
    return count;
  },
  compareStrings: (a: string, b: string): number => {
    const left = [...a];
    const right = [...b];
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
      if (difference !== 0) return difference;
    }
    return left.length - right.length;
  },
  /** CEL's duration(): unsigned, every part with its unit; other spellings (a sign, a bare 0) go to @bufbuild/cel. */
  duration: (text: string): bigint => {
    if (text.length > 128 || !DURATION.test(text)) return bail();
    let nanos = 0n;
    for (const [, whole, fraction, unit] of text.matchAll(DURATION_PART)) {
      const factor = NANOS_PER_UNIT[unit!]!;
      nanos += BigInt(whole!) * factor;
      if (fraction) nanos += BigInt(fraction) * factor / 10n ** BigInt(fraction.length);
    }
    return nanos > MAX_NANOS ? bail() : nanos;
  },
  /** int() of a string: decimal digits with an optional minus, within the integers a number holds exactly. */
  parseInt: (text: string): number => (/^-?\d{1,15}$/.test(text) ? Number(text) : bail()),
};

export type FastRuntime = typeof fastRuntime;

/** A compiled rule, as scripts/schemas writes it into the kind's module. */
export type FastRule = (self: unknown, $: FastRuntime) => boolean;
