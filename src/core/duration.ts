// Go-style durations as kubectl takes them: `90s`, `5m`, `1h30m`, `500ms`.

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** Milliseconds, or undefined when `value` is not a duration. */
export function parseDuration(value: string): number | undefined {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== value) return undefined;
  const ms = parts.reduce((total, part) => total + Number(part[1]) * UNIT_MS[part[2]!]!, 0);
  // Hundreds of digits add up to Infinity, which no timer takes.
  return Number.isFinite(ms) ? ms : undefined;
}
