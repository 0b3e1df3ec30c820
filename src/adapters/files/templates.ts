// Reads templates from the built-in folder or from the user's copy (--templates DIR).
//
// Parsing YAML is most of what rendering one service costs, so the build parses the built-in
// templates ahead into dist/templates.json (scripts/parse-templates.ts). Each entry keeps the
// text it was parsed from; a template whose text differs (an edited checkout, a stale build) is
// parsed as any other.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import yaml from 'js-yaml';
import {invalidFile, UsageError} from '../../errors.js';
import {documentShapeProblem} from '../../core/input-limits.js';
import {readTextWithin} from './limited-read.js';
import {PACKAGE_ROOT} from '../../package-root.js';
import {TemplateError, type Template} from '../../core/render/engine.js';
import type {TemplateSource} from '../../core/render/pipeline.js';

export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

/** The built-in templates as the build parsed them, by file, each with the text it was parsed from. */
export type ParsedTemplates = Record<string, {text: string; documents: unknown[]}>;

export const PARSED_TEMPLATES = join(PACKAGE_ROOT, 'dist', 'templates.json');

function readParsedTemplates(): ParsedTemplates {
  try {
    return JSON.parse(readFileSync(PARSED_TEMPLATES, 'utf8')) as ParsedTemplates;
  } catch {
    return {}; // not built (tests run from src/): every template is parsed
  }
}

export function templateSource(root: string | undefined, parsedAhead?: ParsedTemplates): TemplateSource {
  const base = root ?? BUILTIN_TEMPLATES;
  // Only the built-in folder was parsed ahead; a --templates folder is the user's, parsed as it is.
  const parsed = root === undefined ? parsedAhead ?? readParsedTemplates() : {};
  const cache = new Map<string, Template>();
  return (file) => {
    const cached = cache.get(file);
    if (cached) return cached;
    const path = join(base, file);
    let text: string;
    try {
      text = readTextWithin(path);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--templates: ${path} is missing`,
        `copy the built-in templates (${BUILTIN_TEMPLATES}) and edit the copy`, 'MissingTemplate');
    }
    const ahead = Object.hasOwn(parsed, file) ? parsed[file] : undefined;
    const template = {file, documents: ahead?.text === text ? ahead.documents : parseTemplate(path, text)};
    cache.set(file, template);
    return template;
  };
}

/** A template file's documents (empty ones dropped); bad YAML or a document over the limits is exit 2 naming the file. */
export function parseTemplate(path: string, text: string): unknown[] {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, undefined, {filename: path}).filter((document) =>
      document !== null && document !== undefined
    );
  } catch (error) {
    const line = ((error as {mark?: {line?: number}}).mark?.line ?? 0) + 1;
    throw new UsageError(`${path}:${line}: ${(error as {reason?: string}).reason ?? (error as Error).message}`,
      undefined, 'InvalidTemplate');
  }
  const overLimit = documents.map((document) => documentShapeProblem(document)).find(Boolean);
  if (overLimit) {
    throw new UsageError(`--templates: ${path}: a document ${overLimit}`, 'write the objects out without YAML aliases',
      'InvalidTemplate');
  }
  return documents;
}

/**
 * Renders with the user's templates (--templates DIR): a template that does not render is the
 * user's file to fix, so its error is exit 2 naming the file and, for a `{{ }}` reference, its line.
 */
export async function renderingUserTemplates<T>(root: string | undefined, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TemplateError) || root === undefined) throw error;
    const path = join(root, error.file);
    const reference = error.reference;
    const line = reference === undefined ? undefined : lineOfReference(path, reference);
    throw invalidFile(path, `${error.where}: ${error.message.slice(`${error.file}: ${error.where}: `.length)}`, line,
      'a template may use only the values of the built-in templates; compare your copy with them');
  }
}

function lineOfReference(path: string, reference: string): number | undefined {
  const pattern = new RegExp(`\\{\\{\\s*${reference.replace(/[.$]/g, (char) => `\\${char}`)}\\s*\\}\\}`);
  const index = readTextWithin(path).split('\n').findIndex((text) => pattern.test(text));
  return index === -1 ? undefined : index + 1;
}
