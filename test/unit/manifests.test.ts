import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {NOT_HANDLED, readBlockYaml, TextLines} from '../../src/core/block-yaml.js';
import {KUBERNETES_YAML_SCHEMA, parseManifests} from '../../src/core/manifests.js';

describe('parseManifests', () => {
  it('keeps each document start line and reads lists', () => {
    const text = ['# header', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', '', 'apiVersion: v1',
      'kind: List', 'items:', '- {apiVersion: v1, kind: Service, metadata: {name: b}}'].join('\n');
    const result = parseManifests(text, 'f.yaml');
    expect(result.objects.map((o) => [o.object.metadata.name, o.source?.line])).toEqual([['a', 2], ['b', 7]]);
  });

  it('reads YAML as the API server does: dates stay strings, merge keys merge', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {day: 2024-01-01}\nx: &base {p: 1}\ny: {<<: *base, q: 2}\n';
    const object = parseManifests(text, 'f.yaml').objects[0]?.object as Record<string, unknown>;
    expect(object.data).toEqual({day: '2024-01-01'});
    expect(object.y).toEqual({p: 1, q: 2});
  });

  it('reports a syntax error with its line and still reads the other documents', () => {
    const text = 'apiVersion: v1\nkind: A\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: [unclosed\nmetadata: {}\n';
    const result = parseManifests(text, 'f.yaml');
    expect(result.objects).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({file: 'f.yaml'});
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(6);
  });

  it('cuts documents at --- and ..., with CRLF line ends and content after ---, pointing at each first content line', () => {
    const text = ['# header', 'apiVersion: v1', 'kind: A', 'metadata: {name: a}',
      '--- {apiVersion: v1, kind: B, metadata: {name: b}}', '---', '', '# comment', 'apiVersion: v1', 'kind: C',
      'metadata:', '  name: c', '...', '---', '---', 'apiVersion: v1', 'kind: D', 'metadata:', '  name: |', '    d', '']
      .join('\r\n');
    const result = parseManifests(text, 'f.yaml');
    expect(result.errors).toEqual([]);
    expect(
      result.objects.map((
        {object, source},
      ) => [object.kind, object.metadata.name, source?.line, source?.documentIndex]),
    )
      .toEqual([['A', 'a', 2, 0], ['B', 'b', 5, 1], ['C', 'c', 9, 2], ['D', 'd\n', 16, 3]]);
  });

  it('skips non-Kubernetes documents without error', () => {
    const result = parseManifests('name: chart-values\nreplicas: 2\n', 'values.yaml');
    expect(result).toMatchObject({objects: [], errors: [], skipped: 1});
  });
});

/** js-yaml's reading of a document: the reference the quick reader must match exactly. */
function jsYaml(text: string): {value?: unknown; error?: unknown} {
  try {
    return {value: yaml.load(text, {schema: KUBERNETES_YAML_SCHEMA})};
  } catch (error) {
    return {error};
  }
}

/** A whole text read as one document by the quick reader. */
function quickRead(text: string): unknown {
  const lines = new TextLines(text);
  return readBlockYaml(lines, 0, lines.count, KUBERNETES_YAML_SCHEMA);
}

/** Reads a document with the quick reader and, when it answers, checks it against js-yaml; true when it answered. */
function quickAgrees(text: string): boolean {
  const quick = quickRead(text);
  if (quick === NOT_HANDLED) return false;
  const reference = jsYaml(text);
  expect(reference.error, `js-yaml refuses what the quick reader read:\n${text}`).toBeUndefined();
  expect(isDeepStrictEqual(quick, reference.value),
    `quick reader ${JSON.stringify(quick)} ≠ js-yaml ${JSON.stringify(reference.value)} for:\n${text}`).toBe(true);
  return true;
}

