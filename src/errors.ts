// Two kinds of expected failure, as in the architecture notes: the user's mistake
// (exit 2, with a hint) and an external tool or API failing (exit 1, with its details).
// Anything else is a bug.

import {cutValue} from './core/terminal-text.js';

export const EXIT = {ok: 0, failure: 1, usage: 2, findings: 3} as const;

export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    /** A short "try this" for the user. */
    readonly hint?: string,
    /** Stable machine code, e.g. `InvalidFlag`. */
    readonly code = 'UsageError',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A flag value broke an input rule; the message always names the flag. */
export function invalidFlag(flag: string, value: unknown, rule: string, hint?: string): UsageError {
  return new UsageError(`--${flag}: ${JSON.stringify(typeof value === 'string' ? cutValue(value) : value)} ${rule}`,
    hint, 'InvalidFlag');
}

/** A file is unreadable or malformed; the message names the file and, when known, the line. */
export function invalidFile(file: string, problem: string, line?: number, hint?: string): UsageError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new UsageError(`${where}: ${problem}`, hint, 'InvalidFile');
}

/**
 * The cluster is not in a state the command can act on (Kubernetes too old, permissions
 * missing, another version installed): exit 1, nothing changed, with what to do instead.
 */
export class PreconditionError extends Error {
  readonly exitCode = EXIT.failure;
  constructor(message: string, readonly hint?: string, readonly code = 'PreconditionFailed') {
    super(message);
    this.name = 'PreconditionError';
  }
}

export class ToolError extends Error {
  readonly exitCode = EXIT.failure;
  /** Stable machine code; a subclass names its kind of failure. */
  readonly code: string = 'ToolFailed';
  /** What to try, for the --json envelope (people read the message, which says what failed). */
  readonly hint: string =
    'the failed command and the end of its output are in "tool"; fix what it reports and run again';
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    readonly toolExitCode: number | undefined,
    readonly stderrTail: string,
    message?: string,
  ) {
    super(
      message
        ?? `${tool} ${args.join(' ')} failed${toolExitCode === undefined ? '' : ` with exit code ${toolExitCode}`}${
          stderrTail ? `: ${stderrTail}` : ''
        }`,
    );
    this.name = 'ToolError';
  }
}
