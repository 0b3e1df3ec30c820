// Waiting on Flagger, which acts once per analysis interval: read, look, sleep, until the
// reading is what the caller waits for or the time is up. status --watch, promote and abort
// all wait this way.
import {ToolError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';

export interface PollOptions {
  timeoutMs: number;
  /** Pause between readings (default 2s: Flagger changes things at most every 10s). */
  pollMs?: number;
}

export interface Poll<T> {
  read: () => Promise<T>;
  /** Called with every reading, before `done` is asked; may act on it (abort re-asserts its request). */
  each?: (value: T) => Promise<void> | void;
  done: (value: T) => boolean;
  /** What is awaited and where things stand, for the message when time runs out. */
  describe: (value: T) => string;
}

/** The first reading that is done; a ToolError saying where things stood when time ran out. */
export async function pollUntil<T>(poll: Poll<T>, options: PollOptions,
  deps: Pick<ActionDeps, 'now' | 'sleep'>): Promise<T>
{
  const deadline = deps.now() + options.timeoutMs;
  for (;;) {
    const value = await poll.read();
    await poll.each?.(value);
    if (poll.done(value)) return value;
    if (deps.now() >= deadline) {
      const where = poll.describe(value);
      throw new ToolError('flagger', ['wait'], undefined, where,
        `gave up after ${options.timeoutMs / 1000}s: ${where}`);
    }
    await deps.sleep(options.pollMs ?? 2000);
  }
}
