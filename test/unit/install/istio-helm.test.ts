import {describe, expect, it} from 'vitest';
import {istioHelmReleases} from '../../../src/core/install/istio-helm.js';
import type {KubeObject} from '../../../src/core/objects.js';

const operator = (spec: Record<string, unknown>): KubeObject => ({apiVersion: 'install.istio.io/v1alpha1',
  kind: 'IstioOperator', metadata: {name: 'sparc-mesh', namespace: 'istio-system'}, spec});

describe('Istio Helm releases from the IstioOperator', () => {
  it('base, istiod with the mesh config and global values, one gateway per enabled ingress gateway', () => {
    const releases = istioHelmReleases(operator({
      hub: 'registry.example.com/istio',
      meshConfig: {accessLogFile: '/dev/stdout'},
      values: {global: {proxy: {resources: {requests: {cpu: '100m'}}}}},
      components: {
        ingressGateways: [{name: 'istio-ingressgateway', namespace: 'istio-ingress', enabled: true,
          k8s: {replicaCount: 2}}, {name: 'off', enabled: false}],
      },
    }), '1.30.4');
    expect(releases).toEqual([
      {name: 'istio-base', namespace: 'istio-system', chart: 'base',
        values: {global: {istioNamespace: 'istio-system'}}},
      {name: 'istiod', namespace: 'istio-system', chart: 'istiod', values: {
        global: {proxy: {resources: {requests: {cpu: '100m'}}}, hub: 'registry.example.com/istio', tag: '1.30.4'},
        meshConfig: {accessLogFile: '/dev/stdout'},
      }},
      {name: 'istio-ingressgateway', namespace: 'istio-ingress', chart: 'gateway',
        values: {name: 'istio-ingressgateway', replicaCount: 2}},
    ]);
  });

  it('names the releases of a revision after it, and keeps an explicit tag', () => {
    const releases = istioHelmReleases(
      operator({revision: '1-31-0', tag: '1.31.0-distroless',
        components: {ingressGateways: [{name: 'istio-ingressgateway'}]}}),
      '1.31.0',
    );
    expect(releases.map((release) => release.name)).toEqual(['istio-base', 'istiod-1-31-0',
      'istio-ingressgateway-1-31-0']);
    expect(releases[1]!.values).toMatchObject({revision: '1-31-0', global: {tag: '1.31.0-distroless'}});
    expect(releases[2]!.values).toMatchObject({revision: '1-31-0'});
  });
});
