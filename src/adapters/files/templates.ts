// Reads templates from the built-in folder or from the user's copy (--templates DIR).
import {join} from 'node:path';
import yaml from 'js-yaml';
import {UsageError} from '../../errors.js';
import {documentShapeProblem} from '../../core/input-limits.js';
import {readTextWithin} from './limited-read.js';
import {PACKAGE_ROOT} from '../../package-root.js';
import type {Template} from '../../core/render/engine.js';
import type {TemplateSource} from '../../core/render/pipeline.js';

export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

export function templateSource(root: string | undefined): TemplateSource {
  const base = root ?? BUILTIN_TEMPLATES;
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
      throw new UsageError(`--templates: ${path} is missing`, `copy the built-in templates (${BUILTIN_TEMPLATES}) and edit the copy`, 'MissingTemplate');
    }
    let documents: unknown[];
    try {
      documents = yaml.loadAll(text, undefined, {filename: path}).filter((document) => document !== null && document !== undefined);
    } catch (error) {
      const line = ((error as {mark?: {line?: number}}).mark?.line ?? 0) + 1;
      throw new UsageError(`${path}:${line}: ${(error as {reason?: string}).reason ?? (error as Error).message}`, undefined, 'InvalidTemplate');
    }
    const overLimit = documents.map((document) => documentShapeProblem(document)).find(Boolean);
    if (overLimit) throw new UsageError(`--templates: ${path}: a document ${overLimit}`, 'write the objects out without YAML aliases', 'InvalidTemplate');
    const template = {file, documents};
    cache.set(file, template);
    return template;
  };
}
