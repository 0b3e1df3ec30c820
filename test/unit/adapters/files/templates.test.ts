import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {BUILTIN_TEMPLATES, parseTemplate, templateSource} from '../../../../src/adapters/files/templates.js';

const FILE = 'service/namespace.yaml';
const text = readFileSync(join(BUILTIN_TEMPLATES, FILE), 'utf8');

describe('built-in templates parsed ahead', () => {
  it('are taken as the build parsed them while the file still holds the text they were parsed from', () => {
    const documents = [{parsed: 'ahead'}];
    expect(templateSource(undefined, {[FILE]: {text, documents}})(FILE).documents).toBe(documents);
  });

  it('are parsed again when the file changed since (an edited checkout, a stale build)', () => {
    const source = templateSource(undefined, {[FILE]: {text: `${text}\n# edited`, documents: [{parsed: 'ahead'}]}});
    expect(source(FILE).documents).toEqual(parseTemplate(FILE, text));
  });

  it('leave a --templates folder alone: its files are always parsed', () => {
    const source = templateSource(BUILTIN_TEMPLATES, {[FILE]: {text, documents: [{parsed: 'ahead'}]}});
    expect(source(FILE).documents).toEqual(parseTemplate(FILE, text));
  });
});
