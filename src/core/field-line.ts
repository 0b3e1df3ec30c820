// The line of a field inside a block-style YAML document, found again from the text after
// the document was parsed: a schema finding about `spec.template.spec.containers[0].image`
// then points at that line (what an editor, a review comment or GitHub code scanning needs)
// rather than at the object's first line. Only the few documents with such findings are
// scanned, so parsing keeps no positions for the thousands without. Inside a flow
// collection (`env: [{name: A}]`) the answer is the collection's line; a path this scanner
// cannot follow (anchors, complex keys) answers undefined, and the finding keeps the
// object's line.

export type FieldPath = readonly (string | number)[];

interface Node {
  /** 0-based line where the node's content starts. */
  line: number;
  /** Column of that content: a compact mapping (`- key: value`) starts after the dash. */
  column: number;
}

class DocumentLines {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }

  get count(): number {
    return this.lines.length;
  }

  text(index: number): string {
    return this.lines[index] ?? '';
  }

  indent(index: number): number {
    const line = this.text(index);
    let column = 0;
    while (line.charCodeAt(column) === 0x20) column++;
    return column;
  }

  /** Blank, or a comment only: such lines end nothing and hold nothing. */
  isFiller(index: number): boolean {
    const content = this.text(index).trimStart();
    return content === '' || content.startsWith('#');
  }

  /** A sequence entry (`- …` or `-` alone) at `column` of line `index`. */
  isEntry(index: number, column: number): boolean {
    const line = this.text(index);
    return line.charCodeAt(column) === 0x2D && (column + 1 === line.length || line.charCodeAt(column + 1) === 0x20);
  }

  /** The next line at or after `from` that holds content, or undefined. */
  nextContent(from: number): number | undefined {
    for (let index = from; index < this.count; index++) if (!this.isFiller(index)) return index;
    return undefined;
  }
}

/** `key` from `key: value`, `key:`, `"key": …` or `'key': …` at `column`; the column after the colon. */
function keyAt(line: string, column: number): {key: string; after: number} | undefined {
  const quote = line[column];
  if (quote === '"' || quote === "'") {
    const close = line.indexOf(quote, column + 1);
    if (close < 0 || line[close + 1] !== ':') return undefined;
    return {key: line.slice(column + 1, close), after: close + 2};
  }
  const separator = line.indexOf(': ', column);
  const end = separator >= 0 ? separator : line.trimEnd().endsWith(':') ? line.trimEnd().length - 1 : -1;
  if (end < 0) return undefined;
  return {key: line.slice(column, end).trimEnd(), after: end + 1};
}

/** The node a key's or an entry's value starts, when it is a block collection on the following lines. */
function valueBelow(lines: DocumentLines, line: number, column: number, rest: string): Node | undefined {
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const next = lines.nextContent(line + 1);
  if (next === undefined) return undefined;
  const indent = lines.indent(next);
  // kubectl prints a mapping's sequence at the key's own indentation.
  if (indent > column || (indent === column && lines.isEntry(next, indent))) return {line: next, column: indent};
  return undefined;
}

/** Lines of the block at `node.column` after its first line, up to the first line less indented. */
function* blockLines(lines: DocumentLines, node: Node): Generator<number> {
  yield node.line;
  for (let index = node.line + 1; index < lines.count; index++) {
    if (lines.isFiller(index)) continue;
    const indent = lines.indent(index);
    if (indent < node.column || (node.column === 0 && lines.text(index).startsWith('---'))) return;
    if (indent === node.column) yield index;
  }
}

/** Where a path step landed: its line, and the block collection below it if the value is one. */
interface Step {
  line: number;
  value?: Node;
}

function childOfMapping(lines: DocumentLines, node: Node, key: string): Step | undefined {
  for (const index of blockLines(lines, node)) {
    // A dash at the mapping's own column is the previous key's sequence, kubectl-style.
    if (index !== node.line && lines.isEntry(index, node.column)) continue;
    const found = keyAt(lines.text(index), index === node.line ? node.column : lines.indent(index));
    if (!found || found.key !== key) continue;
    const rest = lines.text(index).slice(found.after).trim();
    const value = valueBelow(lines, index, index === node.line ? node.column : lines.indent(index), rest);
    return value ? {line: index, value} : {line: index};
  }
  return undefined;
}

function itemOfSequence(lines: DocumentLines, node: Node, position: number): Step | undefined {
  let seen = 0;
  for (const index of blockLines(lines, node)) {
    if (!lines.isEntry(index, node.column)) return undefined;
    if (seen++ !== position) continue;
    const line = lines.text(index);
    let content = node.column + 1;
    while (line.charCodeAt(content) === 0x20) content++;
    const rest = line.slice(content).trim();
    if (rest !== '' && !rest.startsWith('#')) {
      return keyAt(line, content) ? {line: index, value: {line: index, column: content}} : {line: index};
    }
    const value = valueBelow(lines, index, node.column, rest);
    return value ? {line: index, value} : {line: index};
  }
  return undefined;
}

/** Finds fields' lines in one text, which is cut into lines once however many fields are looked up. */
export type FieldLineFinder = (documentLine: number, path: FieldPath) => number | undefined;

/**
 * For `text`: the 1-based line of `path` in the document whose first content line is
 * `documentLine` (1-based); undefined when the path leaves what this scanner follows.
 */
export function fieldLines(text: string): FieldLineFinder {
  const lines = new DocumentLines(text);
  return (documentLine, path) => lineOfField(lines, documentLine, path);
}

function lineOfField(lines: DocumentLines, documentLine: number, path: FieldPath): number | undefined {
  const first = documentLine - 1;
  if (first < 0 || first >= lines.count) return undefined;
  let node: Node | undefined = {line: first, column: lines.indent(first)};
  let line = first;
  for (const segment of path) {
    // The value is on its key's line (a flow collection): the field is there too.
    if (!node) return line + 1;
    const found: Step | undefined = typeof segment === 'number'
      ? itemOfSequence(lines, node, segment)
      : childOfMapping(lines, node, segment);
    if (!found) return undefined;
    line = found.line;
    node = found.value;
  }
  return line + 1;
}
