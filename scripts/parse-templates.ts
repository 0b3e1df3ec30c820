// Parses the built-in templates ahead of time into dist/templates.json, which templateSource
// reads instead of parsing their YAML on every run (src/adapters/files/templates.ts). Run by
// scripts/bundle.mjs. A template whose documents JSON cannot hold as they are (a date, a
// binary) fails the build: the run would otherwise render something else than the file says.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, relative, sep} from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {BUILTIN_TEMPLATES, PARSED_TEMPLATES, parseTemplate,
  type ParsedTemplates} from '../src/adapters/files/templates.js';

const parsed: ParsedTemplates = {};
for (const entry of readdirSync(BUILTIN_TEMPLATES, {recursive: true, withFileTypes: true})) {
  if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
  const path = join(entry.parentPath, entry.name);
  const file = relative(BUILTIN_TEMPLATES, path).split(sep).join('/');
  const text = readFileSync(path, 'utf8');
  const documents = parseTemplate(path, text);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(documents)), documents)) {
    throw new Error(`${path}: holds a value JSON cannot carry; dist/templates.json cannot hold it`);
  }
  parsed[file] = {text, documents};
}
writeFileSync(PARSED_TEMPLATES, JSON.stringify(parsed));
