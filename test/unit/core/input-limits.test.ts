import {describe, expect, it} from 'vitest';
import {documentShapeProblem, fileCountProblem, flowDepthProblem, fileSizeProblem, INPUT_LIMITS,
  totalSizeProblem} from '../../../src/core/input-limits.js';
import {decodeUtf8} from '../../../src/core/utf8.js';
import {parseManifests} from '../../../src/core/manifests.js';

/** The classic "billion laughs": each level holds nine uses of the one before. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= levels; level++) {
    lines.push(`a${level}: &a${level} [${Array.from({length: 9}, () => `*a${level - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n`;
}

describe('input limits', () => {
  it('names the limit a size passes, and nothing at the limit', () => {
    expect(fileSizeProblem(INPUT_LIMITS.fileBytes)).toBeUndefined();
    expect(fileSizeProblem(INPUT_LIMITS.fileBytes + 1)).toMatch(/over the limit of 16 MiB/);
    expect(totalSizeProblem(INPUT_LIMITS.totalBytes + 1)).toMatch(/over the limit of 64 MiB/);
    expect(fileCountProblem(INPUT_LIMITS.files)).toBeUndefined();
    expect(fileCountProblem(INPUT_LIMITS.files + 1)).toMatch(/more than 20000/);
  });

  it('counts every use of an aliased node, and stops at the limit', () => {
    const shared = [1, 2, 3];
    expect(documentShapeProblem({a: shared, b: shared}, {nodes: 9, depth: 100})).toBeUndefined();
    expect(documentShapeProblem({a: shared, b: shared, c: shared}, {nodes: 9, depth: 100})).toMatch(
      /more than 9 nodes/,
    );
  });

  it('refuses nesting past the depth limit without using the call stack', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(documentShapeProblem(deep)).toMatch(/deeper than 100 levels/);
    let shallow: unknown = 'leaf';
    for (let level = 0; level < 100; level++) shallow = {next: shallow};
    expect(documentShapeProblem(shallow)).toBeUndefined();
  });

  it('measures flow nesting in the text before any parser sees it, outside quotes', () => {
    expect(flowDepthProblem(`data: ${'['.repeat(101)}${']'.repeat(101)}`)).toMatch(/deeper than 100 levels/);
    expect(flowDepthProblem(`data: ${'[]'.repeat(500)}`)).toBeUndefined();
    expect(flowDepthProblem(`data: "${'['.repeat(500)}"\nother: '${'{'.repeat(500)}'`)).toBeUndefined();
  });

  it('turns an alias bomb in a manifest into an SM0004-kind error at its line, quickly', () => {
    const started = performance.now();
    const parsed = parseManifests(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\n${aliasBomb(9)}`,
      'bomb.yaml');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parsed.objects.map(({object}) => object.kind)).toEqual(['Namespace']);
    expect(parsed.errors).toEqual([{file: 'bomb.yaml', line: 5, column: 1,
      message: expect.stringMatching(/expands to more than 1000000 nodes/), kind: 'unreadable'}]);
  });

  it('reads a few aliases as before', () => {
    const parsed = parseManifests(aliasBomb(2), 'small.yaml');
    expect(parsed.errors).toEqual([]);
    expect(parsed.objects).toHaveLength(1);
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 as it is', () => {
    expect(decodeUtf8(Buffer.from('name: café 🚀\n'))).toEqual({text: 'name: café 🚀\n'});
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong slash', [0xC0, 0xAF]],
    ['a surrogate', [0xED, 0xA0, 0x80]],
    ['a cut sequence', [0xE2, 0x82]],
    ['Latin-1', [0xE9]],
  ])('finds the line of %s', (_name, bad) => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: 2\nc: '), Buffer.from(bad), Buffer.from('\nd: 4\n')]);
    expect(decodeUtf8(bytes).invalidLine).toBe(3);
  });
});
