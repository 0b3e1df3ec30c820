// Multi-document YAML → objects, keeping the line each document starts on.
// Each document is parsed on its own, so one syntax error is reported with its
// line and the other documents of the same file are still read.
import yaml from 'js-yaml';
import {NOT_HANDLED, readBlockYaml, TextLines} from './block-yaml.js';
import {documentShapeProblem} from './input-limits.js';
import {isKubeObject, type SourcedObject} from './objects.js';
import {isRecord} from './record.js';
import {syntaxErrorPlace, type TextPosition} from './yaml-error-position.js';

export interface ManifestParseError {
  file: string;
  line: number;
  /** 1-based column where the broken construct starts. */
  column: number;
  message: string;
  /**
   * `unreadable`: over a reader limit or not UTF-8; `not-an-object`: parsed, but only looks
   * like a Kubernetes object. Otherwise a YAML syntax error.
   */
  kind?: 'syntax' | 'unreadable' | 'not-an-object';
}

export interface ParsedManifests {
  objects: SourcedObject[];
  errors: ManifestParseError[];
  /** Documents that parsed but are not Kubernetes objects (kept out of analysis, not errors). */
  skipped: number;
}

interface DocumentChunk {
  /** The document's lines of the file: `first` to `end` (exclusive). */
  first: number;
  end: number;
  /** Content after `---` on the separator line (`--- !tag`, `--- {a: 1}`): the document's first line. */
  head?: string;
  /** 1-based line of the chunk's first line. */
  startLine: number;
}

/**
 * YAML as the API server reads it: the core schema (a date stays a string, as kubectl
 * keeps it) plus merge keys (`<<: *anchor`), which Kubernetes' YAML decoder accepts.
 */
// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const {merge} = (yaml as unknown as {types: {merge: yaml.Type}}).types;
export const KUBERNETES_YAML_SCHEMA = yaml.CORE_SCHEMA.extend({implicit: [merge]});

const SEPARATOR = /^---(\s|$)/;
const END_MARKER = /^\.\.\.\s*$/;

function splitDocuments(lines: TextLines): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let current: DocumentChunk = {first: 0, end: 0, startLine: 1};
  for (let index = 0; index < lines.count; index++) {
    // Only lines starting with `-` or `.` can be markers; most lines are spared the regular expressions.
    const first = lines.text.charCodeAt(lines.starts[index] as number);
    if (first !== 0x2D && first !== 0x2E) continue;
    const line = lines.line(index);
    if (!SEPARATOR.test(line) && !END_MARKER.test(line)) continue;
    chunks.push({...current, end: index});
    const rest = SEPARATOR.test(line) ? line.slice(3) : '';
    current = rest.trim() === ''
      ? {first: index + 1, end: 0, startLine: index + 2}
      : {first: index + 1, end: 0, head: rest, startLine: index + 1};
  }
  chunks.push({...current, end: lines.count});
  return chunks;
}

/** The chunk as one text, as it stood in the file. */
function chunkText(lines: TextLines, chunk: DocumentChunk): string {
  const body = lines.slice(chunk.first, chunk.end);
  if (chunk.head === undefined) return body;
  return chunk.end > chunk.first ? `${chunk.head}\n${body}` : chunk.head;
}

/** The first line of a chunk that holds content, so findings point at the object, not at blank lines or comments. */
function firstContentLine(lines: TextLines, chunk: DocumentChunk): number {
  const isContent = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');
  if (chunk.head !== undefined && isContent(chunk.head)) return chunk.startLine;
  const offset = chunk.head === undefined ? 0 : 1;
  for (let index = chunk.first; index < chunk.end; index++) {
    if (isContent(lines.line(index))) return chunk.startLine + offset + index - chunk.first;
  }
  return chunk.startLine;
}

