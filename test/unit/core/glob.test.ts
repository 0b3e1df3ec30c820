import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {globMatcher} from '../../../src/core/glob.js';

/** The old way, as a reference on short inputs only (it backtracks on long ones). */
function viaRegExp(glob: string, text: string): boolean {
  const body = [...glob].map((
    char,
  ) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'su').test(text);
}

describe('globMatcher', () => {
  it.each([
    ['orphan-*', 'orphan-gateway', true],
    ['orphan-*', 'other', false],
    ['*', '', true],
    ['?', '', false],
    ['a?c', 'abc', true],
    ['*.prod', 'web.prod', true],
    ['*.prod', 'webxprod', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
  ])('%j matches %j: %s', (glob, text, expected) => {
    expect(globMatcher(glob)(text)).toBe(expected);
  });

  it('folds case only when asked', () => {
    expect(globMatcher('IST01*', {ignoreCase: true})('ist0101')).toBe(true);
    expect(globMatcher('IST01*')('ist0101')).toBe(false);
  });

  it('agrees with the regular-expression reading on any short glob and text', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '.', '🚀');
    fc.assert(
      fc.property(fc.array(alphabet, {maxLength: 8}).map((chars) => chars.join('')),
        fc.array(alphabet, {maxLength: 12}).map((chars) => chars.join('')),
        (glob, text) => globMatcher(glob)(text) === viaRegExp(glob, text)),
      {numRuns: 3000},
    );
  });

  it('answers a glob that makes regular expressions backtrack without end in well under a second', () => {
    const glob = `${'*a'.repeat(40)}*b`;
    const text = 'a'.repeat(100_000);
    const started = performance.now();
    expect(globMatcher(glob)(text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
