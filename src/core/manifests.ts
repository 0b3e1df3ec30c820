// Multi-document YAML → objects, keeping the line each document starts on.
// Each document is parsed on its own, so one syntax error is reported with its
// line and the other documents of the same file are still read.
import yaml from 'js-yaml';
import {NOT_HANDLED, readBlockYaml} from './block-yaml.js';
import {isKubeObject, type SourcedObject} from './objects.js';

export interface ManifestParseError {
  file: string;
  line: number;
  message: string;
}

export interface ParsedManifests {
  objects: SourcedObject[];
  errors: ManifestParseError[];
  /** Documents that parsed but are not Kubernetes objects (kept out of analysis, not errors). */
  skipped: number;
}

interface DocumentChunk {
  lines: string[];
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

function splitDocuments(text: string): DocumentChunk[] {
  const lines = text.includes('\r') ? text.split(/\r?\n/) : text.split('\n');
  const chunks: DocumentChunk[] = [];
  let current: string[] = [];
  let startLine = 1;
  lines.forEach((line, index) => {
    // Only lines starting with `-` or `.` can be markers; most lines are spared the regular expressions.
    const first = line.charCodeAt(0);
    if ((first === 0x2D || first === 0x2E) && (SEPARATOR.test(line) || END_MARKER.test(line))) {
      chunks.push({lines: current, startLine});
      // Content may follow the separator on the same line (`--- !tag` or `--- {a: 1}`).
      const rest = SEPARATOR.test(line) ? line.slice(3) : '';
      current = rest.trim() === '' ? [] : [rest];
      startLine = rest.trim() === '' ? index + 2 : index + 1;
      return;
    }
    current.push(line);
  });
  chunks.push({lines: current, startLine});
  return chunks;
}

/** The first line of a chunk that holds content, so findings point at the object, not at blank lines or comments. */
function firstContentLine(chunk: DocumentChunk): number {
  const offset = chunk.lines.findIndex((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  return chunk.startLine + Math.max(offset, 0);
}

/** The document's value: block-style YAML by the quick reader, anything else by js-yaml (which may throw). */
function loadDocument(chunk: DocumentChunk, file: string): unknown {
  const value = readBlockYaml(chunk.lines, KUBERNETES_YAML_SCHEMA);
  return value === NOT_HANDLED ? yaml.load(chunk.lines.join('\n'), {filename: file, schema: KUBERNETES_YAML_SCHEMA}) : value;
}

export function parseManifests(text: string, file: string): ParsedManifests {
  const result: ParsedManifests = {objects: [], errors: [], skipped: 0};
  let documentIndex = 0;
  for (const chunk of splitDocuments(text)) {
    if (chunk.lines.every((line) => line.trim() === '')) continue;
    let value: unknown;
    try {
      value = loadDocument(chunk, file);
    } catch (error) {
      const mark = (error as {mark?: {line?: number}}).mark;
      const line = chunk.startLine + (mark?.line ?? 0);
      const reason = (error as {reason?: string}).reason ?? (error as Error).message;
      result.errors.push({file, line, message: `YAML syntax error: ${reason}`});
      documentIndex++;
      continue;
    }
    const line = firstContentLine(chunk);
    for (const object of flattenLists(value)) {
      if (isKubeObject(object)) result.objects.push({object, source: {file, line, documentIndex}});
      else if (object !== null && object !== undefined) result.skipped++;
    }
    documentIndex++;
  }
  return result;
}

/** kubectl prints `kind: List` (and `*List`) wrappers; analysis wants their items. */
function flattenLists(value: unknown): unknown[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)) {
      return record.items.flatMap(flattenLists);
    }
  }
  return [value];
}
