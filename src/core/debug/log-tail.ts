// A log tail bounded in lines and in bytes. The API server applies limitBytes from the first
// line of the tail, so an answer cut at the limit holds the oldest lines of the tail and
// misses the newest, which on-call wants. When that happens, the tail is asked again for as
// many lines as fitted (the newest ones), a few times at most; a line cut in the middle is
// never kept, so that no half of a secret escapes the redaction rules.

/** Per container log: a tail of 200 istiod lines is some 100 KiB; Envoy's access log lines can be much longer. */
export const LOG_LIMIT_BYTES = 512 * 1024;
export const MAX_TAIL_LINES = 10_000;
/** Answers read per log before the oldest lines of a cut answer are kept. */
export const LOG_ATTEMPTS = 3;

export interface LogAnswer {
  text: string;
  /** The answer reached the byte limit. */
  cut: boolean;
}

export interface KeptTail {
  text: string;
  /** Why the tail is shorter than asked, when it is. */
  cut?: string;
}

export type TailStep = {keep: KeptTail} | {askAgain: number};

const LIMIT_TEXT = `${LOG_LIMIT_BYTES / 1024} KiB`;

/**
 * What to do with the answer to a request for the last `asked` lines, on attempt `attempt`
 * (from 1), when `wanted` lines were wanted: keep it, or ask again for fewer lines.
 */
export function tailStep(answer: LogAnswer, asked: number, wanted: number, attempt: number): TailStep {
  const whole = answer.cut ? answer.text.slice(0, answer.text.lastIndexOf('\n') + 1) : answer.text;
  const lines = whole.split('\n').length - 1;
  // An answer that ends at the limit with every line asked for whole is not cut.
  if (!answer.cut || lines >= asked) {
    return {keep: asked < wanted
      ? {text: whole, cut: `the newest ${asked} lines: the last ${wanted} are more than ${LIMIT_TEXT}`}
      : {text: whole}};
  }
  // The lines that fitted, or (when the first line alone is too long) half as many as asked.
  const fewer = lines > 0 ? lines : Math.floor(asked / 2);
  if (fewer > 0 && attempt < LOG_ATTEMPTS) return {askAgain: fewer};
  return {keep: {text: whole,
    cut: lines === 0
      ? `its lines are longer than ${LIMIT_TEXT}: none kept`
      : `cut at ${LIMIT_TEXT}: the oldest ${lines} of the last ${asked} lines`}};
}
