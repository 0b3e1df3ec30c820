// Analysis at the scale `validate` must handle (10,000 objects): it completes and a
// consistent mesh yields no networking findings. Wall time is measured by the bench, not here.
import {describe, expect, it} from 'vitest';
import {analyzeIstio} from '../../../../src/core/analyze/istio/index.js';
import {analyzersIn, TRAFFIC_DOMAINS} from './domains.js';
import {syntheticMesh} from './synthetic-mesh.js';

const trafficAnalyzers = analyzersIn(TRAFFIC_DOMAINS);

describe('Istio analysis at scale', () => {
  it('analyses a consistent 10,000-object mesh without networking findings', () => {
    const objects = syntheticMesh(10_000);
    expect(objects.length).toBeGreaterThanOrEqual(9_900);
    const findings = analyzeIstio(objects, {analyzers: trafficAnalyzers});
    expect(
      findings.map((finding) =>
        `${finding.code} ${finding.resource?.namespace}/${finding.resource?.name}: ${finding.message}`
      ),
    ).toEqual([]);
  });

  it('still finds a broken reference among 10,000 objects', () => {
    const objects = syntheticMesh(10_000);
    const rule = objects.find((entry) => entry.object.kind === 'DestinationRule');
    (rule!.object.spec as {subsets: Array<{labels: Record<string, string>}>}).subsets[1]!.labels = {version: 'v3'};
    const codes = analyzeIstio(objects, {analyzers: trafficAnalyzers}).map((finding) => finding.code);
    expect(codes).toEqual(['IST0173']);
  });
});
