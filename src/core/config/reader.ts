// A typed reader over untrusted input (a parsed config file or values gathered from
// flags). It never throws on bad input: it records an issue with the path of the value
// and returns undefined, so that every problem of a file is reported at once.
import * as rule from './checks.js';

export interface SpecIssue {
  /** Dotted path of the value, e.g. `services[2].ports[0].port`. */
  path: string;
  message: string;
}

export type Check<T> = (value: T) => string | undefined;

const DECIMAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

export class Reader {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly path: string,
    readonly issues: SpecIssue[],
  ) {}

  static root(raw: unknown, issues: SpecIssue[], path = ''): Reader {
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
      issues.push({path: path || '(document)', message: `must be a map, not ${describe(raw)}`});
      return new Reader({}, path, issues);
    }
    return new Reader((raw ?? {}) as Record<string, unknown>, path, issues);
  }

  pathOf(key: string | number): string {
    if (typeof key === 'number') return `${this.path}[${key}]`;
    return this.path ? `${this.path}.${key}` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  fail(key: string | number, message: string): undefined {
    this.issues.push({path: this.pathOf(key), message});
    return undefined;
  }

  /** Reports keys the spec does not know, so typos in a config file do not pass silently. */
  rejectUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (!known.includes(key)) this.fail(key, `is not a known setting (known: ${known.join(', ')})`);
    }
  }

  string(key: string, ...checks: Check<string>[]): string | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return this.fail(key, `must be a string, not ${describe(value)}`);
    return this.checked(key, value, checks);
  }

  number(key: string, ...checks: Check<number>[]): number | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    // Text counts as a number only in plain decimal: Number() would also read 0x50, 1e3, 0b1010 and Infinity.
    const parsed = typeof value === 'string' && DECIMAL_NUMBER.test(value) ? Number(value) : value;
    if (typeof parsed !== 'number' || Number.isNaN(parsed)) {
      return this.fail(key, `must be a number in decimal, not ${describe(value)}`);
    }
    if (!Number.isFinite(parsed)) return this.fail(key, 'is too large to be a number (beyond 1.8e308)');
    return this.checked(key, parsed, checks);
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') return this.fail(key, `must be true or false, not ${describe(value)}`);
    return value;
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T | undefined {
    return this.string(key, (value) => rule.oneOf(value, allowed)) as T | undefined;
  }

  stringList(key: string, ...checks: Check<string>[]): string[] | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return this.fail(key, `must be a list, not ${describe(value)}`);
    const out: string[] = [];
    value.forEach((item, index) => {
      const itemKey = `${key}[${index}]`;
      if (typeof item !== 'string') {
        this.fail(itemKey, `must be a string, not ${describe(item)}`);
        return;
      }
      const checked = this.checked(itemKey, item, checks);
      if (checked !== undefined) out.push(checked);
    });
    return out;
  }

  stringMap(key: string, ...checks: Check<string>[]): Record<string, string> | undefined {
    const child = this.child(key);
    if (!child) return undefined;
    const out: Record<string, string> = {};
    for (const name of Object.keys(child.raw).sort()) {
      const value = child.string(name, ...checks);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** A nested map, or undefined when absent (a non-map is reported). */
  child(key: string): Reader | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(key, `must be a map, not ${describe(value)}`);
      return undefined;
    }
    return new Reader(value as Record<string, unknown>, this.pathOf(key), this.issues);
  }

  /** A list of maps, each read by `read`. */
  list<T>(key: string, read: (item: Reader, index: number) => T | undefined): T[] | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return this.fail(key, `must be a list, not ${describe(value)}`);
    const out: T[] = [];
    value.forEach((item, index) => {
      const itemPath = `${this.pathOf(key)}[${index}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.issues.push({path: itemPath, message: `must be a map, not ${describe(item)}`});
        return;
      }
      const result = read(new Reader(item as Record<string, unknown>, itemPath, this.issues), index);
      if (result !== undefined) out.push(result);
    });
    return out;
  }

  private checked<T>(key: string | number, value: T, checks: Check<T>[]): T | undefined {
    for (const check of checks) {
      const problem = check(value);
      if (problem) return this.fail(key, `${JSON.stringify(value)} ${problem}`);
    }
    return value;
  }
}
