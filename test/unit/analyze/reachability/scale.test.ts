// Printers on a model of 10,000 services: bounded stack (no spreading rows into
// arguments) and a summary whose size follows the namespaces, not the calls.
import {describe, expect, it} from 'vitest';
import {summariseReachability, type ReachabilityModel} from '../../../../src/core/analyze/reachability/index.js';
import {isSummarised, renderReachability, renderReachabilitySummary} from '../../../../src/ui/findings/reachability.js';

const SERVICES = 10_000;
const NAMESPACES = 50;

function largeModel(): ReachabilityModel {
  const ids = Array.from({length: SERVICES}, (_, index) => `team-${index % NAMESPACES}/service-${index}`);
  const nodes = ids.map((id) => {
    const [namespace = '', name = ''] = id.split('/');
    return {id, namespace, name, kind: 'Service', workloads: [`Deployment/${name}`], identities: [],
      mesh: 'istio' as const};
  });
  // Each service calls the next three: 30,000 calls, every verdict.
  const verdicts = ['allow', 'deny', 'partial'] as const;
  const edges = ids.flatMap((from, index) => [1, 2, 3].map((step) => ({
    from,
    to: ids[(index + step) % SERVICES] as string,
    port: 80,
    targetPort: 8080,
    protocol: 'TCP',
    verdict: verdicts[step - 1] as 'allow',
    l7: [],
    reasons: [{layer: 'network-policy' as const, effect: 'allow' as const, message: 'no NetworkPolicy isolates it'}],
  })));
  return {nodes, edges};
}

describe('reachability printers at scale', () => {
  const model = largeModel();

  it('print every call of 10,000 services as a table when asked (no stack overflow)', () => {
    const table = renderReachability('table', model, {});
    expect(table.split('\n')).toHaveLength(model.edges.length + 2);
  });

  it('summarise a large model per namespace pair, in a size that follows the namespaces', () => {
    expect(isSummarised(model, false)).toBe(true);
    expect(isSummarised(model, true)).toBe(false);
    const summary = summariseReachability(model);
    expect(summary).toMatchObject({services: SERVICES, calls: 30_000});
    expect(summary.flows.length).toBeLessThanOrEqual(NAMESPACES * NAMESPACES);
    const counted = summary.flows.reduce((sum, flow) => sum + flow.allow + flow.partial + flow.deny, 0);
    expect(counted).toBe(30_000);
    expect(summary.flows.reduce((sum, flow) => sum + flow.deny, 0)).toBe(10_000);
    const json = renderReachabilitySummary('json', summary);
    expect(json.length).toBeLessThan(100_000);
    const table = renderReachabilitySummary('table', summary);
    expect(table).toMatch(/^30000 calls between 10000 services, counted per namespace; --full lists every call/);
    expect(table.split('\n')[1]).toMatch(/^FROM NAMESPACE +TO NAMESPACE +ALLOW +PARTIAL +DENY$/);
  });
});
