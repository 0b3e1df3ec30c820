// Prompts only when a person is there to answer: stdin and stdout are terminals and
// CI is unset. Otherwise a missing value is an error naming the flag.
import {UsageError} from '../errors.js';

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI);
}

export async function valueOrPrompt(
  value: string | undefined,
  flag: {name: string; char?: string; message: string; validate?: (answer: string) => string | undefined},
): Promise<string> {
  if (value !== undefined) return value;
  const spelled = flag.char ? `--${flag.name} (-${flag.char})` : `--${flag.name}`;
  if (!canPrompt()) throw new UsageError(`Missing required flag ${spelled}`, `pass ${spelled} VALUE`, 'MissingFlag');
  const {input} = await import('@inquirer/prompts');
  return input({message: flag.message, validate: (answer) => flag.validate?.(answer) ?? true});
}
