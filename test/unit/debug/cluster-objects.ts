// Live-looking objects for the debug tests: pods with status as the API server reports
// it, Services, and the mesh policies around them.
import type {KubeObject} from '../../../src/core/objects.js';

export const ISTIO_PROXY_IMAGE = 'docker.io/istio/proxyv2:1.30.3';

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {apiVersion: 'v1', kind: 'Namespace', metadata: {name, labels}};
}

export interface PodOptions {
  app: string;
  serviceAccount?: string;
  proxy?: 'istio' | 'linkerd' | 'none';
  proxyImage?: string;
  ready?: boolean;
  restarts?: number;
  labels?: Record<string, string>;
}

export function pod(namespace: string, name: string, options: PodOptions): KubeObject {
  const proxy = options.proxy ?? 'istio';
  const containers = [{name: 'app', image: 'registry.example.com/app:1', ports: [{name: 'http', containerPort: 8080}]}];
  if (proxy === 'istio') {
    containers.push({name: 'istio-proxy', image: options.proxyImage ?? ISTIO_PROXY_IMAGE, ports: []});
  }
  if (proxy === 'linkerd') {
    containers.push({name: 'linkerd-proxy', image: options.proxyImage ?? 'cr.l5d.io/linkerd/proxy:edge-26.8.3',
      ports: []});
  }
  const ready = options.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace, labels: {app: options.app, ...options.labels}},
    spec: {serviceAccountName: options.serviceAccount ?? options.app, nodeName: 'kwok-node-0', containers},
    status: {
      phase: 'Running',
      conditions: [{type: 'Ready', status: ready ? 'True' : 'False'}],
      containerStatuses: containers.map((container) => ({
        name: container.name,
        ready,
        restartCount: container.name === 'app' ? options.restarts ?? 0 : 0,
        state: {running: {startedAt: '2026-12-06T10:00:00Z'}},
        ...(container.name === 'app' && options.restarts
          ? {lastState: {terminated: {reason: 'OOMKilled', exitCode: 137}}}
          : {}),
      })),
    },
  };
}

export function service(namespace: string, name: string): KubeObject {
  return {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace},
    spec: {selector: {app: name}, ports: [{name: 'http', port: 80, targetPort: 8080}]}};
}

export function peerAuthentication(namespace: string, name: string, mode: string): KubeObject {
  return {apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: {name, namespace},
    spec: {mtls: {mode}}};
}

export function allowFrom(namespace: string, app: string, principals: string[]): KubeObject {
  return {apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: {name: `${app}-allow`, namespace},
    spec: {selector: {matchLabels: {app}}, action: 'ALLOW', rules: [{from: [{source: {principals}}]}]}};
}

export function istiod(version: string): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod',
    metadata: {name: 'istiod-1', namespace: 'istio-system', labels: {app: 'istiod', istio: 'pilot'}},
    spec: {containers: [{name: 'discovery', image: `docker.io/istio/pilot:${version}`}]},
    status: {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]}};
}

/** A pod of Linkerd's control plane: its component's container(s), with the proxy as a native sidecar. */
export function linkerdControlPlanePod(component: string): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod',
    metadata: {name: `linkerd-${component}-1`, namespace: 'linkerd',
      labels: {'linkerd.io/control-plane-component': component}}, spec: {
      initContainers: [{name: 'linkerd-init'}, {name: 'linkerd-proxy', restartPolicy: 'Always'}],
      containers: [{name: component}, ...(component === 'destination' ? [{name: 'policy'}] : [])],
    }};
}

export function event(namespace: string, podName: string, reason: string, message: string,
  lastTimestamp: string): KubeObject
{
  return {apiVersion: 'v1', kind: 'Event', metadata: {name: `${podName}.${reason}`, namespace},
    involvedObject: {kind: 'Pod', name: podName, namespace}, type: 'Warning', reason, message, count: 1, lastTimestamp};
}

/** A NetworkPolicy isolating `app`'s ingress and admitting only pods labelled app=`from`. */
export function ingressFrom(namespace: string, app: string, from: string): KubeObject {
  return {apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: `${app}-ingress`, namespace},
    spec: {podSelector: {matchLabels: {app}}, policyTypes: ['Ingress'],
      ingress: [{from: [{podSelector: {matchLabels: {app: from}}}]}]}};
}

/**
 * A namespace set up as the platform's baseline wants it: mesh-wide STRICT mTLS, deny by
 * default (authorization and NetworkPolicy), and cart allowed to call checkout on every layer.
 */
export function zeroTrustShop(ns: string): KubeObject[] {
  return [namespace(ns, {'istio-injection': 'enabled'}), namespace('istio-system'),
    peerAuthentication('istio-system', 'default', 'STRICT'), {apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy', metadata: {name: 'deny-all', namespace: ns}, spec: {}},
    pod(ns, 'checkout-1', {app: 'checkout'}), pod(ns, 'cart-1', {app: 'cart'}), service(ns, 'checkout'),
    service(ns, 'cart'), allowFrom(ns, 'checkout', [`cluster.local/ns/${ns}/sa/cart`]), {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {name: 'default-deny', namespace: ns},
    spec: {podSelector: {}, policyTypes: ['Ingress', 'Egress']},
  }, {apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: 'checkout', namespace: ns},
    spec: {podSelector: {matchLabels: {app: 'checkout'}}, policyTypes: ['Ingress'],
      ingress: [{from: [{podSelector: {matchLabels: {app: 'cart'}}}], ports: [{port: 8080}]}]}}, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {name: 'cart', namespace: ns},
    spec: {podSelector: {matchLabels: {app: 'cart'}}, policyTypes: ['Egress'],
      egress: [{to: [{podSelector: {matchLabels: {app: 'checkout'}}}], ports: [{port: 8080}]}]},
  }];
}

/** A sidecar's config dump: one outbound cluster with circuit breakers and outlier detection, one unhealthy endpoint. */
export const CONFIG_DUMP = {configs: [
  {'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', dynamic_active_clusters: [{cluster: {
    name: 'outbound|80||cart.shop.svc.cluster.local',
    type: 'EDS',
    circuit_breakers: {thresholds: [{max_connections: 10}]},
    outlier_detection: {consecutive_5xx: 3},
    metadata: {
      filter_metadata: {istio: {config: '/apis/networking.istio.io/v1/namespaces/shop/destination-rule/cart'}},
    },
  }}]},
  {'@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump', dynamic_endpoint_configs: [{endpoint_config: {
    cluster_name: 'outbound|80||cart.shop.svc.cluster.local',
    endpoints: [{lb_endpoints: [
      {endpoint: {address: {socket_address: {address: '10.0.0.9', port_value: 8080}}}, health_status: 'UNHEALTHY'},
    ]}],
  }}]},
]};
