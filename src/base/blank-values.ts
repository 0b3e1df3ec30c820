// A flag given an empty value is a mistake (a script's unset `$OUT` in `--output-dir "$OUT"`),
// never a request for the default: a blank value of any flag or argument stops the run,
// naming it, before a command looks at its flags, so it cannot fall through to another sink.
import {invalidFlag, UsageError} from '../errors.js';

const blank = (value: unknown) => typeof value === 'string' && value.trim() === '';

/** Refuses a blank value of any flag (each value of a repeated one) or positional argument. */
export function refuseBlankValues(flags: Record<string, unknown>, argv: readonly unknown[] = []): void {
  for (const [name, value] of Object.entries(flags)) {
    const empty = (Array.isArray(value) ? value : [value]).find(blank);
    if (empty !== undefined) throw invalidFlag(name, empty, 'is empty', `give --${name} a value, or leave it out`);
  }
  const position = argv.findIndex(blank);
  if (position >= 0) {
    throw new UsageError(`argument ${position + 1}: ${JSON.stringify(argv[position])} is empty`,
      'give a path, or leave it out', 'InvalidArgument');
  }
}
