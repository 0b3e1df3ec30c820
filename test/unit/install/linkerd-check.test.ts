// `linkerd check -o json` as rows, on output the real linkerd edge-26.8.3 printed
// (test/fixtures/linkerd-check/README.md says how each file was made).
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {parseLinkerdCheck} from '../../../src/core/install/linkerd-check.js';
import {linkerdCheckArgs} from '../../../src/adapters/tools/linkerd.js';

const printed = (name: string) =>
  readFileSync(new URL(`../../fixtures/linkerd-check/${name}`, import.meta.url), 'utf8');

describe('linkerd check output', () => {
  it("without a cluster: one failing check, with linkerd's error and hint", () => {
    expect(parseLinkerdCheck(printed('no-cluster.json'))).toEqual({
      success: false,
      rows: [{
        category: 'kubernetes-api',
        name: 'can initialize the client',
        status: 'error',
        error: expect.stringContaining('no configuration has been provided') as string,
        hint: 'https://linkerd.io/2/checks/#k8s-api',
      }],
    });
  });

  it("the control plane installed in the test cluster: every check a row, in linkerd's order; warnings keep their error and hint", () => {
    const report = parseLinkerdCheck(printed('installed.json'));
    expect(report.success).toBe(true);
    expect(report.rows).toHaveLength(42);
    expect(report.rows.slice(0, 2)).toEqual([
      {category: 'kubernetes-api', name: 'can initialize the client', status: 'ok'},
      {category: 'kubernetes-api', name: 'can query the Kubernetes API', status: 'ok'},
    ]);
    expect(report.rows.find((row) => row.name === 'issuer cert is issued by the trust anchor')).toEqual({
      category: 'linkerd-identity',
      name: 'issuer cert is issued by the trust anchor',
      status: 'ok',
    });
    // The test cluster has no way out to versioncheck.linkerd.io.
    expect(report.rows.filter((row) => row.status !== 'ok')).toEqual([
      {category: 'linkerd-version', name: 'can determine the latest version', status: 'warning',
        error: expect.stringContaining('versioncheck.linkerd.io') as string,
        hint: 'https://linkerd.io/2/checks/#l5d-version-latest'},
      {category: 'linkerd-version', name: 'cli is up-to-date', status: 'warning',
        error: 'unable to determine version channel', hint: 'https://linkerd.io/2/checks/#l5d-version-cli'},
      {category: 'control-plane-version', name: 'control plane is up-to-date', status: 'warning',
        error: 'unable to determine version channel', hint: 'https://linkerd.io/2/checks/#l5d-version-control'},
      {category: 'linkerd-control-plane-proxy', name: 'control plane proxies are up-to-date', status: 'warning',
        error: 'unable to determine version channel', hint: 'https://linkerd.io/2/checks/#l5d-cp-proxy-version'},
    ]);
  });

  it('pre-install checks on a fresh cluster: linkerd stops at the first fatal error, which carries its hint', () => {
    const report = parseLinkerdCheck(printed('pre-without-gateway-api.json'));
    expect(report.success).toBe(false);
    expect(report.rows.map((row) => `${row.category}: ${row.status}`)).toEqual([
      'kubernetes-api: ok',
      'kubernetes-api: ok',
      'kubernetes-version: ok',
      'gateway-api-crd: error',
    ]);
    expect(report.rows.at(-1)).toEqual({category: 'gateway-api-crd', name: 'Gateway API CRDs are installed',
      status: 'error',
      error: expect.stringMatching(
        /^The Gateway API CRDs must be installed prior to installing Linkerd\. Run:\n/,
      ) as string, hint: 'https://linkerd.io/2/checks/#gateway-api-crd'});
  });

  it("reads each object printed after the first (extensions' checks) as more rows; any failing object fails the whole", () => {
    const report = parseLinkerdCheck(`${printed('installed.json')}${printed('no-cluster.json')}`);
    expect(report.success).toBe(false);
    expect(report.rows).toHaveLength(43);
    expect(report.rows.at(-1)).toMatchObject({category: 'kubernetes-api', status: 'error'});
  });

  it('refuses anything else, saying where', () => {
    expect(() => parseLinkerdCheck('')).toThrow('linkerd check output is empty');
    expect(() => parseLinkerdCheck('Error: no cluster')).toThrow(/object 1 is not JSON/);
    expect(() => parseLinkerdCheck('{"categories": []}')).toThrow(/object 1: expected \{"success": boolean/);
    expect(() =>
      parseLinkerdCheck(
        '{"success": true, "categories": [{"categoryName": "x", "checks": [{"description": "d", "result": "skipped"}]}]}',
      )
    )
      .toThrow(/object 1: categories\[0\]\.checks\[0\] is not a check/);
  });
});

describe('linkerd check arguments', () => {
  it('scope, JSON output, wait, control-plane namespace and the connection', () => {
    expect(
      linkerdCheckArgs({kubeconfig: '/tmp/kubeconfig', context: 'prod'}, {scope: 'pre', waitMs: 90_500,
        controlPlaneNamespace: 'linkerd-cp'}),
    )
      .toEqual(['check', '--pre', '--output=json', '--wait=91s', '--linkerd-namespace', 'linkerd-cp', '--kubeconfig',
        '/tmp/kubeconfig', '--context', 'prod']);
    expect(linkerdCheckArgs({}, {scope: 'all', waitMs: 0})).toEqual(['check', '--output=json', '--wait=0s']);
    expect(linkerdCheckArgs({}, {scope: 'crds', waitMs: 1000})).toEqual(['check', '--crds', '--output=json',
      '--wait=1s']);
  });
});
