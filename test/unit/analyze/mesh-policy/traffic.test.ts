import {describe, expect, it} from 'vitest';
import {durationMs, trafficAnalyzer} from '../../../../src/core/analyze/mesh-policy/traffic.js';
import {analyze, codes} from './helpers.js';

const run = (yaml: string) => analyze(trafficAnalyzer, yaml);

const service = (name: string, annotations = '{}') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: shop, annotations: ${annotations}}
spec: {selector: {app: ${name}}, ports: [{name: http, port: 80}]}
`;

const virtualService = (spec: string, namespace = 'shop', annotations = '{}') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: ${namespace}, annotations: ${annotations}}
spec: ${spec}
`;

const destinationRule = (spec: string, namespace = 'shop', annotations = '{}') => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: ${namespace}, annotations: ${annotations}}
spec: ${spec}
`;

const subsets = '[{name: stable, labels: {v: "1"}}, {name: canary, labels: {v: "2"}}]';

describe('route weights (SM4001)', () => {
  it('reports weights that do not add up to 100', () => {
    const findings = run(
      virtualService(
        '{hosts: [checkout], http: [{route: [{destination: {host: checkout}, weight: 90}, {destination: {host: checkout}, weight: 20}]}]}',
      ),
    );
    expect(findings.map((finding) => finding.message)).toEqual(['http[0].route weights add up to 110.']);
  });

  it('counts a missing weight as 0 and checks tcp routes too', () => {
    expect(
      codes(
        run(
          virtualService(
            '{hosts: [db], tcp: [{route: [{destination: {host: db}, weight: 90}, {destination: {host: db}}]}]}',
          ),
        ),
      ),
    ).toEqual(['SM4001']);
  });

  it('is silent on 100 and on single destinations', () => {
    expect(
      run(
        virtualService(
          '{hosts: [checkout], http: [{route: [{destination: {host: checkout}, weight: 90}, {destination: {host: checkout}, weight: 10}]}, {route: [{destination: {host: checkout}, weight: 5}]}]}',
        ),
      ),
    ).toEqual([]);
  });
});

describe('subsets hidden by exportTo (SM4002)', () => {
  const routeToCanary = virtualService(
    '{hosts: [checkout.shop.svc.cluster.local], http: [{route: [{destination: {host: checkout.shop.svc.cluster.local, subset: canary}}]}]}',
    'edge',
  );

  it('reports a subset defined only in a DestinationRule not exported to the VirtualService', () => {
    expect(
      codes(run(`${routeToCanary}---${destinationRule(`{host: checkout, exportTo: ["."], subsets: ${subsets}}`)}`)),
    ).toEqual(['SM4002']);
  });

  it('is silent when the rule is exported, and leaves subsets that exist nowhere to IST0101', () => {
    expect(run(`${routeToCanary}---${destinationRule(`{host: checkout, exportTo: [edge], subsets: ${subsets}}`)}`))
      .toEqual([]);
    expect(run(`${routeToCanary}---${destinationRule('{host: checkout, exportTo: ["."], subsets: [{name: stable}]}')}`))
      .toEqual([]);
  });
});

describe('hosts that match no Service (SM4003)', () => {
  it('reports a mesh VirtualService host and a DestinationRule host missing from known Services', () => {
    const yaml = `${service('checkout')}---${
      virtualService('{hosts: [chekout], http: [{route: [{destination: {host: checkout}}]}]}')
    }---${destinationRule('{host: payments}')}`;
    expect(run(yaml).map((finding) => `${finding.resource?.kind}: ${finding.message}`)).toEqual([
      'VirtualService: hosts entry chekout matches no Service.',
      'DestinationRule: host payments.shop.svc.cluster.local matches no Service.',
    ]);
  });

  it('is silent for gateway-only VirtualServices, ServiceEntry hosts and namespaces whose Services are unknown', () => {
    const serviceEntry = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: legacy, namespace: shop}
spec: {hosts: [legacy.shop.svc.cluster.local], resolution: DNS, ports: [{number: 80, name: http, protocol: HTTP}]}
`;
    expect(
      run(
        `${service('checkout')}---${
          virtualService(
            '{hosts: [shop.example.com], gateways: [public], http: [{route: [{destination: {host: checkout}}]}]}',
          )
        }`,
      ),
    ).toEqual([]);
    expect(run(`${service('checkout')}---${serviceEntry}---${destinationRule('{host: legacy}')}`)).toEqual([]);
    expect(run(destinationRule('{host: payments}'))).toEqual([]);
  });
});

describe('retries and fault injection (SM4010, SM4020)', () => {
  const route = (extra: string) =>
    virtualService(`{hosts: [checkout], http: [{route: [{destination: {host: checkout}}], ${extra}}]}`);

  it('reports retries that cannot fit in the timeout', () => {
    const findings = run(route('timeout: 2s, retries: {attempts: 3, perTryTimeout: 1s}'));
    expect(findings.map((finding) => finding.message)).toEqual(['http[0]: 3 attempts × 1s exceed the timeout of 2s.']);
  });

  it('is silent when they fit or when no timeout is set', () => {
    expect(run(route('timeout: 3s, retries: {attempts: 3, perTryTimeout: 1000ms}'))).toEqual([]);
    expect(run(route('retries: {attempts: 3, perTryTimeout: 1s}'))).toEqual([]);
  });

  it('reports fault injection', () => {
    expect(run(route('fault: {abort: {httpStatus: 503, percentage: {value: 10}}}'))[0]?.message).toBe(
      'http[0] injects faults (abort).',
    );
  });

  it('reads Go-style durations', () => {
    expect([durationMs('1.5s'), durationMs('250ms'), durationMs('1m30s'), durationMs('2h'), durationMs('3 s'),
      durationMs('')]).toEqual([1500, 250, 90_000, 7_200_000, undefined, undefined]);
  });
});

describe('video profile (SM4030)', () => {
  const video = '{sparc-mesh.io/profile: video}';
  const hashed = '{host: stream, trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-session-id}}}}';

  it('reports a video Service, VirtualService or DestinationRule without consistent hashing', () => {
    expect(codes(run(service('stream', video)))).toEqual(['SM4030']);
    expect(
      codes(
        run(
          `${service('stream')}---${
            virtualService('{hosts: [stream], http: [{route: [{destination: {host: stream}}]}]}', 'shop', video)
          }`,
        ),
      ),
    ).toEqual(['SM4030']);
    expect(
      codes(
        run(
          `${service('stream')}---${
            destinationRule('{host: stream, trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}}', 'shop', video)
          }`,
        ),
      ),
    ).toEqual(['SM4030']);
  });

  it('is silent when a DestinationRule for the host hashes consistently, and for other profiles', () => {
    expect(run(`${service('stream', video)}---${destinationRule(hashed, 'shop', video)}`)).toEqual([]);
    expect(run(service('stream', '{sparc-mesh.io/profile: api}'))).toEqual([]);
  });
});