describe('the quick block-YAML reader', () => {
  it('reads block-style documents exactly as js-yaml does', () => {
    const handled = [
      'a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 1_000\nf: 1.5\ng: -.5\nh: 1e3\ni: "-0"\nj: -0\nk: 007\ninf: -.inf\nnan: .NaN',
      'yes: yes\nno: no\non: off\nt: true\nT: True\nf: FALSE\nn: null\nN: Null\ntilde: ~\nempty:\nspaces:   \ncomment: # nothing',
      'day: 2024-01-01\ntime: 12:30\nurl: http://a:80/b?c=d#frag\nlist: a, b]\nhash: a#b\nflag: --x=1\nneg: -x',
      '80: port\ntrue: key\n~: tilde\n0x10: hex\n1.0: float\nkey with spaces: v\na:b: colon',
      'q: "double # not a comment"\ns: \'it\'\'s\'\ne: \'\'\nd: ""\nafter: "x" # comment\nc: x # comment\nt: x   ',
      'o: {}\nl: []\no2: {} # c\nl2: [] # c',
      'seq:\n- a\n- 1\n-\n- b: 2\n  c: 3\n-   d: 4\n    e: 5\nnext: 1',
      'seq:\n  - name: x\n    ports:\n    - 80\n    - port: 81\n      name: y\n  -\n    deep: 1\n  - # comment\n    deeper: 2',
      'text: |\n  line 1\n\n    indented\n  # kept\n  last\nstrip: |-\n  no newline\n\n\nnext: 1',
      'blank: |\n\n\n  after blank lines\n   \n  spaces beyond\n      \nend: |\n  at the end\n\n',
      '# header\n\n  indented: document\n  second: 2\n# trailer',
      '- top\n- level\n- sequence',
    ];
    for (const text of handled) expect(quickAgrees(text), text).toBe(true);
  });

  it('leaves everything else to js-yaml, errors included', () => {
    const left = [
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'base: &b {p: 1}\ny:\n  <<: *b',
      'a: 1\na: 2',
      'a:\n\tb: 1',
      'a: >\n  folded',
      'a: |+\n  keep\n',
      'a: |2\n   x',
      'a: "esc\\n"',
      'a: "multi\n  line"',
      'a: plain\n  continued',
      'a: [1, 2]',
      'a: {b: 1}',
      'just a scalar',
      '# only a comment',
      'a: b: c',
      'a:\n  b: 1\n c: 2',
      '- a\nb: 1',
      '__proto__: x',
      '"quoted": key',
      'a: 1\r\nb: 2',
      'a: |\nb: 1',
      'a: |\n    \n  x',
      '- - nested',
      'a: - x',
      "a: 'unterminated",
      'a: "x" y',
      'a:: b',
      '? complex\n: key',
    ];
    for (const text of left) {
      expect(quickRead(text), text).toBe(NOT_HANDLED);
    }
  });

  it('agrees with js-yaml on every YAML document of the repository and the conformance data', () => {
    const roots = ['templates', 'examples', 'test', '../shared/conformance'];
    const files = roots.filter((root) => existsSync(root)).flatMap((root) =>
      readdirSync(root, {recursive: true, encoding: 'utf8'})
        .filter((name) => /\.ya?ml$/.test(name)).map((name) => join(root, name))
    );
    let answered = 0;
    for (const file of files) {
      for (const document of readFileSync(file, 'utf8').split(/^---.*$/m)) if (quickAgrees(document)) answered++;
    }
    // Most of them are block style; the reader must be doing the work, not passing it on.
    expect(answered).toBeGreaterThan(300);
  });

  it('agrees with js-yaml on generated documents near the edges of its subset', () => {
    // A small seeded generator (mulberry32): same documents every run.
    let seed = 20261125;
    const random = () => {
      seed = (seed + 0x6D2B79F5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const keys = ['a', 'b', 'name', 'x y', '80', 'true', '~', '0x1F', 'a:b', 'a#b', '-k', '"q"', 'k ', '<<', 'x:', 'é'];
    const scalars = ['v', 'two words', '1', '-1', '007', '0x1f', '1_000', '1.5', '.inf', '1e3', 'yes', 'null', '~',
      '2024-01-01', 'a: b', 'a:b', 'a #c', 'a#c', '"q # x"', '"a\\nb"', "'it''s'", "''", '{}', '[]', '{a: 1}', '- x',
      '-', '--flag', '*a', '&a x', '!!str 1', '|', '|-', '>', '%x', 'x   ', 'a]', '"open', '"x" y', 'x:'];
    const mapping = (depth: number, indent: number, lines: string[]): void => {
      const pad = ' '.repeat(indent);
      const sequence = random() < 0.3;
      for (let entry = 1 + Math.floor(random() * 3); entry > 0; entry--) {
        if (random() < 0.1) lines.push(pick(['', '  ', `${pad}# c`, ' '.repeat(indent + 3)]));
        const nested = depth < 3 && random() < 0.4;
        if (sequence) {
          const gap = ' '.repeat(pick([1, 2, 3]));
          if (!nested) lines.push(`${pad}-${gap}${pick(scalars)}`);
          else {
            lines.push(`${pad}-${gap}${pick(keys)}: ${pick(scalars)}`);
            mapping(depth + 1, indent + 1 + gap.length, lines);
          }
        } else if (!nested) {
          lines.push(`${pad}${pick(keys)}: ${pick(scalars)}`);
        } else if (random() < 0.3) {
          lines.push(`${pad}${pick(keys)}: ${pick(['|', '|-'])}`);
          for (let line = pick([1, 2, 3]); line > 0; line--) {
            lines.push(pick(['', '  ', `${pad}  text`, `${pad}    more`, `${pad} less`]));
          }
        } else {
          lines.push(`${pad}${pick(keys)}:`);
          mapping(depth + 1, indent + pick([0, 1, 2, 4]), lines);
        }
      }
    };
    let answered = 0;
    for (let count = 0; count < 3000; count++) {
      const lines: string[] = [];
      mapping(0, 0, lines);
      if (quickAgrees(lines.join('\n'))) answered++;
    }
    expect(answered).toBeGreaterThan(300);
    expect(answered).toBeLessThan(3000);
  });
});
