// The analyser registry: one sorted list, one contract. Every analyser says what it reads
// and which messages it may report, and reports only those, at their severity.
import {describe, expect, it} from 'vitest';
import {analyzerRegistry} from '../../../src/core/analyze/all.js';
import {catalogue} from '../../../src/core/analyze/catalogue.js';
import {analyzeIstio, istioAnalyzers, optionalIstioAnalyzers} from '../../../src/core/analyze/istio/index.js';
import {createIstioContext} from '../../../src/core/analyze/istio/create-context.js';
import type {IstioContext} from '../../../src/core/analyze/istio/context.js';
import {smAnalyzers} from '../../../src/core/analyze/mesh-policy/index.js';
import {gridCases, gridMeshOptions, gridObjects} from './istio/grid.js';

describe('the analyser registry', () => {
  it("lists every analyser once, sorted by name, as Istio's all.go does", () => {
    const names = analyzerRegistry.map((analyzer) => analyzer.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
    expect(istioAnalyzers.map((analyzer) => analyzer.name)).toEqual(
      istioAnalyzers.map((analyzer) => analyzer.name).sort(),
    );
    expect(names).toEqual(
      expect.arrayContaining(['gateway.IngressGatewayPortAnalyzer', 'maturity.AlphaAnalyzer',
        'schema.ValidationAnalyzer', 'sm.zero-trust']),
    );
  });

  it('gives every analyser a description, the kinds it reads and documented codes at their catalogue severity', () => {
    const documented = new Map(catalogue().map((doc) => [doc.code, doc.severity]));
    for (const analyzer of analyzerRegistry) {
      expect(analyzer.description, analyzer.name).toMatch(/\S/);
      expect(analyzer.inputs.length, analyzer.name).toBeGreaterThan(0);
      expect(analyzer.codes.length, analyzer.name).toBeGreaterThan(0);
      for (const {code, severity} of analyzer.codes) {
        expect([analyzer.name, code, documented.get(code)]).toEqual([analyzer.name, code, severity]);
      }
    }
  });

  it("has each Istio analyser report only the codes it declares, at their severity, on Istio's test grid", () => {
    const cases = gridCases();
    const undeclared: string[] = [];
    for (const analyzer of istioAnalyzers) {
      const declared = new Map(analyzer.codes.map(({code, severity}) => [code, severity]));
      for (const testCase of cases) {
        for (const finding of analyzeIstio(gridObjects(testCase), {...gridMeshOptions(testCase),
          analyzers: [analyzer]}))
        {
          if (declared.get(finding.code) !== finding.severity) {
            undeclared.push(`${analyzer.name}: ${finding.code} ${finding.severity}`);
          }
        }
      }
    }
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it('has each Istio analyser ask the context only for kinds among its inputs (the live listing fetches those)', () => {
    const cases = gridCases();
    const undeclared = new Set<string>();
    for (const analyzer of [...istioAnalyzers, ...optionalIstioAnalyzers]) {
      const declared = new Set(analyzer.inputs.map(({group, kind}) => `${group}/${kind}`));
      for (const testCase of cases) {
        const ctx = createIstioContext(gridObjects(testCase), gridMeshOptions(testCase));
        const watched: IstioContext = {...ctx, byKind(kind, group) {
          if (group === undefined || (!declared.has(`${group}/${kind}`) && !declared.has(`${group}/*`))) {
            undeclared.add(`${analyzer.name}: ${group ?? '(any group)'}/${kind}`);
          }
          return ctx.byKind(kind, group);
        }};
        analyzer.analyze(watched);
      }
    }
    expect([...undeclared].sort()).toEqual([]);
  });

  it('has each SM analyser report only the codes it declares', () => {
    const objects = gridCases().flatMap(gridObjects);
    for (const analyzer of smAnalyzers) {
      const declared = new Set(analyzer.codes.map(({code}) => code));
      const found = analyzer.analyze({objects}).map(({code}) => code);
      expect(found.filter((code) => !declared.has(code)), analyzer.name).toEqual([]);
    }
  });
});
