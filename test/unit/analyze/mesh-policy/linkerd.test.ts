import {describe, expect, it} from 'vitest';
import {linkerdAnalyzer} from '../../../../src/core/analyze/mesh-policy/linkerd.js';
import {analyze, codes} from './helpers.js';

const run = (yaml: string, namespaces?: string[]) => analyze(linkerdAnalyzer, yaml, namespaces);

const workload = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  template:
    metadata: {labels: {app: checkout}, annotations: {linkerd.io/inject: enabled}}
    spec:
      serviceAccountName: checkout
      containers: [{name: api, ports: [{name: http, containerPort: 8080}]}]
`;

const server = (spec = '{podSelector: {matchLabels: {app: checkout}}, port: http}') => `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: checkout-http, namespace: shop}
spec: ${spec}
`;

const meshTls = `
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: frontend, namespace: shop}
spec: {identityRefs: [{kind: ServiceAccount, name: checkout}]}
`;

const authorization = (targetRef: string,
  refs = '[{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: frontend}]') => `
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: checkout-authz, namespace: shop}
spec:
  targetRef: ${targetRef}
  requiredAuthenticationRefs: ${refs}
`;

const toServer = '{group: policy.linkerd.io, kind: Server, name: checkout-http}';

describe('Linkerd references (SM2001, SM2002)', () => {
  it('is silent when every reference resolves', () => {
    expect(run(`${workload}---${server()}---${meshTls}---${authorization(toServer)}`)).toEqual([]);
  });

  it('reports a targetRef to a missing Server', () => {
    const findings = run(`${workload}---${meshTls}---${authorization(toServer)}`);
    expect(codes(findings)).toEqual(['SM2001']);
    expect(findings[0]?.message).toBe('targetRef names Server shop/checkout-http, which does not exist.');
  });

  it('resolves targetRefs to HTTPRoutes of either API group', () => {
    const route = (group: string) => `
apiVersion: ${group}/v1
kind: HTTPRoute
metadata: {name: orders, namespace: shop}
spec: {parentRefs: [{group: policy.linkerd.io, kind: Server, name: checkout-http}]}
`;
    const target = (group: string) => authorization(`{group: ${group}, kind: HTTPRoute, name: orders}`);
    expect(
      run(
        `${workload}---${server()}---${meshTls}---${route('gateway.networking.k8s.io')}---${
          target('gateway.networking.k8s.io')
        }`,
      ),
    ).toEqual([]);
    expect(codes(run(`${workload}---${server()}---${meshTls}---${target('policy.linkerd.io')}`))).toEqual(['SM2001']);
    expect(codes(run(`${workload}---${meshTls}---${route('policy.linkerd.io')}---${target('policy.linkerd.io')}`)))
      .toEqual(['SM2001']);
    const groupless = route('gateway.networking.k8s.io').replace('group: policy.linkerd.io, kind: Server',
      'kind: Server');
    expect(run(`${workload}---${server()}---${meshTls}---${groupless}---${target('gateway.networking.k8s.io')}`))
      .toEqual([]);
  });

  it('judges a Namespace target only against a complete namespace list', () => {
    const yaml = `${workload}---${meshTls}---${authorization('{kind: Namespace, name: elsewhere}')}`;
    expect(run(yaml)).toEqual([]);
    expect(codes(run(yaml, ['shop']))).toEqual(['SM2001']);
  });

  it('reports missing authentications and service accounts', () => {
    expect(codes(run(`${workload}---${server()}---${authorization(toServer)}`))).toEqual(['SM2002']);
    expect(
      codes(run(`${workload}---${server()}---${authorization(toServer, '[{kind: ServiceAccount, name: ghost}]')}`)),
    ).toEqual(['SM2002']);
    expect(
      codes(
        run(
          `${workload}---${server()}---${meshTls.replace('name: checkout}', 'name: ghost}')}---${
            authorization(toServer)
          }`,
        ),
      ),
    ).toEqual(['SM2002']);
  });

  it('accepts service accounts that a workload runs as, and `default`', () => {
    const refs = '[{kind: ServiceAccount, name: checkout}, {kind: ServiceAccount, name: default}]';
    expect(run(`${workload}---${server()}---${authorization(toServer, refs)}`)).toEqual([]);
  });

  it('reports a deprecated ServerAuthorization for a missing Server', () => {
    const legacy = `
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: legacy, namespace: shop}
spec: {server: {name: nope}, client: {unauthenticated: true}}
`;
    expect(codes(run(legacy))).toEqual(['SM2001']);
  });
});

describe('Linkerd Servers (SM2003, SM2004)', () => {
  it('reports a podSelector that matches no workload', () => {
    expect(codes(run(`${workload}---${server('{podSelector: {matchLabels: {app: chekout}}, port: http}')}`))).toEqual([
      'SM2003',
    ]);
  });

  it('reports a port name no container declares', () => {
    expect(codes(run(`${workload}---${server('{podSelector: {matchLabels: {app: checkout}}, port: admin}')}`))).toEqual(
      ['SM2004'],
    );
  });

  it('is silent where no workloads are known, and on numbered ports', () => {
    expect(run(server('{podSelector: {matchLabels: {app: x}}, port: admin}'))).toEqual([]);
    expect(run(`${workload}---${server('{podSelector: {matchLabels: {app: checkout}}, port: 9999}')}`)).toEqual([]);
  });
});

describe('default inbound policy (SM2010, SM2011)', () => {
  const namespace = (policy: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: shop, annotations: {config.linkerd.io/default-inbound-policy: ${policy}}}
`;
  const linkerdConfig = (values: string) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: |
    ${values}
`;

  it.each([
    ['a namespace all-unauthenticated', namespace('all-unauthenticated'), 'SM2010'],
    ['a namespace cluster-unauthenticated', namespace('cluster-unauthenticated'), 'SM2011'],
    ['a workload all-unauthenticated',
      workload.replace('linkerd.io/inject: enabled', 'config.linkerd.io/default-inbound-policy: all-unauthenticated'),
      'SM2010'],
    ['the control plane values', linkerdConfig('proxy: {defaultInboundPolicy: cluster-unauthenticated}'), 'SM2011'],
    ['control plane values without a policy (Linkerd defaults to all-unauthenticated)',
      linkerdConfig('proxy: {logLevel: info}'), 'SM2010'],
  ])('reports %s', (_name, yaml, code) => {
    expect(codes(run(yaml))).toEqual([code]);
  });

  it('is silent on authenticated and deny defaults', () => {
    expect(run(`${namespace('all-authenticated')}---${linkerdConfig('proxy: {defaultInboundPolicy: deny}')}`)).toEqual(
      [],
    );
  });
});
