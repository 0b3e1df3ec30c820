// Durations as Istio reads them from YAML: Go's syntax (`1h2m`, `1.5s`, `300ms`), which
// Istio then requires to be whole milliseconds of at least 1ms. Counted in nanoseconds with
// BigInt so that `1.1s` is exactly 1100ms, as in Go, and not 1100.0000000000002.
import type {FieldPath} from '../../../field-line.js';
import {rejected, type Problem} from './problems.js';

const NANOSECONDS: Record<string, bigint> = {ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1_000_000n, s: 1_000_000_000n,
  m: 60_000_000_000n, h: 3_600_000_000_000n};
const COMPONENT = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
const MILLISECOND = NANOSECONDS.ms ?? 1_000_000n;

/** Nanoseconds of a Go duration, or undefined when the text is not one. */
export function goDurationNanoseconds(text: string): bigint | undefined {
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return 0n;
  let total = 0n;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < body.length) {
    const match = COMPONENT.exec(body);
    if (!match) return undefined;
    const [, whole = '', fraction = '', unit = ''] = match;
    if (whole === '' && fraction === '') return undefined;
    const scale = NANOSECONDS[unit] ?? 0n;
    total += BigInt(whole || '0') * scale + (BigInt(fraction || '0') * scale) / 10n ** BigInt(fraction.length);
  }
  return body === '' ? undefined : sign * total;
}

/** Istio's rule for the durations of traffic policies and JWT rules; unreadable text is left to the schema. */
export function durationProblems(value: unknown, field: FieldPath): Problem[] {
  const nanoseconds = typeof value === 'string' ? goDurationNanoseconds(value) : undefined;
  if (nanoseconds === undefined) return [];
  if (nanoseconds < MILLISECOND) return [rejected('duration must be greater than 1ms', field)];
  return nanoseconds % MILLISECOND === 0n ? [] : [rejected('only durations to ms precision are supported', field)];
}

/** Whole milliseconds of a duration (truncated), for settings where 0 means "disabled". */
export function wholeMilliseconds(value: unknown): bigint | undefined {
  const nanoseconds = typeof value === 'string' ? goDurationNanoseconds(value) : undefined;
  return nanoseconds === undefined ? undefined : nanoseconds / MILLISECOND;
}
