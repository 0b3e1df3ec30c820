import {describe, expect, it} from 'vitest';
import {smAnalyzers} from '../../../../src/core/analyze/rules/index.js';
import {analyze, fixture} from './helpers.js';

describe('the platform baseline', () => {
  const yaml = fixture('baseline.yaml');

  it('produces no errors and no warnings from any SM analyser', () => {
    const findings = smAnalyzers.flatMap((analyzer) => analyze(analyzer, yaml));
    expect(findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
  });

  it('still produces no errors when the cluster lists its namespaces', () => {
    const findings = smAnalyzers.flatMap((analyzer) => analyze(analyzer, yaml, ['shop', 'istio-system', 'kube-system', 'default']));
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  });
});