/** The document's value: block-style YAML by the quick reader, anything else by js-yaml (which may throw). */
function loadDocument(lines: TextLines, chunk: DocumentChunk, text: string, file: string): unknown {
  const value = chunk.head === undefined
    ? readBlockYaml(lines, chunk.first, chunk.end, KUBERNETES_YAML_SCHEMA)
    : NOT_HANDLED;
  if (value !== NOT_HANDLED) return value;
  // Only js-yaml's documents can hold aliases or deep nesting; the block reader's cannot.
  const loaded: unknown = yaml.load(text, {filename: file, schema: KUBERNETES_YAML_SCHEMA});
  const problem = documentShapeProblem(loaded);
  if (problem) throw new DocumentOverLimit(`the document ${problem}; it was not analysed`);
  return loaded;
}

/** A document that parsed but is over a reader limit. */
class DocumentOverLimit extends Error {}

export function parseManifests(text: string, file: string): ParsedManifests {
  const result: ParsedManifests = {objects: [], errors: [], skipped: 0};
  let documentIndex = 0;
  // Lines end at \n or \r\n, as before documents were cut from offsets.
  const lines = new TextLines(text.includes('\r') ? text.replace(/\r\n/g, '\n') : text);
  for (const chunk of splitDocuments(lines)) {
    const chunkSource = chunkText(lines, chunk);
    if (chunkSource.trim() === '') continue;
    let value: unknown;
    try {
      value = loadDocument(lines, chunk, chunkSource, file);
    } catch (error) {
      if (error instanceof DocumentOverLimit) {
        result.errors.push({file, line: firstContentLine(lines, chunk), column: 1, message: error.message,
          kind: 'unreadable'});
        documentIndex++;
        continue;
      }
      const reason = (error as {reason?: string}).reason ?? (error as Error).message;
      const place = syntaxErrorPlace(chunkSource, reason, (error as {mark?: TextPosition}).mark);
      const line = chunk.startLine + place.line;
      const column = place.column + 1;
      const why = place.unclosed ? `${place.unclosed} (${reason})` : reason;
      result.errors.push({file, line, column, message: `YAML syntax error at column ${column}: ${why}`});
      documentIndex++;
      continue;
    }
    const line = firstContentLine(lines, chunk);
    for (const object of flattenLists(value)) {
      if (isKubeObject(object)) result.objects.push({object, source: {file, line, documentIndex}});
      else if (object !== null && object !== undefined) {
        result.skipped++;
        const problem = nearObjectProblem(object);
        if (problem) result.errors.push({file, line, column: 1, message: problem, kind: 'not-an-object'});
      }
    }
    documentIndex++;
  }
  return result;
}

const OBJECT_KEYS = ['apiVersion', 'kind', 'metadata'] as const;

/**
 * What keeps a mapping that has any of apiVersion, kind and metadata (in any case) from
 * being a Kubernetes object; undefined for other documents (values files, plain data).
 */
function nearObjectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (!keys.some((key) => OBJECT_KEYS.some((wanted) => key.toLowerCase() === wanted.toLowerCase()))) return undefined;
  // Typed files without metadata (a Kustomization, a kubeconfig's `kind: Config`) are not objects and say so.
  if (typeof value.apiVersion === 'string' && typeof value.kind === 'string') return undefined;
  const missing = OBJECT_KEYS.filter((wanted) =>
    !isKubeObject({apiVersion: 'v1', kind: 'K', metadata: {}, [wanted]: value[wanted]})
  );
  const described = missing.map((wanted) => {
    const near = keys.find((key) => key !== wanted && key.toLowerCase() === wanted.toLowerCase());
    return near
      ? `\`${wanted}\` (found \`${near}\`)`
      : Object.hasOwn(value, wanted)
      ? `\`${wanted}\` of the right type`
      : `\`${wanted}\``;
  });
  return `looks like a Kubernetes object but has no ${described.join(', ')}; it was not analysed`;
}

/** kubectl prints `kind: List` (and `*List`) wrappers; analysis wants their items. */
function flattenLists(value: unknown): unknown[] {
  if (isRecord(value)) {
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      return value.items.flatMap(flattenLists);
    }
  }
  return [value];
}
