// Where a YAML syntax error is to be reported. js-yaml notices an unclosed bracket or quote
// only where the text runs out or the next construct starts, often lines later or past the
// file's last line; a person needs the line and column where the broken construct opened.
// This reads the text up to js-yaml's mark the way YAML opens and closes flow collections and
// quoted scalars (skipping comments and block scalars), and names the innermost one still open.

/** A 0-based position in the document's text. */
export interface TextPosition {
  line: number;
  column: number;
}

export interface SyntaxErrorPlace extends TextPosition {
  /** What was left open there (`"[" is never closed`), when the error is an unclosed construct. */
  unclosed?: string;
}

interface Opener extends TextPosition {
  char: string;
}

const CLOSERS: Record<string, string> = {'[': ']', '{': '}'};

/** Errors js-yaml raises for a construct that runs on without its closing character. */
const UNCLOSED_REASON = /flow collection|quoted scalar|end of the stream/;

/** A flow collection or quoted scalar may start only where a value or an entry starts. */
function startsToken(before: string, inFlow: boolean): boolean {
  const previous = before.trimEnd();
  if (previous === '' || /(^|\s)[-?]$/.test(previous)) return true;
  const last = previous.at(-1);
  if (last === '[' || last === '{') return true;
  if (last === ':') return inFlow || before.length > previous.length;
  return inFlow && last === ',';
}

/** A line that opens a block scalar (`key: |`, `- >-`): the lines indented deeper are its text. */
function opensBlockScalar(line: string): boolean {
  return /(^\s*-\s+|:\s+)[|>][-+0-9]*\s*(#.*)?$/.test(line);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The constructs still open at `end` (0-based line and column of js-yaml's mark), innermost last. */
function openConstructs(lines: readonly string[], end: TextPosition): Opener[] {
  const open: Opener[] = [];
  let blockIndent: number | undefined;
  for (let lineIndex = 0; lineIndex <= Math.min(end.line, lines.length - 1); lineIndex++) {
    const line = lines[lineIndex] ?? '';
    const quote = open.at(-1)?.char;
    if (blockIndent !== undefined && quote !== '"' && quote !== "'") {
      if (line.trim() === '' || indentOf(line) > blockIndent) continue;
      blockIndent = undefined;
    }
    const stop = lineIndex === end.line ? Math.min(end.column, line.length) : line.length;
    for (let column = 0; column < stop; column++) {
      const char = line[column] ?? '';
      const top = open.at(-1);
      if (top?.char === '"') {
        if (char === '\\') column++;
        else if (char === '"') open.pop();
        continue;
      }
      if (top?.char === "'") {
        if (char === "'" && line[column + 1] === "'") column++;
        else if (char === "'") open.pop();
        continue;
      }
      const inFlow = top !== undefined;
      if (char === '#' && (column === 0 || /\s/.test(line[column - 1] ?? ''))) break;
      if (inFlow && char === CLOSERS[top.char]) open.pop();
      else if ((char === '[' || char === '{' || char === '"' || char === "'")
        && startsToken(line.slice(0, column), inFlow))
      {
        open.push({char, line: lineIndex, column});
      }
    }
    if (open.length === 0 && opensBlockScalar(line)) blockIndent = indentOf(line);
  }
  return open;
}

const NAMES: Record<string, string> = {'[': 'flow sequence "["', '{': 'flow mapping "{"', '"': 'double-quoted string',
  "'": 'single-quoted string'};

/**
 * Where to report js-yaml's error `reason` at `mark` in `text`: the opening of the innermost
 * unclosed construct for errors about one, else the mark itself, never past the text's last
 * line that holds anything.
 */
export function syntaxErrorPlace(text: string, reason: string, mark: TextPosition | undefined): SyntaxErrorPlace {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && (lines[last] ?? '').trim() === '') last--;
  const at = mark ?? {line: last, column: 0};
  if (UNCLOSED_REASON.test(reason)) {
    const opener = openConstructs(lines, at).at(-1);
    if (opener) {
      return {line: opener.line, column: opener.column,
        unclosed: `${NAMES[opener.char] ?? opener.char} is never closed`};
    }
  }
  if (at.line <= last) return at;
  return {line: last, column: (lines[last] ?? '').length};
}
