// A port written on one line, `[NAME:]PORT[:TARGET_PORT]` (how --port takes it), as the raw
// port entry the service reader checks: numbers where the text is numeric, so that
// `http:eighty` reaches the reader as the string it is and is refused there, with its path.

export function parsePortSpec(value: string, defaultName: (port: string) => string): Record<string, unknown> {
  const parts = value.split(':');
  const numeric = (part: string | undefined) => (part !== undefined && /^-?\d+$/.test(part) ? Number(part) : part);
  if (parts.length === 1) return {name: defaultName(parts[0]!), port: numeric(parts[0])};
  if (parts.length === 2 && /^\d+$/.test(parts[0]!)) return {name: defaultName(parts[0]!), port: numeric(parts[0]), targetPort: numeric(parts[1])};
  return {name: parts[0], port: numeric(parts[1]), ...(parts[2] === undefined ? {} : {targetPort: numeric(parts[2])})};
}
