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
import type yaml from 'js-yaml';

export const NOT_HANDLED: unique symbol = Symbol('not handled by the block YAML reader');

/** Thrown inside the reader to give up; never escapes it. */
const GIVE_UP = new Error('outside the block YAML subset');

/**
 * Characters the reader leaves to js-yaml wherever they appear: tabs (indentation rules),
 * carriage returns, control characters, surrogates and BOMs (js-yaml's printable checks).
 */
// eslint-disable-next-line no-control-regex
const LEFT_TO_JS_YAML = /[\0-\x09\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

/** Characters that cannot start a plain scalar or key, or that start something this reader leaves alone. */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');

/** js-yaml's nesting limit is 100; well below it the reader steps aside. */
const MAX_DEPTH = 64;

/** YAML's limit on an implicit key; js-yaml's handling of longer ones is left to js-yaml. */
const MAX_KEY_LENGTH = 1024;

class BlockReader {
  /** Leading spaces of each line; a blank line's indent is its length. */
  private readonly indents: number[];
  /** Each line without its indentation (the text after `- ` once a compact mapping starts there). */
  private readonly texts: string[];
  private pos = 0;
  private depth = 0;

  constructor(private readonly lines: readonly string[], private readonly implicitTypes: readonly yaml.Type[]) {
    this.indents = new Array<number>(lines.length);
    this.texts = new Array<string>(lines.length);
    lines.forEach((line, index) => {
      let indent = 0;
      while (line.charCodeAt(indent) === 0x20) indent++;
      this.indents[index] = indent;
      this.texts[index] = indent === 0 ? line : line.slice(indent);
    });
  }

  read(): unknown {
    this.skipToContent();
    // A document of comments only is js-yaml's (it reads as undefined).
    if (this.pos >= this.lines.length) throw GIVE_UP;
    const value = this.node(this.indents[this.pos] as number);
    if (this.pos < this.lines.length) throw GIVE_UP;
    return value;
  }

  /** Moves past blank lines and comment lines. */
  private skipToContent(): void {
    while (this.pos < this.lines.length) {
      const text = this.texts[this.pos] as string;
      if (text !== '' && text.charCodeAt(0) !== 0x23 /* # */) return;
      this.pos++;
    }
  }

  /** The block collection starting at the current line, which is indented by `indent`. */
  private node(indent: number): unknown {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.texts[this.pos] as string;
    let value: unknown;
    if (isSequenceEntry(text)) value = this.sequence(indent);
    else if (keySeparator(text) >= 0) value = this.mapping(indent);
    // A scalar alone on its line may continue on the next ones (multi-line plain scalar).
    else throw GIVE_UP;
    this.depth--;
    return value;
  }

  private mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (;;) {
      const text = this.texts[this.pos] as string;
      const separator = keySeparator(text);
      if (separator < 0) throw GIVE_UP;
      const key = this.key(text.slice(0, separator));
      if (Object.hasOwn(result, key)) throw GIVE_UP;
      result[key] = this.mappingValue(text.slice(separator + 1), indent);
      if (this.pos >= this.lines.length || (this.indents[this.pos] as number) < indent) return result;
      // Deeper lines after a complete entry, or a sequence entry among keys, are errors for js-yaml to word.
      if ((this.indents[this.pos] as number) > indent || isSequenceEntry(this.texts[this.pos] as string)) throw GIVE_UP;
    }
  }

  /** The value after `key:` (`rest` starts after the colon); leaves the position at the next content line. */
  private mappingValue(rest: string, indent: number): unknown {
    const value = rest.trim();
    this.pos++;
    if (value === '|' || value === '|-') return this.literal(indent, value === '|-');
    if (value !== '' && value.charCodeAt(0) !== 0x23 /* # */) {
      const scalar = this.inlineScalar(value);
      this.skipToContent();
      return scalar;
    }
    this.skipToContent();
    if (this.pos >= this.lines.length) return null;
    const next = this.indents[this.pos] as number;
    if (next > indent) return this.node(next);
    // A sequence may sit at its key's own indentation (kubectl prints them so).
    if (next === indent && isSequenceEntry(this.texts[this.pos] as string)) {
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
      const text = this.texts[this.pos] as string;
      let start = 1;
      while (text.charCodeAt(start) === 0x20) start++;
      const rest = text.slice(start);
      if (rest === '' || rest.charCodeAt(0) === 0x23 /* # */) {
        this.pos++;
        this.skipToContent();
        const deeper = this.pos < this.lines.length && (this.indents[this.pos] as number) > indent;
        result.push(deeper ? this.node(this.indents[this.pos] as number) : null);
      } else if (isSequenceEntry(rest)) {
        throw GIVE_UP;
      } else if (keySeparator(rest) >= 0) {
        // `- key: value`: a mapping whose keys line up with `key`.
        this.texts[this.pos] = rest;
        this.indents[this.pos] = indent + start;
        result.push(this.node(indent + start));
      } else {
        this.pos++;
        result.push(this.inlineScalar(rest.trim()));
        this.skipToContent();
      }
      if (this.pos >= this.lines.length) return result;
      const next = this.indents[this.pos] as number;
      if (next > indent) throw GIVE_UP;
      // Less indented, or a key of the mapping this sequence is the value of.
      if (next < indent || !isSequenceEntry(this.texts[this.pos] as string)) return result;
    }
  }

  private key(text: string): string {
    if (text === '' || text.length > MAX_KEY_LENGTH || INDICATORS.has(text[0] as string)
      || text.includes('#') || text.endsWith(' ') || text.endsWith(':') || text === '<<') throw GIVE_UP;
    // js-yaml turns every key into a string after resolving it (`80` → "80", `~` → "null").
    const key = String(this.plain(text));
    if (key === '__proto__') throw GIVE_UP;
    return key;
  }

  /** A scalar that ends on the line it starts on; `text` is trimmed and not empty. */
  private inlineScalar(text: string): unknown {
    const first = text[0] as string;
    if (first === '"') return doubleQuoted(text);
    if (first === '\'') return singleQuoted(text);
    if (text === '{}' || text === '[]' || text.startsWith('{} #') || text.startsWith('[] #')) return first === '{' ? {} : [];
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
    while (this.pos < this.lines.length && this.lines[this.pos] === '') {
      leadingBlank++;
      this.pos++;
    }
    const contentIndent = this.pos < this.lines.length ? this.indents[this.pos] as number : 0;
    // An empty block scalar, or leading lines of spaces only, whose rules are js-yaml's.
    if (contentIndent <= parentIndent || contentIndent === (this.lines[this.pos] as string).length) throw GIVE_UP;
    const parts: string[] = ['\n'.repeat(leadingBlank)];
    let blank = 0;
    let content = false;
    for (; this.pos < this.lines.length; this.pos++) {
      const line = this.lines[this.pos] as string;
      const indent = this.indents[this.pos] as number;
      const onlySpaces = indent === line.length;
      if (onlySpaces && indent <= contentIndent) {
        blank++;
        continue;
      }
      if (indent < contentIndent) break;
      if (content) parts.push('\n'.repeat(1 + blank));
      parts.push(line.slice(contentIndent));
      content = true;
      blank = 0;
    }
    this.skipToContent();
    if (!strip) parts.push('\n');
    return parts.join('');
  }
}

