// Conformance against Istio's own analyzer test grid (../shared/conformance/istio-analyzers,
// read in place). Each case is judged as its README says: analyse the case's files offline,
// keep the findings whose code the case's analyser can emit, and compare the multiset of
// (code, origin) with what Istio expects. The suite fails below a 90% pass rate and prints
// a table of every case plus the misses, so a regression names the case it broke.
import {describe, expect, it} from 'vitest';
import {gridCases, gridMeshOptions, gridObjects, type GridCase} from '../unit/analyze/istio/grid.js';
import {analyzeIstio, istioAnalyzers} from '../../src/core/analyze/istio/index.js';
import type {IstioAnalyzer} from '../../src/core/analyze/istio/context.js';
import {loadCertificateReader} from '../../src/adapters/certs/x509.js';
import type {Finding, Severity} from '../../src/core/analyze/types.js';

const REQUIRED_RATE = 0.9;

const readCertificate = await loadCertificateReader();

type ConformanceCase = GridCase;
type ExpectedMessage = GridCase['expected'][number];

interface CaseResult {
  label: string;
  testCase: ConformanceCase;
  /** Why the case is not judged; undefined when it is. */
  excludedBecause?: string;
  passed: boolean;
  missing: string[];
  unexpected: string[];
  levelMismatches: string[];
  /** IST0001 findings: an analyser threw on this input. */
  internalErrors: string[];
  /** Judged with only the case's own analyser, as Istio's grid runs it (undefined when we have no such analyser). */
  passedInIsolation?: boolean;
  /** For each unexpected finding, the analysers of ours that produce it. */
  producers: Map<string, string[]>;
}

const LEVELS: Record<ExpectedMessage['level'], Severity> = {Error: 'error', Warning: 'warning', Info: 'info'};

/**
 * Cases we do not judge, each with its reason. Istio marks `skipAll` cases as not part
 * of its own default run (maturity.AlphaAnalyzer is not registered in istioctl analyze's
 * analyser set). No case here needs a live cluster: every one of them is file input.
 */
function exclusionReason(testCase: ConformanceCase): string | undefined {
  if (testCase.skipAll) return 'skipAll: Istio leaves this analyser out of the default analyser set';
  return undefined;
}

