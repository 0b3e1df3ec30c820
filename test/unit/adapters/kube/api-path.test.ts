import {describe, expect, it} from 'vitest';
import {groupVersionPath, resourcePath} from '../../../../src/adapters/kube/api-path.js';

const configMaps = {group: '', version: 'v1', plural: 'configmaps', namespaced: true};
const deployments = {group: 'apps', version: 'v1', plural: 'deployments', namespaced: true};
const namespaces = {group: '', version: 'v1', plural: 'namespaces', namespaced: false};
const crds = {group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false};

describe('groupVersionPath', () => {
  it('puts the core group under /api and named groups under /apis/<group>', () => {
    expect(groupVersionPath({group: '', version: 'v1'})).toBe('/api/v1');
    expect(groupVersionPath({group: 'networking.istio.io', version: 'v1beta1'})).toBe(
      '/apis/networking.istio.io/v1beta1',
    );
  });
});

describe('resourcePath', () => {
  it('builds core-group paths from the type version, not a fixed v1', () => {
    expect(resourcePath({...configMaps, version: 'v2'})).toBe('/api/v2/configmaps');
  });

  it('builds named-group paths', () => {
    expect(resourcePath(deployments)).toBe('/apis/apps/v1/deployments');
  });

  it('puts a namespaced object under its namespace, escaped', () => {
    expect(resourcePath(configMaps, {namespace: 'pay', name: 'settings'})).toBe(
      '/api/v1/namespaces/pay/configmaps/settings',
    );
    expect(resourcePath(deployments, {namespace: 'pay', name: 'a/b'})).toBe(
      '/apis/apps/v1/namespaces/pay/deployments/a%2Fb',
    );
  });

  it('lists a namespaced type across all namespaces when no namespace is given', () => {
    expect(resourcePath(deployments, {})).toBe('/apis/apps/v1/deployments');
  });

  it('ignores the namespace of cluster-scoped types', () => {
    expect(resourcePath(namespaces, {namespace: 'pay', name: 'pay'})).toBe('/api/v1/namespaces/pay');
    expect(resourcePath(crds, {namespace: 'pay', name: 'virtualservices.networking.istio.io'}))
      .toBe('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualservices.networking.istio.io');
  });
});
