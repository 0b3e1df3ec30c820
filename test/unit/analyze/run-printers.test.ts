// The findings printers on hand-made reports: the cases the fixtures do not reach
// (info → note, findings without a file, colour, XML escaping, the fail-on threshold).
import {XMLParser, XMLValidator} from 'fast-xml-parser';
import {describe, expect, it} from 'vitest';
import type {FindingsReport, Summary} from '../../../src/core/analyze/run.js';
import type {Finding, RuleDoc} from '../../../src/core/analyze/types.js';
import {renderJson} from '../../../src/ui/findings/json.js';
import {renderJunit} from '../../../src/ui/findings/junit.js';
import {toSarif} from '../../../src/ui/findings/sarif.js';
import {renderTable} from '../../../src/ui/findings/table.js';

const gateway = {apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'shop', name: 'edge'};
const namespace = {apiVersion: 'v1', kind: 'Namespace', name: 'shop'};

const findings: Finding[] = [
  {code: 'IST0101', severity: 'error', message: 'selector <istio=edge> & "co" not found', resource: gateway,
    file: '/repo/deploy/gw.yaml', line: 4, documentation: 'https://istio.io/x'},
  {code: 'SM1051', severity: 'warning', message: 'no httpsRedirect', resource: gateway, file: '/repo/deploy/gw.yaml',
    line: 4},
  {code: 'SM0003', severity: 'error', message: 'YAML syntax error', file: '<stdin>', line: 9},
  {code: 'IST0102', severity: 'info', message: 'namespace not injected', resource: namespace},
];

const summary: Summary = {objects: 3, files: 2, skippedDocuments: 0, findings: 4, error: 2, warning: 1, info: 1,
  suppressed: 0, failOn: 'error', failed: true};
const report: FindingsReport = {findings, summary};
const rules: RuleDoc[] = [
  {code: 'IST0101', severity: 'error', title: 'Referenced resource not found', description: 'd', fix: 'f',
    documentation: 'https://istio.io/x'},
  {code: 'IST0102', severity: 'info', title: 'Namespace not injected', description: 'd', fix: 'f',
    documentation: 'https://istio.io/y'},
];

describe('SARIF printer', () => {
  const log = toSarif(report, {catalogue: rules, cwd: '/repo', toolVersion: '1.2.3', pseudoFiles: ['<stdin>']});
  const results = log.runs[0]?.results ?? [];
  const rulesOut = log.runs[0]?.tool.driver.rules ?? [];

  it('maps error, warning, info to error, warning, note', () => {
    expect(results.map((result) => result.level)).toEqual(['error', 'warning', 'error', 'note']);
  });

  it('gives every result a rule, adding bare rules for codes the catalogue lacks', () => {
    expect(rulesOut.map((rule) => rule.id)).toEqual(['IST0101', 'IST0102', 'SM1051', 'SM0003']);
    for (const result of results) expect(rulesOut[result.ruleIndex as number]?.id).toBe(result.ruleId);
    expect(rulesOut[0]).toMatchObject({helpUri: 'https://istio.io/x', defaultConfiguration: {level: 'error'}});
  });

  it('locates file findings relative to cwd, and the others by resource', () => {
    const where = results.map((result) => {
      const location = result.locations?.[0];
      return [location?.physicalLocation?.artifactLocation?.uri, location?.physicalLocation?.region?.startLine,
        location?.logicalLocations?.[0]?.fullyQualifiedName];
    });
    expect(where).toEqual([
      ['deploy/gw.yaml', 4, 'Gateway shop/edge'],
      ['deploy/gw.yaml', 4, 'Gateway shop/edge'],
      ['stdin', 1, undefined],
      ['cluster/_cluster/Namespace/shop', 1, 'Namespace shop'],
    ]);
  });

  it('fingerprints by code, resource and message, not by line', () => {
    const moved = toSarif({findings: [{...findings[0] as Finding, line: 40}], summary}, {catalogue: rules, cwd: '/repo',
      toolVersion: '1'});
    expect(moved.runs[0]?.results?.[0]?.partialFingerprints).toEqual(results[0]?.partialFingerprints);
    expect(results[0]?.partialFingerprints).not.toEqual(results[1]?.partialFingerprints);
  });
});

describe('table printer', () => {
  it('colours only when asked', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(renderTable(report, {color: true})).toMatch(ansi);
    expect(renderTable(report, {color: false})).not.toMatch(ansi);
  });

  it("groups by file then resource and shows a finding's own line when it differs", () => {
    const text = renderTable({
      findings: [...findings, {code: 'SM0003', severity: 'error', message: 'second', file: '<stdin>', line: 30}],
      summary,
    }, {color: false});
    expect(text.split('\n').slice(0, 12)).toEqual([
      '/repo/deploy/gw.yaml',
      '  Gateway shop/edge  line 4',
      '    error   IST0101 selector <istio=edge> & "co" not found',
      '    warning SM1051  no httpsRedirect',
      '',
      '<stdin>',
      '  (file)  line 9',
      '    error   SM0003  YAML syntax error',
      '    error   SM0003  second (line 30)',
      '',
      '(no file)',
      '  Namespace shop',
    ]);
    expect(text).toContain('2 errors, 1 warning, 1 info in 3 objects from 2 files');
  });
});

describe('JUnit printer', () => {
  const resources = [{resource: gateway, file: '/repo/deploy/gw.yaml'}, {resource: {...gateway, name: 'quiet'},
    file: '/repo/deploy/gw.yaml'}];
  const parse = (xml: string) =>
    new XMLParser({ignoreAttributes: false, attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name)})
      .parse(xml) as {
        testsuites: {failures: string; tests: string;
          testsuite: {name: string; failures: string;
            testcase: {name: string; failure?: {message: string; '#text': string}; 'system-out'?: string}[]}[]};
      };

  it('escapes XML and lists passing resources as passing testcases', () => {
    const xml = renderJunit(report, {failOn: 'error', resources});
    expect(XMLValidator.validate(xml)).toBe(true);
    const suites = parse(xml).testsuites.testsuite;
    expect(suites.map((suite) => suite.name)).toEqual(['/repo/deploy/gw.yaml', '<stdin>', '(no file)']);
    const [edge, quiet] = suites[0]?.testcase ?? [];
    expect(edge?.failure?.message).toBe('IST0101: selector <istio=edge> & "co" not found');
    // The warning is below --fail-on error: reported, not failing.
    expect(edge?.['system-out']).toContain('warning SM1051: no httpsRedirect');
    expect(quiet).toEqual({classname: 'Gateway@networking.istio.io/v1', name: 'shop/quiet', time: '0'});
  });

  it('fails on what --fail-on names, and on nothing with none', () => {
    const counts = (failOn: 'warning' | 'info' | 'none') =>
      Number(parse(renderJunit(report, {failOn, resources})).testsuites.failures);
    expect(counts('warning')).toBe(2);
    expect(counts('info')).toBe(3);
    expect(counts('none')).toBe(0);
  });
});

describe('JSON printer', () => {
  it('always writes every key, null when unknown', () => {
    const document = JSON.parse(renderJson(report)) as {findings: Record<string, unknown>[]};
    expect(document.findings[2]).toEqual({code: 'SM0003', severity: 'error', message: 'YAML syntax error',
      resource: null, file: '<stdin>', line: 9, documentation: null});
    expect(document.findings[3]?.resource).toEqual({apiVersion: 'v1', kind: 'Namespace', namespace: null,
      name: 'shop'});
  });
});
