import {describe, expect, it} from 'vitest';
import {compareFindings, isAtOrAbove, parseSuppression, parseSuppressions, runAnalysis,
  SuppressionSyntaxError} from '../../../src/core/analyze/run.js';
import {testAnalyzer} from '../../helpers/analyzer.js';
import type {AnalysisInput, Analyzer, Finding} from '../../../src/core/analyze/types.js';
import {refOf, type KubeObject, type SourcedObject} from '../../../src/core/objects.js';
import type {ObjectIndex} from '../../../src/core/analyze/istio/query/object-index.js';

function gateway(name: string, namespace: string, annotations?: Record<string, string>): KubeObject {
  return {apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
    metadata: {name, namespace, ...(annotations ? {annotations} : {})}};
}

function sourced(object: KubeObject, file?: string, line = 1): SourcedObject {
  return file ? {object, source: {file, line, documentIndex: 0}} : {object};
}

/** An analyser that reports one finding per object with the given code and severity. */
function everyObject(code: string, severity: Finding['severity'] = 'error'): Analyzer {
  return testAnalyzer(`test.${code}`, (input) => input.objects.map(({object, source}) => ({
    code,
    severity,
    message: `${code} on ${object.metadata.name}`,
    resource: refOf(object),
    ...(source ? {file: source.file, line: source.line} : {}),
  })));
}

describe('parseSuppression', () => {
  it('reads CODE=Kind name-glob', () => {
    const rule = parseSuppression('IST0101=Gateway orphan-*');
    expect(rule.code('IST0101')).toBe(true);
    expect(rule.kind('gateway')).toBe(true);
    expect(rule.name('orphan-gateway')).toBe(true);
    expect(rule.name('other')).toBe(false);
  });

  it.each([
    ['IST0101', 'no = at all'],
    ['IST0101=Gateway', 'no name'],
    ['=Gateway x', 'no code'],
    ['IST0101=Gateway a b', 'three words'],
    ['IST-0101=Gateway a', 'a code with punctuation'],
  ])('refuses %j (%s) with an error naming the rule (the action names the flag: validate-action.test.ts)', (text) => {
    expect(() => parseSuppression(text)).toThrow(SuppressionSyntaxError);
    expect(() => parseSuppression(text)).toThrow(`${JSON.stringify(text)} `);
  });

  it('parses every value of a repeated flag', () => {
    expect(parseSuppressions(['SM1*=* *', 'IST0102=Namespace default']).map((rule) => rule.text)).toEqual(['SM1*=* *',
      'IST0102=Namespace default']);
  });
});

describe('runAnalysis suppressions', () => {
  const objects = [sourced(gateway('orphan', 'shop'), 'a.yaml', 1), sourced(gateway('keep', 'shop'), 'a.yaml', 10)];
  const run = (suppress: string[]) =>
    runAnalysis({objects}, {analyzers: [everyObject('IST0101')], suppressions: parseSuppressions(suppress),
      failOn: 'error'});

  it.each([
    'IST0101=Gateway orphan',
    'IST0101=gateway shop/orphan',
    'IST0101=Gateway orphan.shop',
    'IST01*=Gateway orph?n',
    '*=* orphan*',
  ])('%j hides the finding on orphan only', (rule) => {
    const report = run([rule]);
    expect(report.findings.map((finding) => finding.resource?.name)).toEqual(['keep']);
    expect(report.summary.suppressed).toBe(1);
  });

  it.each(['IST0102=Gateway orphan', 'IST0101=VirtualService orphan', 'IST0101=Gateway other/orphan'])(
    '%j hides nothing',
    (rule) => {
      expect(run([rule]).findings).toHaveLength(2);
    },
  );

  it("honours our annotation and Istio's, by code or with *", () => {
    const annotated = [
      sourced(gateway('ours', 'shop', {'sparc-mesh.io/validate-suppress': 'SM1001, IST0101'}), 'b.yaml', 1),
      sourced(gateway('istio', 'shop', {'galley.istio.io/analyze-suppress': '*'}), 'b.yaml', 5),
      sourced(gateway('other-code', 'shop', {'galley.istio.io/analyze-suppress': 'IST0108'}), 'b.yaml', 9),
    ];
    const report = runAnalysis({objects: annotated}, {
      analyzers: [everyObject('IST0101'), everyObject('SM1002', 'warning')],
      failOn: 'error',
    });
    expect(report.findings.map((finding) => `${finding.code} ${finding.resource?.name}`)).toEqual([
      'SM1002 ours',
      'IST0101 other-code',
      'SM1002 other-code',
    ]);
    expect(report.summary.suppressed).toBe(3);
  });

  it('an annotation silences only the object that carries it, not a namesake of another kind', () => {
    const service: KubeObject = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'ours', namespace: 'shop'}};
    const input = [sourced(gateway('ours', 'shop', {'sparc-mesh.io/validate-suppress': 'IST0101'})), sourced(service)];
    const report = runAnalysis({objects: input}, {analyzers: [everyObject('IST0101')], failOn: 'error'});
    expect(report.findings.map((finding) => finding.resource?.kind)).toEqual(['Service']);
  });
});

