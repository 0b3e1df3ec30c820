// Discovery against documents shaped as a 1.36 API server answers them (aggregated, v2) and
// as an old one does (one document per group version), counting what is asked.
import {describe, expect, it} from 'vitest';
import {Discovery, type DiscoveryFetch} from '../../../../src/adapters/kube/discovery.js';

const deployments = {resource: 'deployments', responseKind: {group: '', version: '', kind: 'Deployment'},
  scope: 'Namespaced', verbs: ['get', 'list']};
const namespaces = {resource: 'namespaces', responseKind: {group: '', version: '', kind: 'Namespace'}, scope: 'Cluster',
  verbs: ['get', 'list']};
const virtualServices = {resource: 'virtualservices', responseKind: {group: '', version: '', kind: 'VirtualService'},
  scope: 'Namespaced', verbs: ['get', 'list', 'patch']};

function aggregated(items: unknown[]) {
  return {kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', items};
}

/** A server whose /apis gains the Istio group once `istioInstalled` is set; records each path asked and its Accept. */
function aggregatedServer() {
  const asked: {path: string; accept: string}[] = [];
  const state = {istioInstalled: false};
  const fetch: DiscoveryFetch = (path, accept) => {
    asked.push({path, accept});
    if (path === '/api') {
      return Promise.resolve(aggregated([{metadata: {}, versions: [{version: 'v1', resources: [namespaces]}]}]));
    }
    if (path === '/apis') {
      return Promise.resolve(aggregated([
        {metadata: {name: 'apps'}, versions: [{version: 'v1', resources: [deployments]}]},
        ...(state.istioInstalled
          ? [{metadata: {name: 'networking.istio.io'},
            versions: [{version: 'v1', resources: [virtualServices]}, {version: 'v1beta1',
              resources: [virtualServices]}]}]
          : []),
      ]));
    }
    return Promise.reject(new Error(`unexpected ${path}`));
  };
  return {asked, state, fetch};
}

describe('discovery of a server that aggregates its documents', () => {
  it('asks the two roots once, whatever the run looks up', async () => {
    const server = aggregatedServer();
    const discovery = new Discovery(server.fetch);
    const [apps, core] = await Promise.all([discovery.resources('apps', 'v1'), discovery.resources('', 'v1')]);
    expect(apps).toEqual([{name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ['get', 'list']}]);
    expect(core).toEqual([{name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['get', 'list']}]);
    expect(await discovery.groups()).toEqual([{name: '', versions: ['v1']}, {name: 'apps', versions: ['v1']}]);
    expect(server.asked.map(({path}) => path).sort()).toEqual(['/api', '/apis']);
    expect(server.asked[0]!.accept).toMatch(
      /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList,/,
    );
  });

  it('asks again for a version it was not told of (its CRD may have come since), and answers undefined while it is not served', async () => {
    const server = aggregatedServer();
    const discovery = new Discovery(server.fetch);
    expect(await discovery.resources('networking.istio.io', 'v1')).toBeUndefined();
    expect(server.asked).toHaveLength(4); // the first look, then once again
    server.state.istioInstalled = true;
    expect(await discovery.resources('networking.istio.io', 'v1')).toEqual([
      {name: 'virtualservices', kind: 'VirtualService', namespaced: true, verbs: ['get', 'list', 'patch']},
    ]);
    expect(await discovery.groups()).toContainEqual({name: 'networking.istio.io', versions: ['v1', 'v1beta1']});
    expect(server.asked).toHaveLength(6);
    await discovery.resources('networking.istio.io', 'v1beta1');
    expect(server.asked).toHaveLength(6);
  });

  it('does not keep a failed look: the next lookup asks again', async () => {
    const server = aggregatedServer();
    let failing = true;
    const discovery = new Discovery((path, accept) =>
      failing ? Promise.reject(new Error('connection reset')) : server.fetch(path, accept)
    );
    await expect(discovery.resources('apps', 'v1')).rejects.toThrow('connection reset');
    failing = false;
    expect(await discovery.resources('apps', 'v1')).toHaveLength(1);
  });
});

describe('discovery of a server that answers the old documents', () => {
  const legacy = () => {
    const asked: string[] = [];
    const fetch: DiscoveryFetch = (path) => {
      asked.push(path);
      const documents: Record<string, unknown> = {
        '/api': {kind: 'APIVersions', versions: ['v1']},
        '/apis': {kind: 'APIGroupList',
          groups: [{name: 'networking.istio.io', preferredVersion: {version: 'v1'},
            versions: [{version: 'v1beta1'}, {version: 'v1'}]}]},
        '/apis/networking.istio.io/v1': {kind: 'APIResourceList',
          resources: [{name: 'virtualservices', kind: 'VirtualService', namespaced: true, verbs: ['get']}]},
      };
      return Promise.resolve(documents[path]);
    };
    return {asked, fetch};
  };

  it('orders versions preferred first and asks each group version it needs, once', async () => {
    const server = legacy();
    const discovery = new Discovery(server.fetch);
    expect(await discovery.groups()).toEqual([{name: '', versions: ['v1']}, {name: 'networking.istio.io',
      versions: ['v1', 'v1beta1']}]);
    expect(await discovery.resources('networking.istio.io', 'v1')).toEqual([
      {name: 'virtualservices', kind: 'VirtualService', namespaced: true, verbs: ['get']},
    ]);
    await discovery.resources('networking.istio.io', 'v1');
    expect(server.asked).toEqual(['/api', '/apis', '/apis/networking.istio.io/v1']);
  });

  it('answers undefined for a version not served, and asks again the next time', async () => {
    const server = legacy();
    const discovery = new Discovery(server.fetch);
    expect(await discovery.resources('gateway.networking.k8s.io', 'v1')).toBeUndefined();
    expect(await discovery.resources('gateway.networking.k8s.io', 'v1')).toBeUndefined();
    expect(server.asked.filter((path) => path.startsWith('/apis/gateway'))).toHaveLength(2);
  });
});
