// Every reader of user input reads through here, so every one of them has the same limits
// (src/core/input-limits.ts): a file over its size is refused before it is read, and a run
// whose inputs together pass the total is stopped, naming the file that passed it.
import {readFileSync, statSync} from 'node:fs';
import {invalidFile} from '../../errors.js';
import {fileSizeProblem, INPUT_LIMITS, totalSizeProblem, type InputLimits} from '../../core/input-limits.js';

const LIMIT_HINT = 'split the input, or pass only the files that matter';

/** The bytes one run has read so far, checked against the total limit as each input is added. */
export class InputBudget {
  private bytes = 0;
  constructor(private readonly limits: Pick<InputLimits, 'fileBytes' | 'totalBytes'> = INPUT_LIMITS) {}

  /** Refuses `name` when it is too big alone or brings the run over the total. */
  add(name: string, bytes: number): void {
    const problem = fileSizeProblem(bytes, this.limits) ?? totalSizeProblem(this.bytes + bytes, this.limits);
    if (problem) throw invalidFile(name, problem, undefined, LIMIT_HINT);
    this.bytes += bytes;
  }
}

/** A file's bytes, refused before reading when the file alone is over the size limit. */
export function readBytesWithin(file: string, budget: InputBudget = new InputBudget()): Buffer {
  // Reads errors (no such file, a folder) are the caller's to word; the size is known only for what exists.
  const size = statSync(file, {throwIfNoEntry: false})?.size;
  if (size !== undefined) budget.add(file, size);
  return readFileSync(file);
}

/** A file's text (UTF-8), within the size limit. */
export function readTextWithin(file: string, budget?: InputBudget): string {
  return readBytesWithin(file, budget).toString('utf8');
}

/**
 * A stream's bytes, stopped as soon as they pass the size limit of one input (standard
 * input has no size to ask for first); the caller adds them to its budget.
 */
export async function readStreamWithin(stream: AsyncIterable<Buffer | string>, name: string,
  limits: Pick<InputLimits, 'fileBytes'> = INPUT_LIMITS): Promise<Buffer>
{
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    const problem = fileSizeProblem(bytes, limits);
    if (problem) throw invalidFile(name, problem.replace(/^is /, 'is more than '), undefined, LIMIT_HINT);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
