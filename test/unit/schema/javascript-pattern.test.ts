// CRD patterns are Go's RE2; JavaScript refuses RE2's `(?i)`, so the generator rewrites it.
import {describe, expect, it} from 'vitest';
import {javascriptPattern} from '../../../scripts/schemas/openapi.js';

describe('javascriptPattern', () => {
  it("matches what RE2's (?i) matches, in either case, and nothing else", () => {
    const pattern = new RegExp(javascriptPattern('^(?i)(abort|warn)?$'), 'u');
    for (const text of ['abort', 'Abort', 'WARN', '']) expect(pattern.test(text), text).toBe(true);
    for (const text of ['aborts', 'skip']) expect(pattern.test(text), text).toBe(false);
  });

  it('leaves a pattern without (?i), escapes and character classes as written', () => {
    expect(javascriptPattern('^[a-z]+$')).toBe('^[a-z]+$');
    expect(javascriptPattern('(?i)\\d[a-z]x')).toBe('\\d[a-z][xX]');
  });
});