/** `-` alone or followed by a space: a block sequence entry. */
function isSequenceEntry(text: string): boolean {
  return text.charCodeAt(0) === 0x2D /* - */ && (text.length === 1 || text.charCodeAt(1) === 0x20);
}

/** Where a plain key ends: the first `: `, or a colon ending the line; -1 when the line is no key. */
function keySeparator(text: string): number {
  const separator = text.indexOf(': ');
  if (separator >= 0) return separator;
  return text.endsWith(':') ? text.length - 1 : -1;
}

/** What may follow a closing quote on its line: nothing, or a comment. */
function endsCleanly(after: string): boolean {
  return after === '' || (after.charCodeAt(0) === 0x20 && after.trimStart().startsWith('#'));
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
    const quote = text.indexOf('\'', from);
    if (quote < 0) throw GIVE_UP;
    content += text.slice(from, quote);
    // `''` is an escaped quote inside the scalar.
    if (text.charCodeAt(quote + 1) !== 0x27) {
      if (!endsCleanly(text.slice(quote + 1))) throw GIVE_UP;
      return content;
    }
    content += '\'';
    from = quote + 2;
  }
}

/** The types js-yaml tries, in order, on a plain scalar of a schema (not declared by @types/js-yaml). */
function implicitTypesOf(schema: yaml.Schema): readonly yaml.Type[] {
  return (schema as unknown as {compiledImplicit: yaml.Type[]}).compiledImplicit;
}

/**
 * One YAML document, given as its lines, read as js-yaml reads it with `schema` if it lies
 * within the block subset; NOT_HANDLED otherwise (the caller then reads it with js-yaml).
 */
export function readBlockYaml(lines: readonly string[], schema: yaml.Schema): unknown {
  if (lines.some((line) => LEFT_TO_JS_YAML.test(line))) return NOT_HANDLED;
  try {
    return new BlockReader(lines, implicitTypesOf(schema)).read();
  } catch (error) {
    if (error === GIVE_UP) return NOT_HANDLED;
    throw error;
  }
}
