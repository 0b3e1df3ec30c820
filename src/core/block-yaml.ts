// A quick reader for the block-style YAML that manifests are nearly always written in
// (what kubectl, helm, kustomize and yaml.dump print): block mappings and sequences, plain
// and one-line quoted scalars, literal block scalars (`|`, `|-`), `{}` and `[]`, comments.
// js-yaml's general reader spent most of validate's time on a large tree doing work this
// subset never needs. The reader is deliberately timid: at anything outside the subset or
// in doubt (anchors, tags, flow collections with content, folded scalars, escapes, tabs,
// multi-line plain or quoted scalars, odd indentation, duplicate or merge keys, any syntax
// error) it answers NOT_HANDLED and the caller reads the document with js-yaml, whose
// result and error messages therefore stay the only ones anybody sees. Plain scalars are
// resolved by the schema's own implicit types, so `true`, `0x1F`, `~` or `.inf` come out
// exactly as js-yaml makes them.
//
// It works on offsets into the file's text rather than on a string per line: allocating
// and collecting those strings cost about a third of the reading.
import type yaml from 'js-yaml';

export const NOT_HANDLED: unique symbol = Symbol('not handled by the block YAML reader');

/** Thrown inside the reader to give up; never escapes it. */
const GIVE_UP = new Error('outside the block YAML subset');

/**
 * Characters the reader leaves to js-yaml wherever they appear: tabs (indentation rules),
 * carriage returns, control characters, surrogates and BOMs (js-yaml's printable checks).
 */
