import {describe, expect, it} from 'vitest';
import {REACHABILITY_COLUMNS, reachabilityDot, reachabilityJson, reachabilityMermaid, reachabilityRows,
  type ReachabilityModel} from '../../../../src/core/analyze/reachability/index.js';

const node = (id: string) => {
  const [namespace = '', name = ''] = id.split('/');
  return {id, namespace, name, kind: 'Service', workloads: [`Deployment/${name}`], identities: [],
    mesh: 'istio' as const};
};

const model: ReachabilityModel = {
  nodes: [node('shop/web'), node('shop/api'), node('shop/db')],
  edges: [
    {from: 'shop/web', to: 'shop/api', port: 80, targetPort: 8080, protocol: 'TCP', verdict: 'allow',
      l7: ['GET /say "hi"'],
      reasons: [{layer: 'istio-authz', effect: 'allow', message: 'ALLOW policy shop/a allows GET'}]},
    {from: 'shop/web', to: 'shop/db', port: 5432, targetPort: 5432, protocol: 'TCP', verdict: 'deny', l7: [],
      reasons: [{layer: 'network-policy', effect: 'allow', message: 'no NetworkPolicy isolates it'}, {layer: 'mtls',
        effect: 'deny', message: 'mTLS STRICT'}]},
    {from: 'shop/api', to: 'shop/db', port: 5432, targetPort: 5432, protocol: 'UDP', verdict: 'partial', l7: [],
      reasons: []},
  ],
};

describe('reachability printers', () => {
  it('prints table rows with the deciding reasons', () => {
    expect(REACHABILITY_COLUMNS).toEqual(['FROM', 'TO', 'PORT', 'VERDICT', 'L7', 'WHY']);
    expect(reachabilityRows(model)).toEqual([
      ['shop/web', 'shop/api', '80→8080', 'allow', 'GET /say "hi"', 'ALLOW policy shop/a allows GET'],
      ['shop/web', 'shop/db', '5432', 'deny', '-', 'mTLS STRICT'],
      ['shop/api', 'shop/db', '5432/UDP', 'partial', 'any', ''],
    ]);
  });

  it('prints JSON that parses back to the model', () => {
    expect(JSON.parse(reachabilityJson(model))).toEqual(model);
  });

  it('prints Mermaid with escaped labels, denied edges only on request', () => {
    expect(reachabilityMermaid(model)).toBe([
      'flowchart LR',
      '  n0["shop/web"]',
      '  n1["shop/api"]',
      '  n2["shop/db"]',
      '  n0 -->|"80→8080 GET /say #quot;hi#quot;"| n1',
      '  n1 -->|"5432/UDP partial"| n2',
      '',
    ].join('\n'));
    expect(reachabilityMermaid(model, {includeDenied: true})).toContain('  n0 -. "5432 denied" .-x n2\n');
  });

  it('prints DOT with quoted ids and styled edges', () => {
    expect(reachabilityDot(model, {includeDenied: true})).toBe([
      'digraph reachability {',
      '  rankdir=LR;',
      '  node [shape=box];',
      '  "shop/web";',
      '  "shop/api";',
      '  "shop/db";',
      '  "shop/web" -> "shop/api" [label="80→8080 GET /say \\"hi\\""];',
      '  "shop/web" -> "shop/db" [label="5432 denied", style=dashed, color=red];',
      '  "shop/api" -> "shop/db" [label="5432/UDP partial", color=orange];',
      '}',
      '',
    ].join('\n'));
  });
});