function originOf(finding: Finding): string {
  const ref = finding.resource;
  if (!ref) return '(no resource)';
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** Removes each of `take` once from `from`; returns what could not be matched. */
function multisetMinus(from: string[], take: string[]): string[] {
  const remaining = [...from];
  for (const item of take) {
    const index = remaining.indexOf(item);
    if (index !== -1) remaining.splice(index, 1);
  }
  return remaining;
}

function judge(testCase: ConformanceCase, label: string): CaseResult {
  const excludedBecause = exclusionReason(testCase);
  if (excludedBecause) {
    return {label, testCase, excludedBecause, passed: false, missing: [], unexpected: [], levelMismatches: [],
      internalErrors: [], producers: new Map()};
  }
  const objects = gridObjects(testCase);
  // The input is complete, as in Istio's harness (AddTestReaderKubeSource reads Pods, Services,
  // Namespaces and Secrets from the case's files, which istioctl's file mode skips): analyzeIstio
  // keeps findings about missing objects, which only validate's partial input holds back.
  const runAll = (analyzers: readonly IstioAnalyzer[]) => analyzeIstio(objects, {
    analyzers,
    // Certificate expiry is judged against a clock; the expired case in the data ran out in 2023.
    now: new Date(),
    readCertificate,
    ...gridMeshOptions(testCase),
  });
  const run = (analyzers: readonly IstioAnalyzer[]) =>
    runAll(analyzers).filter((finding) => testCase.codes.includes(finding.code));
  const internalErrors = runAll(istioAnalyzers).filter((finding) => finding.code === 'IST0001').map((finding) =>
    finding.message
  );
  const keysOf = (found: Finding[]) => found.map((finding) => `${finding.code} ${originOf(finding)}`);
  const findings = run(istioAnalyzers);
  const got = keysOf(findings);
  const wanted = testCase.expected.map((message) => `${message.code} ${message.origin}`);
  const missing = multisetMinus(wanted, got);
  const unexpected = multisetMinus(got, wanted);
  const own = istioAnalyzers.filter((analyzer) => analyzer.name === testCase.analyzer);
  const isolated = own.length > 0 ? keysOf(run(own)) : undefined;
  const producers = new Map<string, string[]>();
  for (const analyzer of unexpected.length > 0 ? istioAnalyzers : []) {
    for (const key of keysOf(run([analyzer]))) {
      if (unexpected.includes(key)) producers.set(key, [...new Set([...(producers.get(key) ?? []), analyzer.name])]);
    }
  }
  const levelMismatches = testCase.expected.flatMap((message) => {
    const ours = findings.find((finding) => finding.code === message.code && originOf(finding) === message.origin);
    return ours && ours.severity !== LEVELS[message.level]
      ? [`${message.code} ${message.origin}: ${ours.severity}, Istio ${message.level}`]
      : [];
  });
  const result: CaseResult = {label, testCase, passed: missing.length === 0 && unexpected.length === 0, missing,
    unexpected, levelMismatches, internalErrors, producers};
  if (isolated) {
    result.passedInIsolation = multisetMinus(wanted, isolated).length === 0
      && multisetMinus(isolated, wanted).length === 0;
  }
  return result;
}

let memo: CaseResult[] | undefined;
function results(): CaseResult[] {
  memo ??= gridCases().map((testCase, index) =>
    judge(testCase, `#${String(index + 1).padStart(3, '0')} ${testCase.name}`)
  );
  return memo;
}

function report(all: CaseResult[]): string {
  const implemented = new Set(istioAnalyzers.map((analyzer) => analyzer.name));
  const lines = ['', 'Istio analyzer conformance', ''];
  for (const result of all) {
    const status = result.excludedBecause ? 'SKIP' : result.passed ? 'pass' : 'FAIL';
    const owner = implemented.has(result.testCase.analyzer) ? '' : '  (analyser not in registry)';
    lines.push(`${status}  ${result.label}  [${result.testCase.analyzer}]${owner}`);
  }
  const judged = all.filter((result) => !result.excludedBecause);
  const passed = judged.filter((result) => result.passed).length;
  lines.push('',
    `Pass rate: ${passed}/${judged.length} = ${((100 * passed) / judged.length).toFixed(1)}% (required ${
      REQUIRED_RATE * 100
    }%)`);
  const isolated = judged.filter((result) => result.passedInIsolation).length;
  lines.push(
    `Pass rate with only the case's own analyser (as Istio's grid runs it; informational): ${isolated}/${judged.length}`,
  );
  const excluded = all.filter((result) => result.excludedBecause);
  if (excluded.length > 0) {
    lines.push('', `Excluded (${excluded.length}):`);
    for (const result of excluded) lines.push(`  ${result.label}: ${result.excludedBecause}`);
  }
  const misses = judged.filter((result) => !result.passed);
  if (misses.length > 0) {
    lines.push('', `Misses (${misses.length}):`);
    for (const result of misses) {
      lines.push(`  ${result.label} [${result.testCase.analyzer}]`);
      for (const item of result.missing) lines.push(`      expected, not found: ${item}`);
      for (const item of result.unexpected) {
        lines.push(`      found, not expected: ${item}  (from ${(result.producers.get(item) ?? ['?']).join(', ')})`);
      }
    }
  }
  return lines.join('\n');
}

describe('Istio analyzer conformance (../shared/conformance/istio-analyzers)', () => {
  it(`passes at least ${REQUIRED_RATE * 100}% of the cases that need no live cluster`, () => {
    const all = results();
    console.log(report(all));
    const judged = all.filter((result) => !result.excludedBecause);
    const rate = judged.filter((result) => result.passed).length / judged.length;
    expect(judged.length).toBeGreaterThan(0);
    expect(rate).toBeGreaterThanOrEqual(REQUIRED_RATE);
  });

  it("reports each expected message with Istio's level", () => {
    expect(results().flatMap((result) => result.levelMismatches)).toEqual([]);
  });

  it('runs every analyser without an internal error on every case', () => {
    expect(results().flatMap((result) => result.internalErrors.map((message) => `${result.label}: ${message}`)))
      .toEqual([]);
  });

  it('excludes only cases Istio itself marks as outside the default run', () => {
    const excluded = results().filter((result) => result.excludedBecause);
    expect(excluded.every((result) => result.testCase.skipAll)).toBe(true);
    expect(excluded.length).toBeLessThanOrEqual(1);
  });
});
