// `linkerd check -o json` as rows, on output the real linkerd edge-26.8.3 printed
// (test/fixtures/linkerd-check/README.md says how each file was made).
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseLinkerdCheck} from '../../../src/core/install/linkerd-check.js';
import {linkerdCheckArgs} from '../../../src/adapters/tools/linkerd.js';

const printed = (name: string) => readFileSync(new URL(`../../fixtures/linkerd-check/${name}`, import.meta.url), 'utf8');

describe('linkerd check output', () => {
  it('without a cluster: one failing check, with linkerd\'s error and hint', () => {
    expect(parseLinkerdCheck(printed('no-cluster.json'))).toEqual({
      success: false,
      rows: [{
        category: 'kubernetes-api', name: 'can initialize the client', status: 'error',
        error: expect.stringContaining('no configuration has been provided') as string, hint: 'https://linkerd.io/2/checks/#k8s-api',
      }],
    });
  });

  it('reads extension results printed after the core checks as more rows; any failing object fails the whole', () => {
    const passing = `${JSON.stringify({success: true, categories: [{categoryName: 'linkerd-viz', checks: [{description: 'viz extension pods are running', result: 'success'}]}]}, null, 2)}\n`;
    const report = parseLinkerdCheck(`${passing}${printed('no-cluster.json')}`);
    expect(report.success).toBe(false);
    expect(report.rows.map((row) => [row.category, row.status])).toEqual([['linkerd-viz', 'ok'], ['kubernetes-api', 'error']]);
  });

  it('refuses anything else, saying where', () => {
    expect(() => parseLinkerdCheck('')).toThrow('linkerd check output is empty');
    expect(() => parseLinkerdCheck('Error: no cluster')).toThrow(/object 1 is not JSON/);
    expect(() => parseLinkerdCheck('{"categories": []}')).toThrow(/object 1: expected \{"success": boolean/);
    expect(() => parseLinkerdCheck('{"success": true, "categories": [{"categoryName": "x", "checks": [{"description": "d", "result": "skipped"}]}]}'))
      .toThrow(/object 1: categories\[0\]\.checks\[0\] is not a check/);
  });
});

describe('linkerd check arguments', () => {
  it('scope, JSON output, wait, control-plane namespace and the connection', () => {
    expect(linkerdCheckArgs({kubeconfig: '/tmp/kubeconfig', context: 'prod'}, {scope: 'pre', waitMs: 90_500, controlPlaneNamespace: 'linkerd-cp'}))
      .toEqual(['check', '--pre', '--output=json', '--wait=91s', '--linkerd-namespace', 'linkerd-cp', '--kubeconfig', '/tmp/kubeconfig', '--context', 'prod']);
    expect(linkerdCheckArgs({}, {scope: 'all', waitMs: 0})).toEqual(['check', '--output=json', '--wait=0s']);
    expect(linkerdCheckArgs({}, {scope: 'crds', waitMs: 1000})).toEqual(['check', '--crds', '--output=json', '--wait=1s']);
  });
});
