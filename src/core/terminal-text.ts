// Text from input (names, values, file names) on its way to a human: control characters
// are shown as escapes, so a manifest cannot recolour a terminal (ESC), ring it (BEL),
// overwrite a line (CR) or start a line of its own (newline) — which in a CI log could be
// a workflow command such as `::error::`. Bidirectional overrides are escaped too, since
// they make text read differently from what it is. Long values are cut.

// C0 controls, DEL, C1 controls, and the bidirectional embedding, override and isolate marks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\0-\x1F\x7F-\x9F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\0-\x09\x0B-\x1F\x7F-\x9F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001B': '\\e'};

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char]
    ?? (code <= 0xFF ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One value (a name, a cell, a message) as one line of plain text. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/**
 * A message that may span lines (an error with details): control characters escaped, and
 * every line after the first indented, so no line of it starts with text from the input.
 */
export function escapeMessage(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escapeOne).replaceAll('\n', '\n  ');
}

/** Values longer than this are cut in messages: a 130 KB flag value echoed whole helps nobody. */
export const MESSAGE_VALUE_LIMIT = 200;

/** A value cut to `limit` characters, saying how long it was. */
export function cutValue(text: string, limit = MESSAGE_VALUE_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}
