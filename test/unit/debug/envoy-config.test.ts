import {describe, expect, it} from 'vitest';
import {ConfigDumpError, summariseConfigDump} from '../../../src/core/debug/envoy-config.js';
import {renderProxyConfig} from '../../../src/ui/proxy-config.js';

const CLUSTERS = {
  '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
  dynamic_active_clusters: [{cluster: {
    name: 'outbound|80|v1|checkout.shop.svc.cluster.local',
    type: 'EDS',
    circuit_breakers: {
      thresholds: [{max_connections: 100, max_pending_requests: 10, max_retries: 3}, {priority: 'HIGH',
        max_connections: 1}],
    },
    outlier_detection: {consecutive_5xx: 3},
    metadata: {
      filter_metadata: {istio: {config: '/apis/networking.istio.io/v1/namespaces/shop/destination-rule/checkout'}},
    },
  }}],
};
const ENDPOINTS = {
  '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
  dynamic_endpoint_configs: [{
    endpoint_config: {cluster_name: 'outbound|80|v1|checkout.shop.svc.cluster.local',
      endpoints: [{locality: {region: 'eu', zone: 'eu-1'}, lb_endpoints: [
        {endpoint: {address: {socket_address: {address: '10.0.0.7', port_value: 8080}}}, health_status: 'HEALTHY'},
        {endpoint: {address: {socket_address: {address: '10.0.0.8', port_value: 8080}}}, health_status: 'UNHEALTHY'},
      ]}]},
  }],
};

describe('proxy-config summary', () => {
  it('shows circuit-breaker thresholds of the default priority, outlier detection and the DestinationRule', () => {
    const summary = summariseConfigDump({configs: [CLUSTERS, ENDPOINTS]});
    expect(summary.clusters).toEqual([{name: 'outbound|80|v1|checkout.shop.svc.cluster.local',
      fqdn: 'checkout.shop.svc.cluster.local', port: '80', subset: 'v1', direction: 'outbound', type: 'EDS',
      destinationRule: 'checkout.shop', circuitBreakers: 'max_connections=100 max_pending_requests=10 max_retries=3',
      outlierDetection: true}]);
    expect(renderProxyConfig('endpoints', 'table', summary)).toBe([
      'ENDPOINT       STATUS     LOCALITY  CLUSTER',
      '10.0.0.7:8080  HEALTHY    eu/eu-1   outbound|80|v1|checkout.shop.svc.cluster.local',
      '10.0.0.8:8080  UNHEALTHY  eu/eu-1   outbound|80|v1|checkout.shop.svc.cluster.local',
      '',
    ].join('\n'));
  });

  it('refuses what is not a config dump', () => {
    expect(() => summariseConfigDump({kind: 'Pod'})).toThrow(ConfigDumpError);
  });
});
