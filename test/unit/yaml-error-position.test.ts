// YAML syntax errors are reported where the broken construct starts, with its column, and
// never past the file's last line: js-yaml itself notices an unclosed bracket or quote only
// where the text runs out or the next entry begins.
import {describe, expect, it} from 'vitest';
import {parseManifests} from '../../src/core/manifests.js';

function errorOf(lines: string[]): {line: number; column: number; message: string} {
  const result = parseManifests(lines.join('\n'), 'f.yaml');
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors;
  return {line: error!.line, column: error!.column, message: error!.message};
}

const HEAD = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', 'data:'];

describe('YAML syntax error positions', () => {
  it('puts an unclosed flow sequence at its "[", before the entries that follow it', () => {
    const error = errorOf([...HEAD, '  key: [unclosed', '  other: value', '']);
    expect(error).toMatchObject({line: 6, column: 8});
    expect(error.message).toBe(
      'YAML syntax error at column 8: flow sequence "[" is never closed (missed comma between flow collection entries)',
    );
  });

  it('puts an unclosed flow sequence at the end of the file at its "[", not past the last line', () => {
    expect(errorOf([...HEAD, '  key: [a, b', ''])).toMatchObject({line: 6, column: 8});
    expect(errorOf([...HEAD, '  key: [a, b'])).toMatchObject({line: 6, column: 8});
  });

  it('puts an unclosed flow mapping at its "{", the innermost one when nested', () => {
    expect(errorOf(['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a', 'data:', '  k: v', ''])).toMatchObject({
      line: 3,
      column: 11,
    });
    expect(errorOf([...HEAD, '  key: {a: [1, 2], b: {c: 1, d: 2}, e: {f: 1', ''])).toMatchObject({line: 6, column: 40});
  });

  it('puts unclosed double- and single-quoted strings at their opening quote', () => {
    expect(errorOf([...HEAD, '  key: "unclosed', '  other: value', ''])).toMatchObject({line: 6, column: 8,
      message: expect.stringContaining('double-quoted string is never closed') as string});
    expect(errorOf([...HEAD, "  key: 'unclosed", '  other: value', ''])).toMatchObject({line: 6, column: 8,
      message: expect.stringContaining('single-quoted string is never closed') as string});
  });

  it('does not take an apostrophe or a quote inside a plain scalar, a comment or a closed string for an opening', () => {
    const error = errorOf([...HEAD, '  note: don\'t "worry" [x]', '  # it\'s a "comment [', '  fine: "a [b"',
      "  also: 'c {d'", '  key: "unclosed', '']);
    expect(error).toMatchObject({line: 10, column: 8});
  });

  it('skips the text of block scalars, whose quotes and brackets are literal', () => {
    const error = errorOf([...HEAD, '  script: |', '    echo "it\'s [', '    done {', '  key: [unclosed',
      '  other: value', '']);
    expect(error).toMatchObject({line: 9, column: 8});
  });

  it("reports a later document's unclosed quote on its own line when the next document follows", () => {
    const result = parseManifests(
      [...HEAD, '  k: v', '---', ...HEAD, '  key: "unclosed', '---', 'apiVersion: v1', 'kind: ConfigMap',
        'metadata: {name: b}', ''].join('\n'),
      'f.yaml',
    );
    expect(result.errors.map(({line, column}) => [line, column])).toEqual([[13, 8]]);
    expect(result.objects.map(({object}) => object.metadata.name)).toEqual(['a', 'b']);
  });

  it("keeps the parser's own place for errors in block structure: bad indentation, tabs", () => {
    expect(errorOf([...HEAD.slice(0, 4), '   bad: x', 'data: {}', ''])).toMatchObject({line: 5, column: 7,
      message: 'YAML syntax error at column 7: bad indentation of a mapping entry'});
    expect(errorOf(['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '\tname: a', ''])).toMatchObject({line: 4,
      column: 1});
  });

  it('never reports past the last line that holds anything, whatever the error', () => {
    for (const tail of ['  key: &anchor', '  key: !!binary', '  ? complex', '  key: [', '  key: "', '  - item']) {
      const text = [...HEAD, tail, '', '', ''];
      const result = parseManifests(text.join('\n'), 'f.yaml');
      for (const error of result.errors) expect(error.line, tail).toBeLessThanOrEqual(HEAD.length + 1);
    }
  });
});
