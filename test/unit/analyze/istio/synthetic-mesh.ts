// A consistent mesh of any size, for scale tests and timing: every app has a Service, two
// pod versions, a DestinationRule with matching subsets and a VirtualService splitting
// traffic; every namespace has a Gateway and a gateway-bound VirtualService. A correct
// analysis of it finds nothing in the networking checks.
import type {KubeObject, SourcedObject} from '../../../../src/core/objects.js';

function sourced(object: KubeObject, index: number): SourcedObject {
  return {object, source: {file: 'synthetic.yaml', line: index * 10 + 1, documentIndex: index}};
}

function app(namespace: string, name: string): KubeObject[] {
  const host = `${name}.${namespace}.svc.cluster.local`;
  const pod = (version: string, replica: number): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `${name}-${version}-${replica}`, namespace, labels: {app: name, version}},
    spec: {
      containers: [{name, image: `registry.example/${name}:1`}, {name: 'istio-proxy', image: 'istio/proxyv2:1.30.0'}],
    },
  });
  return [
    {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace},
      spec: {selector: {app: name}, ports: [{name: 'http', port: 8080}]}},
    pod('v1', 0),
    pod('v1', 1),
    pod('v2', 0),
    pod('v2', 1),
    {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name, namespace},
      spec: {host, subsets: [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]}},
    {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name, namespace},
      spec: {hosts: [host],
        http: [{
          route: [{destination: {host, subset: 'v1'}, weight: 90}, {destination: {host, subset: 'v2'}, weight: 10}],
        }]}},
  ];
}

function namespaceObjects(namespace: string, apps: string[]): KubeObject[] {
  const publicHost = `${namespace}.example.com`;
  return [
    {apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace, labels: {'istio-injection': 'enabled'}}},
    {apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: {name: 'public', namespace},
      spec: {selector: {istio: 'ingressgateway'},
        servers: [{port: {number: 80, name: 'http', protocol: 'HTTP'}, hosts: [publicHost]}]}},
    {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'public', namespace},
      spec: {hosts: [publicHost], gateways: ['public'],
        http: [{
          route: ['v1', 'v2'].map((subset) => ({
            destination: {host: `${apps[0]}.${namespace}.svc.cluster.local`, subset, port: {number: 8080}},
          })),
        }]}},
  ];
}

/** About `approximateSize` objects (7 per app, 3 per namespace), spread over 50 namespaces. */
export function syntheticMesh(approximateSize: number): SourcedObject[] {
  const namespaces = 50;
  const appsPerNamespace = Math.max(1, Math.round((approximateSize / namespaces - 3) / 7));
  const objects: KubeObject[] = [];
  for (let n = 0; n < namespaces; n++) {
    const namespace = `team-${n}`;
    const apps = Array.from({length: appsPerNamespace}, (_, a) => `app-${a}`);
    objects.push(...namespaceObjects(namespace, apps));
    for (const name of apps) objects.push(...app(namespace, name));
  }
  return objects.map(sourced);
}
