import {describe, expect, it} from 'vitest';
import {smAnalyzers} from '../../../../src/core/analyze/mesh-policy/index.js';
import {analyze, fixture} from './helpers.js';

describe('the platform baseline', () => {
  const yaml = fixture('baseline.yaml');

  it('produces no errors and no warnings from any SM analyser', () => {
    const findings = smAnalyzers.flatMap((analyzer) => analyze(analyzer, yaml));
    expect(findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
  });

  it('still produces no errors when the cluster lists its namespaces', () => {
    const findings = smAnalyzers.flatMap((analyzer) =>
      analyze(analyzer, yaml, ['shop', 'istio-system', 'linkerd', 'kube-system', 'default'])
    );
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('turns into errors when its defaults are taken away', () => {
    const broken = yaml
      .replace('metadata: {name: deny-by-default, namespace: shop}',
        'metadata: {name: deny-by-default, namespace: elsewhere}')
      .replaceAll('podSelector: {}\n', 'podSelector: {matchLabels: {tier: none}}\n')
      .replace('mtls: {mode: STRICT}', 'mtls: {mode: PERMISSIVE}');
    const errors = smAnalyzers.flatMap((analyzer) => analyze(analyzer, broken)).filter((finding) =>
      finding.severity === 'error'
    );
    expect(errors.map((finding) => `${finding.code} ${finding.resource?.name}`).sort()).toEqual([
      'SM1001 default',
      'SM1011 frontend',
      'SM3001 shop',
    ]);
  });
});
