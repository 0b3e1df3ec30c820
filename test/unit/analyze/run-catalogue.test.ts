// The catalogue is what `validate explain` and SARIF rule metadata read: every code an
// analyser can emit must be in it, once, with a title, a fix and an https documentation link.
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {explainCode} from '../../../src/actions/validate/explain.js';
import {validateAnalyzers} from '../../../src/core/analyze/all.js';
import {catalogue, findRule, mergeCatalogues, nearMatches} from '../../../src/core/analyze/catalogue.js';
import {istioAnalyzers} from '../../../src/core/analyze/istio/index.js';
import {runAnalysis} from '../../../src/core/analyze/run.js';
import {inputCatalogue} from '../../../src/core/analyze/schema-findings.js';
import type {RuleDoc} from '../../../src/core/analyze/types.js';
import {parseManifests} from '../../../src/core/manifests.js';
import {UsageError} from '../../../src/errors.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const codes = new Set(catalogue().map((doc) => doc.code));

function filesBelow(folder: string, extension: string): string[] {
  return readdirSync(folder, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the validate catalogue', () => {
  it('has each code once, sorted, with a title, a description, a fix and an https link', () => {
    const list = catalogue();
    expect(new Set(list.map((doc) => doc.code)).size).toBe(list.length);
    expect(list.map((doc) => doc.code)).toEqual([...list.map((doc) => doc.code)].sort());
    for (const doc of list) {
      expect(doc.code).toMatch(/^(IST|SM)\d{4}$/);
      expect([doc.title, doc.description, doc.fix].every((text) => text.trim().length > 0)).toBe(true);
      expect(doc.documentation).toMatch(/^https:\/\//);
    }
    for (const own of inputCatalogue) expect(codes.has(own.code)).toBe(true);
  });

  it('refuses two docs for one code', () => {
    const doc: RuleDoc = {code: 'SM9999', severity: 'info', title: 't', description: 'd', fix: 'f',
      documentation: 'https://x'};
    expect(() => mergeCatalogues([doc], [doc])).toThrow('rule code SM9999 is defined twice in the catalogue');
  });

  it('lists every code an Istio analyser declares', () => {
    const missing = istioAnalyzers.flatMap((analyzer) =>
      analyzer.codes.filter(({code}) => !codes.has(code)).map(({code}) => `${analyzer.name}: ${code}`)
    );
    expect(missing).toEqual([]);
  });

  it("lists every code written in sparc-mesh's source, validate's analysers and debug's rules alike", () => {
    const written = filesBelow(join(repo, 'src'), '.ts')
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/['"`]((?:IST|SM)\d{4})['"`]/g)].map((match) => ({file,
          code: match[1] as string})
        )
      );
    expect(written.length).toBeGreaterThan(20);
    expect(written.some(({file}) => file.startsWith(join(repo, 'src/core/debug')))).toBe(true);
    const explained = (code: string) => {
      try {
        return explainCode(code).code === code;
      } catch {
        return false;
      }
    };
    expect(written.filter(({code}) => !explained(code)).map(({file, code}) => `${file.slice(repo.length)}: ${code}`))
      .toEqual([]);
  });

  it("lists every code the analysers emit on the fixtures and on Istio's analyser test grid", () => {
    const files = [...filesBelow(join(repo, 'test/fixtures/validate'), '.yaml'),
      ...filesBelow(join(repo, '../shared/conformance/istio-analyzers/testdata'), '.yaml')];
    const objects = files.flatMap((file) => parseManifests(readFileSync(file, 'utf8'), file).objects);
    expect(objects.length).toBeGreaterThan(100);
    const report = runAnalysis({objects}, {analyzers: validateAnalyzers(undefined), failOn: 'none'});
    const emitted = new Set(report.findings.map((finding) => finding.code));
    expect(emitted.size).toBeGreaterThan(5);
    expect([...emitted].filter((code) => !codes.has(code))).toEqual([]);
  });
});

describe('explain', () => {
  it('finds a code whatever its case and spacing', () => {
    expect(findRule(' sm0003 ')?.title).toBe('YAML syntax error');
    expect(explainCode('IST0101').code).toBe('IST0101');
  });

  it('suggests the nearest codes for a typo, and refuses with a usage error', () => {
    expect(nearMatches('IST101')).toContain('IST0101');
    expect(() => explainCode('NOPE')).toThrow(UsageError);
    expect(() => explainCode('SM0007')).toThrow(/did you mean SM0001, SM0002, SM0003/);
  });
});
