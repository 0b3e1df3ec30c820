// Questions for the person at the terminal, through @inquirer/prompts (loaded on first
// question). Whether anyone is there to answer is decided once, by the base command, when
// it builds the Prompt; without one, a missing value is an error naming its flag.
import {UsageError} from '../errors.js';

export interface Prompt {
  /** True when stdin and stdout are terminals and CI is unset. */
  readonly available: boolean;
  input(question: {message: string; validate?: (answer: string) => string | undefined}): Promise<string>;
  confirm(question: {message: string; default?: boolean}): Promise<boolean>;
}

export function terminalPrompt(available: boolean): Prompt {
  return {
    available,
    async input(question) {
      const {input} = await import('@inquirer/prompts');
      return input({message: question.message, validate: (answer) => question.validate?.(answer) ?? true});
    },
    async confirm(question) {
      const {confirm} = await import('@inquirer/prompts');
      return confirm(question);
    },
  };
}

export async function valueOrPrompt(
  value: string | undefined,
  flag: {name: string; char?: string; message: string; validate?: (answer: string) => string | undefined},
  prompt: Prompt,
): Promise<string> {
  if (value !== undefined) return value;
  const spelled = flag.char ? `--${flag.name} (-${flag.char})` : `--${flag.name}`;
  if (!prompt.available) {
    throw new UsageError(`Missing required flag ${spelled}`, `pass ${spelled} VALUE`, 'MissingFlag');
  }
  return prompt.input({message: flag.message, validate: flag.validate});
}
