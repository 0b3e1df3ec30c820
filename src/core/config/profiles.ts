// Service profiles, from the platform's own notes (the seed README's "Service-Specific
// Configurations"). A profile is a full set of defaults; config and flags override it.
import type {ProfileName, ServiceSpec} from './types.js';

export type ProfileDefaults = Omit<ServiceSpec,
  'name' | 'namespace' | 'mesh' | 'profile' | 'serviceAccount' | 'callers' | 'ingressHosts'>;

const SIDECAR_RESOURCES = {requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '2000m', memory: '1024Mi'}};

const CANARY_OFF = {enabled: false, interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50, minSuccessRate: 99,
  maxLatencyMs: 500, window: '1m'};

const BASE: ProfileDefaults = {
  ports: [{name: 'http', port: 8080, targetPort: 8080, protocol: 'http'}],
  timeout: '15s',
  retries: {attempts: 3, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503'},
  circuitBreaker: {consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50},
  connectionPool: {maxConnections: 100, connectTimeout: '5s', http1MaxPendingRequests: 100, http2MaxRequests: 1000,
    maxRequestsPerConnection: 0},
  loadBalancer: {algorithm: 'least-request'},
  headerRoutes: [],
  sidecarResources: SIDECAR_RESOURCES,
  canary: CANARY_OFF,
};

export const PROFILE_DEFAULTS: Record<ProfileName, ProfileDefaults> = {
  default: BASE,
  // Handles external traffic: ingress through the Gateway, rate limiting, JWT, header rewriting.
  'api-gateway': {
    ...BASE,
    timeout: '30s',
    retries: {attempts: 2, perTryTimeout: '10s', retryOn: 'connect-failure,refused-stream,unavailable,503'},
    loadBalancer: {algorithm: 'round-robin'},
    rateLimit: {requests: 100, per: 'second'},
    headers: {
      request: {set: {'x-forwarded-proto': 'https'}, remove: []},
      response: {set: {'strict-transport-security': 'max-age=31536000; includeSubDomains'},
        remove: ['server', 'x-powered-by']},
    },
  },
  // Streaming: keep a viewer on one backend, allow many long-lived connections.
  video: {
    ...BASE,
    ports: [{name: 'http', port: 8080, targetPort: 8080, protocol: 'http2'}],
    timeout: '300s',
    retries: {attempts: 2, perTryTimeout: '150s', retryOn: 'connect-failure,refused-stream'},
    connectionPool: {maxConnections: 2000, connectTimeout: '5s', http1MaxPendingRequests: 1000, http2MaxRequests: 10000,
      maxRequestsPerConnection: 0},
    loadBalancer: {algorithm: 'consistent-hash', hashOn: {header: 'x-session-id'}},
  },
  // Batch work: long timeouts, few retries, canary for model updates.
  analytics: {
    ...BASE,
    timeout: '600s',
    retries: {attempts: 2, perTryTimeout: '300s', retryOn: 'connect-failure,refused-stream,unavailable'},
    connectionPool: {maxConnections: 200, connectTimeout: '10s', http1MaxPendingRequests: 200, http2MaxRequests: 1000,
      maxRequestsPerConnection: 0},
    canary: {...CANARY_OFF, enabled: true, interval: '5m', stepWeight: 10, maxWeight: 50},
  },
  // TCP proxying with pooling and a breaker that protects the database.
  database: {
    ...BASE,
    ports: [{name: 'tcp-postgres', port: 5432, targetPort: 5432, protocol: 'tcp'}],
    timeout: '0s',
    retries: undefined,
    circuitBreaker: {consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '60s', maxEjectionPercent: 100},
    connectionPool: {maxConnections: 50, connectTimeout: '3s'},
    loadBalancer: {algorithm: 'least-request'},
  },
};
