// The workload and policy analysers, one at a time, over Istio's own analyzer test grid. Each
// case runs only the analyser it names, through the same entry point as `validate`, and
// compares the multiset of (code, level, origin) with what Istio expects. The run of the
// whole registry is test/conformance/istio-analyzers.test.ts.
import {describe, expect, it} from 'vitest';
import {analyzeIstio} from '../../../../src/core/analyze/istio/index.js';
import {analyzersIn, WORKLOAD_DOMAINS} from './domains.js';
import type {Finding} from '../../../../src/core/analyze/types.js';
import {type GridCase, gridCases, gridMeshOptions, gridObjects} from './grid.js';

const workloadAnalyzers = analyzersIn(WORKLOAD_DOMAINS);

const LEVEL = {error: 'Error', warning: 'Warning', info: 'Info'} as const;
const byName = new Map(workloadAnalyzers.map((analyzer) => [analyzer.name, analyzer]));
const cases = gridCases().filter((testCase) => byName.has(testCase.analyzer));

function describeFinding(finding: Finding): string {
  const ref = finding.resource;
  const origin = !ref
    ? '(none)'
    : ref.namespace
    ? `${ref.kind} ${ref.namespace}/${ref.name}`
    : `${ref.kind} ${ref.name}`;
  return `${finding.code} ${LEVEL[finding.severity]} ${origin}`;
}

function run(testCase: GridCase): string[] {
  const analyzer = byName.get(testCase.analyzer);
  if (!analyzer) throw new Error(`no analyser ${testCase.analyzer}`);
  const findings = analyzeIstio(gridObjects(testCase), {...gridMeshOptions(testCase), analyzers: [analyzer]});
  return findings.filter((finding) => testCase.codes.includes(finding.code)).map(describeFinding).sort();
}

describe("workload and policy analysers against Istio's test grid", () => {
  it('has a case for every workload and policy analyser', () => {
    expect(new Set(cases.map((testCase) => testCase.analyzer))).toEqual(new Set(byName.keys()));
    expect(cases).toHaveLength(35);
  });

  // skipAll cases (maturity.AlphaAnalyzer) are outside istioctl's default run but still
  // carry expectations, so they are judged here too.
  it.each(cases.map((testCase, index) => [`${index + 1} ${testCase.name} [${testCase.analyzer}]`, testCase] as const))(
    '%s',
    (_label, testCase) => {
      const wanted = testCase.expected.map((message) => `${message.code} ${message.level} ${message.origin}`).sort();
      expect(run(testCase)).toEqual(wanted);
    },
  );
});