describe('runAnalysis report', () => {
  it('sorts by file, line and code, with findings without a file last, and drops exact repeats', () => {
    const findings: Finding[] = [
      {code: 'IST0101', severity: 'error', message: 'live'},
      {code: 'SM1002', severity: 'warning', message: 'b', file: 'b.yaml', line: 3},
      {code: 'IST0101', severity: 'error', message: 'a', file: 'b.yaml', line: 3},
      {code: 'IST0101', severity: 'error', message: 'a', file: 'b.yaml', line: 3},
      {code: 'SM0003', severity: 'error', message: 'syntax', file: 'a.yaml', line: 40},
      {code: 'IST0102', severity: 'info', message: 'c', file: 'b.yaml', line: 1},
    ];
    const repeat = testAnalyzer('fixed', () => findings);
    const report = runAnalysis({objects: []}, {analyzers: [repeat], failOn: 'error'});
    expect(report.findings.map((finding) => `${finding.file ?? '-'}:${finding.line ?? '-'} ${finding.code}`)).toEqual([
      'a.yaml:40 SM0003',
      'b.yaml:1 IST0102',
      'b.yaml:3 IST0101',
      'b.yaml:3 SM1002',
      '-:- IST0101',
    ]);
    expect(report.summary).toMatchObject({findings: 5, error: 3, warning: 1, info: 1, suppressed: 0});
    expect([...report.findings].sort(compareFindings)).toEqual(report.findings);
  });

  it('keeps the findings of one live resource together (no file, no line: resource before code)', () => {
    const ns = (name: string) => ({apiVersion: 'v1', kind: 'Namespace', name});
    const live: Finding[] = [
      {code: 'IST0102', severity: 'info', message: 'm', resource: ns('b')},
      {code: 'SM3001', severity: 'error', message: 'm', resource: ns('a')},
      {code: 'IST0102', severity: 'info', message: 'm', resource: ns('a')},
    ];
    const report = runAnalysis({objects: []}, {analyzers: [testAnalyzer('fixed', () => live)], failOn: 'error'});
    expect(report.findings.map((finding) => `${finding.resource?.name} ${finding.code}`)).toEqual(['a IST0102',
      'a SM3001', 'b IST0102']);
  });

  it.each([
    ['error', ['warning', 'info'], false],
    ['error', ['error'], true],
    ['warning', ['warning'], true],
    ['warning', ['info'], false],
    ['info', ['info'], true],
    ['none', ['error'], false],
  ] as const)('fail-on %s with %j → failed %s', (failOn, severities, failed) => {
    const analyzers = severities.map((severity, index) => everyObject(`SM100${index}`, severity));
    const report = runAnalysis({objects: [sourced(gateway('g', 'ns'), 'a.yaml')]}, {analyzers, failOn});
    expect(report.summary.failed).toBe(failed);
  });

  it('counts objects, files and skipped documents, and puts input findings (syntax errors) in the report', () => {
    const syntax: Finding = {code: 'SM0003', severity: 'error', message: 'YAML syntax error', file: 'x.yaml', line: 7};
    const report = runAnalysis({objects: [sourced(gateway('g', 'ns'), 'a.yaml')]}, {analyzers: [],
      inputFindings: [syntax], failOn: 'error', stats: {files: 2, skippedDocuments: 4}});
    expect(report.findings).toEqual([syntax]);
    expect(report.summary).toEqual({objects: 1, files: 2, skippedDocuments: 4, findings: 1, error: 1, warning: 0,
      info: 0, suppressed: 0, failOn: 'error', failed: true});
  });

  it('keeps only the findings the caller reports on', () => {
    const objects = [sourced(gateway('from-file', 'shop'), 'a.yaml'), sourced(gateway('live', 'shop'))];
    const report = runAnalysis({objects}, {analyzers: [everyObject('IST0101')], failOn: 'error',
      isReported: (finding) => finding.file !== undefined});
    expect(report.findings.map((finding) => finding.resource?.name)).toEqual(['from-file']);
  });

  it("turns an analyser crash into one SM0999 finding naming it, and keeps the other analysers' findings", () => {
    const broken = testAnalyzer('sm.broken', () => {
      throw new TypeError('x is undefined');
    });
    const report = runAnalysis({objects: [sourced(gateway('g', 'ns'), 'a.yaml')]}, {
      analyzers: [broken, everyObject('SM1002', 'warning')],
      failOn: 'error',
    });
    expect(report.findings.map((finding) => [finding.code, finding.severity, finding.message])).toEqual([
      ['SM1002', 'warning', 'SM1002 on g'],
      ['SM0999', 'error', 'Analyser sm.broken failed: x is undefined'],
    ]);
    expect(report.summary.failed).toBe(true);
  });

  it("gives every analyser one index of the input's objects, built when the first asks", () => {
    const objects = [sourced(gateway('g', 'ns'), 'a.yaml')];
    const seen: unknown[] = [];
    const asking = (name: string) => testAnalyzer<AnalysisInput>(name, (input) => {
      seen.push(input.index?.());
      return [];
    });
    runAnalysis({objects}, {analyzers: [asking('test.a'), asking('test.b')], failOn: 'error'});
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect((seen[0] as ObjectIndex).byKind('Gateway', 'networking.istio.io')).toEqual(objects);
  });

  it('isAtOrAbove never fires for none', () => {
    expect(isAtOrAbove('error', 'none')).toBe(false);
    expect(isAtOrAbove('warning', 'info')).toBe(true);
  });
});