// eslint-disable-next-line no-control-regex
const LEFT_TO_JS_YAML = /[\0-\x09\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/g;

/** Characters that cannot start a plain scalar or key, or that start something this reader leaves alone. */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');

/** js-yaml's nesting limit is 100; well below it the reader steps aside. */
const MAX_DEPTH = 64;

/** YAML's limit on an implicit key; js-yaml's handling of longer ones is left to js-yaml. */
const MAX_KEY_LENGTH = 1024;

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2D;
const COLON = 0x3A;

interface LineArrays {
  /** Leading spaces of each line of the document (relative index); a blank line's indent is its length. */
  indents: Int32Array;
  /** Offset of each line's content (moved past `- ` once a compact mapping starts there). */
  contents: Int32Array;
  /** Offsets just past each line. */
  ends: Int32Array;
}

/** A text cut into lines once (offsets only); documents are ranges of its lines. */
export class TextLines {
  /** Where each line starts, plus one entry past the end, so line i ends at starts[i + 1] - 1. */
  readonly starts: number[] = [0];
  /** The first character left to js-yaml at or after `unusualFrom`, remembered because documents are read in order. */
  private unusual = -1;
  private unusualFrom = -1;
  /** The first `: ` at or after `separatorFrom`, remembered for the same reason (one scan of the text, not one per line). */
  private separator = -1;
  private separatorFrom = -1;

  /** The per-line arrays a document's reader fills; see `lineArrays`. */
  private arrays: LineArrays | undefined;

  constructor(readonly text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
    this.starts.push(text.length + 1);
  }

  /**
   * Arrays with room for every line, which the reader of each document fills from index 0 in
   * turn: a typed array is costly to allocate, and three per document added up on large inputs.
   */
  lineArrays(): LineArrays {
    return this.arrays ??= {indents: new Int32Array(this.count), contents: new Int32Array(this.count),
      ends: new Int32Array(this.count)};
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Offset just past line `index` (its line break, or the end of the text). */
  end(index: number): number {
    return (this.starts[index + 1] as number) - 1;
  }

  line(index: number): string {
    return this.text.slice(this.starts[index], this.end(index));
  }

  /** Lines `first` to `end` (exclusive) as one text, as they were. */
  slice(first: number, end: number): string {
    return first >= end ? '' : this.text.slice(this.starts[first], this.end(end - 1));
  }

  /** Offset of the first `: ` at or after `from` (the text's length when there is none). */
  separatorAfter(from: number): number {
    if (this.separator < from || this.separatorFrom > from) {
      const found = this.text.indexOf(': ', from);
      this.separator = found < 0 ? this.text.length : found;
      this.separatorFrom = from;
    }
    return this.separator;
  }

  /** True when a character js-yaml must judge occurs in lines `first` to `end` (exclusive). */
  hasUnusual(first: number, end: number): boolean {
    const from = this.starts[first] as number;
    if (this.unusual < from || this.unusualFrom > from) {
      LEFT_TO_JS_YAML.lastIndex = from;
      const match = LEFT_TO_JS_YAML.exec(this.text);
      this.unusual = match ? match.index : this.text.length;
      this.unusualFrom = from;
    }
    return this.unusual < this.end(end - 1);
  }
}

/**
 * Keys read so far, by their text, for each schema's implicit types (which decide what a key
 * becomes). Manifests repeat a few hundred keys thousands of times, and a key read before
 * skips the checks and the types (about a tenth of reading the bench corpus). Bounded, so
 * that many distinct keys (ConfigMap data) cannot grow it without end.
 */
const knownKeys = new WeakMap<readonly yaml.Type[], Map<string, string>>();
const REMEMBERED_KEYS = 10_000;

function keysRead(implicitTypes: readonly yaml.Type[]): Map<string, string> {
  let keys = knownKeys.get(implicitTypes);
  if (!keys) knownKeys.set(implicitTypes, keys = new Map());
  return keys;
}

class BlockReader {
  private readonly text: string;
  private readonly indents: Int32Array;
  private readonly contents: Int32Array;
  private readonly ends: Int32Array;
  private readonly count: number;
  private pos = 0;
  private depth = 0;
  private readonly keys: Map<string, string>;

  constructor(private readonly lines: TextLines, first: number, end: number,
    private readonly implicitTypes: readonly yaml.Type[])
  {
    const text = lines.text;
    this.text = text;
    this.keys = keysRead(implicitTypes);
    this.count = end - first;
    ({indents: this.indents, contents: this.contents, ends: this.ends} = lines.lineArrays());
    for (let index = 0; index < this.count; index++) {
      const start = lines.starts[first + index] as number;
      const lineEnd = lines.end(first + index);
      let content = start;
      while (content < lineEnd && text.charCodeAt(content) === SPACE) content++;
      this.indents[index] = content - start;
      this.contents[index] = content;
      this.ends[index] = lineEnd;
    }
  }

  read(): unknown {
    this.skipToContent();
    // A document of comments only is js-yaml's (it reads as undefined).
    if (this.pos >= this.count) throw GIVE_UP;
    const value = this.node(this.indents[this.pos] as number);
    if (this.pos < this.count) throw GIVE_UP;
    return value;
  }

  /** Moves past blank lines and comment lines. */
  private skipToContent(): void {
    while (this.pos < this.count) {
      const content = this.contents[this.pos] as number;
      if (content < (this.ends[this.pos] as number) && this.text.charCodeAt(content) !== HASH) return;
      this.pos++;
    }
  }

  /** `-` alone or followed by a space at `at` on line `index`: a block sequence entry. */
  private isSequenceEntry(index: number, at = this.contents[index] as number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.ends[index] || this.text.charCodeAt(at + 1) === SPACE;
  }

  /** Where a plain key starting at `at` ends on line `index`: the first `: `, or a colon ending the line; -1 when none. */
  private keySeparator(index: number, at = this.contents[index] as number): number {
    const lineEnd = this.ends[index] as number;
    const separator = this.lines.separatorAfter(at);
    if (separator < lineEnd) return separator;
    return lineEnd > at && this.text.charCodeAt(lineEnd - 1) === COLON ? lineEnd - 1 : -1;
  }

  /** The block collection starting at the current line, which is indented by `indent`. */
  private node(indent: number): unknown {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    let value: unknown;
    if (this.isSequenceEntry(this.pos)) value = this.sequence(indent);
    else if (this.keySeparator(this.pos) >= 0) value = this.mapping(indent);
    // A scalar alone on its line may continue on the next ones (multi-line plain scalar).
    else throw GIVE_UP;
    this.depth--;
    return value;
  }

  private mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (;;) {
      const separator = this.keySeparator(this.pos);
      if (separator < 0) throw GIVE_UP;
      const key = this.key(this.text.slice(this.contents[this.pos], separator));
      if (Object.hasOwn(result, key)) throw GIVE_UP;
      result[key] = this.mappingValue(separator + 1, indent);
      if (this.pos >= this.count || (this.indents[this.pos] as number) < indent) return result;
      // Deeper lines after a complete entry, or a sequence entry among keys, are errors for js-yaml to word.
      if ((this.indents[this.pos] as number) > indent || this.isSequenceEntry(this.pos)) throw GIVE_UP;
    }
  }

  /** The value after `key:` (`from` is just past the colon); leaves the position at the next content line. */
  private mappingValue(from: number, indent: number): unknown {
    const value = this.text.slice(from, this.ends[this.pos]).trim();
    this.pos++;
    if (value === '|' || value === '|-') return this.literal(indent, value === '|-');
    if (value !== '' && value.charCodeAt(0) !== HASH) {
      const scalar = this.inlineScalar(value);
      this.skipToContent();
      return scalar;
    }
    this.skipToContent();
    if (this.pos >= this.count) return null;
    const next = this.indents[this.pos] as number;
    if (next > indent) return this.node(next);
    // A sequence may sit at its key's own indentation (kubectl prints them so).
    if (next === indent && this.isSequenceEntry(this.pos)) {
      if (++this.depth > MAX_DEPTH) throw GIVE_UP;
      const sequence = this.sequence(indent);
      this.depth--;
      return sequence;
    }
    return null;
  }

  private sequence(indent: number): unknown[] {
    const result: unknown[] = [];
    for (;;) {
      const lineEnd = this.ends[this.pos] as number;
      let rest = (this.contents[this.pos] as number) + 1;
      while (rest < lineEnd && this.text.charCodeAt(rest) === SPACE) rest++;
      if (rest === lineEnd || this.text.charCodeAt(rest) === HASH) {
        this.pos++;
        this.skipToContent();
        const deeper = this.pos < this.count && (this.indents[this.pos] as number) > indent;
        result.push(deeper ? this.node(this.indents[this.pos] as number) : null);
      } else if (this.isSequenceEntry(this.pos, rest)) {
        throw GIVE_UP;
      } else if (this.keySeparator(this.pos, rest) >= 0) {
        // `- key: value`: a mapping whose keys line up with `key`.
        const column = indent + rest - (this.contents[this.pos] as number);
        this.contents[this.pos] = rest;
        this.indents[this.pos] = column;
        result.push(this.node(column));
      } else {
        const value = this.text.slice(rest, lineEnd).trim();
        this.pos++;
        result.push(this.inlineScalar(value));
        this.skipToContent();
      }
      if (this.pos >= this.count) return result;
      const next = this.indents[this.pos] as number;
      if (next > indent) throw GIVE_UP;
      // Less indented, or a key of the mapping this sequence is the value of.
      if (next < indent || !this.isSequenceEntry(this.pos)) return result;
    }
  }

  private key(text: string): string {
    const known = this.keys.get(text);
    if (known !== undefined) return known;
    if (text === '' || text.length > MAX_KEY_LENGTH || INDICATORS.has(text[0] as string)
      || text.includes('#') || text.endsWith(' ') || text.endsWith(':') || text === '<<') throw GIVE_UP;
    // js-yaml turns every key into a string after resolving it (`80` → "80", `~` → "null").
    const key = String(this.plain(text));
    if (key === '__proto__') throw GIVE_UP;
    if (this.keys.size < REMEMBERED_KEYS) this.keys.set(text, key);
    return key;
  }

  /** A scalar that ends on the line it starts on; `text` is trimmed and not empty. */
  private inlineScalar(text: string): unknown {
    const first = text[0] as string;
    if (first === '"') return doubleQuoted(text);
    if (first === "'") return singleQuoted(text);
    if (text === '{}' || text === '[]' || text.startsWith('{} #') || text.startsWith('[] #')) {
      return first === '{' ? {} : [];
    }
    // `-1` and `--flag` are plain scalars; `- x` or a lone `-` would be a sequence.
    if (INDICATORS.has(first) && !(first === '-' && text.length > 1 && text[1] !== ' ')) throw GIVE_UP;
    const comment = text.indexOf(' #');
    const plain = comment < 0 ? text : text.slice(0, comment).trimEnd();
    if (plain.includes(': ') || plain.endsWith(':') || plain === '<<') throw GIVE_UP;
    return this.plain(plain);
  }

  /** A plain scalar as js-yaml resolves it: the first implicit type that accepts it, else a string. */
  private plain(text: string): unknown {
    for (const type of this.implicitTypes) {
      if (type.resolve(text)) return type.construct(text);
    }
    return text;
  }

  /**
   * A literal block scalar after `key: |` or `key: |-`, read as js-yaml reads it: the first
   * content line sets the indentation, lines keep anything beyond it, blank lines inside
   * are kept and trailing ones dropped, and `|` ends the text with one line break.
   */
  private literal(parentIndent: number, strip: boolean): string {
    let leadingBlank = 0;
    while (this.pos < this.count && this.indents[this.pos] === 0 && this.contents[this.pos] === this.ends[this.pos]) {
      leadingBlank++;
      this.pos++;
    }
    const contentIndent = this.pos < this.count ? this.indents[this.pos] as number : 0;
    // An empty block scalar, or leading lines of spaces only, whose rules are js-yaml's.
    if (contentIndent <= parentIndent || this.contents[this.pos] === this.ends[this.pos]) throw GIVE_UP;
    const parts: string[] = ['\n'.repeat(leadingBlank)];
    let blank = 0;
    let content = false;
    for (; this.pos < this.count; this.pos++) {
      const indent = this.indents[this.pos] as number;
      const lineEnd = this.ends[this.pos] as number;
      const onlySpaces = this.contents[this.pos] === lineEnd;
      if (onlySpaces && indent <= contentIndent) {
        blank++;
        continue;
      }
      if (indent < contentIndent) break;
      if (content) parts.push('\n'.repeat(1 + blank));
      parts.push(this.text.slice((this.contents[this.pos] as number) - (indent - contentIndent), lineEnd));
      content = true;
      blank = 0;
    }
    this.skipToContent();
    if (!strip) parts.push('\n');
    return parts.join('');
  }
}

/** What may follow a closing quote on its line: nothing, or a comment. */
function endsCleanly(after: string): boolean {
  return after === '' || (after.charCodeAt(0) === SPACE && after.trimStart().startsWith('#'));
}

function doubleQuoted(text: string): string {
  const close = text.indexOf('"', 1);
  const content = close < 0 ? '' : text.slice(1, close);
  if (close < 0 || content.includes('\\') || !endsCleanly(text.slice(close + 1))) throw GIVE_UP;
  return content;
}

function singleQuoted(text: string): string {
  let content = '';
  let from = 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote < 0) throw GIVE_UP;
    content += text.slice(from, quote);
    // `''` is an escaped quote inside the scalar.
    if (text.charCodeAt(quote + 1) !== 0x27) {
      if (!endsCleanly(text.slice(quote + 1))) throw GIVE_UP;
      return content;
    }
    content += "'";
    from = quote + 2;
  }
}

/** The types js-yaml tries, in order, on a plain scalar of a schema (not declared by @types/js-yaml). */
function implicitTypesOf(schema: yaml.Schema): readonly yaml.Type[] {
  return (schema as unknown as {compiledImplicit: yaml.Type[]}).compiledImplicit;
}

/**
 * The YAML document made of lines `first` to `end` (exclusive) of `lines`, read as js-yaml
 * reads it with `schema` if it lies within the block subset; NOT_HANDLED otherwise (the
 * caller then reads it with js-yaml).
 */
export function readBlockYaml(lines: TextLines, first: number, end: number, schema: yaml.Schema): unknown {
  if (first >= end || lines.hasUnusual(first, end)) return NOT_HANDLED;
  try {
    return new BlockReader(lines, first, end, implicitTypesOf(schema)).read();
  } catch (error) {
    if (error === GIVE_UP) return NOT_HANDLED;
    throw error;
  }
}
