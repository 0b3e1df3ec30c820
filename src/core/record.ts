// The one test for "a map of fields" in untyped data (parsed YAML or JSON, an API server's
// answer): an object that is neither null nor an array.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
