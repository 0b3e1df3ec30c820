// Valid objects of every family sparc-mesh renders or validates. Tests take a deep copy,
// break one thing, and expect exactly that to be reported.
import type {KubeObject} from '../../../src/core/objects.js';

function kube(apiVersion: string, kind: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {apiVersion, kind, metadata: {name, namespace: 'shop', labels: {'app.kubernetes.io/name': name}}, spec};
}

export const deployment = kube('apps/v1', 'Deployment', 'checkout', {
  replicas: 2,
  selector: {matchLabels: {app: 'checkout'}},
  template: {
    metadata: {labels: {app: 'checkout', version: 'v1'}, annotations: {'sidecar.istio.io/inject': 'true'}},
    spec: {
      serviceAccountName: 'checkout',
      containers: [{
        name: 'app',
        image: 'registry.example.com/checkout:1.4.2',
        ports: [{name: 'http', containerPort: 8080}],
        resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {memory: '256Mi'}},
        readinessProbe: {httpGet: {path: '/ready', port: 'http'}, periodSeconds: 5},
        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}},
      }],
    },
  },
});

export const service = kube('v1', 'Service', 'checkout', {selector: {app: 'checkout'},
  ports: [{name: 'http', port: 80, targetPort: 'http', appProtocol: 'http'}]});

export const networkPolicy = kube('networking.k8s.io/v1', 'NetworkPolicy', 'checkout-ingress', {
  podSelector: {matchLabels: {app: 'checkout'}},
  policyTypes: ['Ingress'],
  ingress: [{from: [{namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': 'istio-system'}}}],
    ports: [{protocol: 'TCP', port: 8080}]}],
});

export const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {name: 'checkout-tls', namespace: 'shop'},
  type: 'kubernetes.io/tls',
  data: {'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5'},
};

export const virtualService = kube('networking.istio.io/v1', 'VirtualService', 'checkout', {
  hosts: ['checkout.shop.svc.cluster.local'],
  http: [{
    match: [{uri: {prefix: '/api'}, headers: {'x-canary': {exact: 'yes'}}}],
    route: [
      {destination: {host: 'checkout', subset: 'v1', port: {number: 80}}, weight: 90},
      {destination: {host: 'checkout', subset: 'v2', port: {number: 80}}, weight: 10},
    ],
    timeout: '5s',
    retries: {attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure'},
  }],
});

export const destinationRule = kube('networking.istio.io/v1', 'DestinationRule', 'checkout', {
  host: 'checkout',
  trafficPolicy: {tls: {mode: 'ISTIO_MUTUAL'}, connectionPool: {tcp: {maxConnections: 100}},
    outlierDetection: {consecutive5xxErrors: 5, interval: '10s'}},
  subsets: [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}],
});

export const peerAuthentication = kube('security.istio.io/v1', 'PeerAuthentication', 'default', {mtls: {mode: 'STRICT'},
  portLevelMtls: {8081: {mode: 'PERMISSIVE'}}, selector: {matchLabels: {app: 'checkout'}}});

export const istioAuthorizationPolicy = kube('security.istio.io/v1', 'AuthorizationPolicy', 'checkout', {
  selector: {matchLabels: {app: 'checkout'}},
  action: 'ALLOW',
  rules: [{from: [{source: {principals: ['cluster.local/ns/shop/sa/frontend']}}],
    to: [{operation: {methods: ['GET', 'POST'], paths: ['/api/*']}}]}],
});

export const telemetry: KubeObject = {
  apiVersion: 'telemetry.istio.io/v1',
  kind: 'Telemetry',
  metadata: {name: 'mesh-default', namespace: 'istio-system'},
  spec: {tracing: [{providers: [{name: 'otel'}], randomSamplingPercentage: 10}],
    accessLogging: [{providers: [{name: 'envoy'}]}]},
};

export const istioGateway = kube('networking.istio.io/v1', 'Gateway', 'public', {
  selector: {istio: 'ingressgateway'},
  servers: [{port: {number: 443, name: 'https', protocol: 'HTTPS'}, hosts: ['shop.example.com'],
    tls: {mode: 'SIMPLE', credentialName: 'shop-tls'}}],
});

export const serviceEntry = kube('networking.istio.io/v1', 'ServiceEntry', 'payments-api', {
  hosts: ['api.payments.example'],
  ports: [{number: 443, name: 'tls', protocol: 'TLS'}],
  resolution: 'DNS',
  location: 'MESH_EXTERNAL',
});

export const httpRoute = kube('gateway.networking.k8s.io/v1', 'HTTPRoute', 'checkout', {
  parentRefs: [{name: 'public', namespace: 'istio-ingress'}],
  hostnames: ['shop.example.com'],
  rules: [{
    matches: [{path: {type: 'PathPrefix', value: '/checkout'}}],
    backendRefs: [{name: 'checkout', port: 80, weight: 90}, {name: 'checkout-canary', port: 80, weight: 10}],
  }],
});

export const gatewayApiGateway = kube('gateway.networking.k8s.io/v1', 'Gateway', 'public', {gatewayClassName: 'istio',
  listeners: [{name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: {namespaces: {from: 'Same'}}}]});

export const canary = kube('flagger.app/v1beta1', 'Canary', 'checkout', {
  targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout'},
  progressDeadlineSeconds: 600,
  service: {port: 80, targetPort: 8080, gateways: ['public'], hosts: ['shop.example.com']},
  analysis: {
    interval: '1m',
    threshold: 5,
    maxWeight: 50,
    stepWeight: 10,
    metrics: [{name: 'request-success-rate', thresholdRange: {min: 99}, interval: '1m'}],
  },
});

export const linkerdServer = kube('policy.linkerd.io/v1beta3', 'Server', 'checkout-http', {
  podSelector: {matchLabels: {app: 'checkout'}},
  port: 'http',
  proxyProtocol: 'HTTP/1',
});

export const linkerdAuthorizationPolicy = kube('policy.linkerd.io/v1alpha1', 'AuthorizationPolicy', 'checkout-http', {
  targetRef: {group: 'policy.linkerd.io', kind: 'Server', name: 'checkout-http'},
  requiredAuthenticationRefs: [{group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'frontend'}],
});

export const meshTlsAuthentication = kube('policy.linkerd.io/v1alpha1', 'MeshTLSAuthentication', 'frontend', {
  identities: ['frontend.shop.serviceaccount.identity.linkerd.cluster.local'],
});

export const linkerdHttpRoute = kube('policy.linkerd.io/v1beta3', 'HTTPRoute', 'checkout-api', {
  parentRefs: [{group: 'policy.linkerd.io', kind: 'Server', name: 'checkout-http'}],
  rules: [{matches: [{path: {type: 'PathPrefix', value: '/api'}, method: 'GET'}]}],
});

export const ISTIO_AND_CORE = {deployment, service, networkPolicy, secret, virtualService, destinationRule,
  peerAuthentication, istioAuthorizationPolicy, telemetry, istioGateway, serviceEntry, httpRoute, gatewayApiGateway,
  canary};
export const LINKERD = {linkerdServer, linkerdAuthorizationPolicy, meshTlsAuthentication, linkerdHttpRoute};

/** A deep copy to break. */
export function copy(object: KubeObject): KubeObject {
  return structuredClone(object);
}
