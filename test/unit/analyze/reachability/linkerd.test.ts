import {describe, expect, it} from 'vitest';
import {edge, reach, service, summary} from './helpers.js';

const namespace = (annotations: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: shop, annotations: {linkerd.io/inject: enabled${annotations}}}
`;

const server = `
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, port: http, proxyProtocol: HTTP/1}
`;

const webIdentity = `
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: web, namespace: shop}
spec: {identityRefs: [{kind: ServiceAccount, name: web}]}
`;

const authorize = (targetRef: string) => `
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  targetRef: ${targetRef}
  requiredAuthenticationRefs: [{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: web}]
`;

const apps = `${service('shop', 'web', 8080)}---${service('shop', 'api', 9000)}---${service('shop', 'batch', 7000)}`;

describe('Linkerd reachability', () => {
  it("authorizes only the identities a Server's policy names", () => {
    const model = reach(
      `${namespace('')}---${apps}---${server}---${webIdentity}---${
        authorize('{group: policy.linkerd.io, kind: Server, name: api-http}')
      }`,
      {to: 'shop/api'},
    );
    expect(summary(model)).toEqual(['shop/batch -> shop/api:9000 deny', 'shop/web -> shop/api:9000 allow']);
    expect(
      edge(model, 'shop/batch', 'shop/api').reasons.filter((reason) => reason.layer === 'linkerd').map((reason) =>
        reason.message
      ),
    ).toEqual([
      'AuthorizationPolicy shop/api-from-web does not apply: batch.shop.serviceaccount.identity.linkerd.cluster.local is not among the identities of MeshTLSAuthentication web',
      'Server shop/api-http covers the port and nothing authorizes the caller',
    ]);
  });

  it("lets a Server's own accessPolicy admit callers nothing authorizes", () => {
    const open = server.replace('proxyProtocol: HTTP/1}', 'proxyProtocol: HTTP/1, accessPolicy: all-authenticated}');
    expect(summary(reach(`${namespace('')}---${apps}---${open}`, {to: 'shop/api'}))).toEqual([
      'shop/batch -> shop/api:9000 allow',
      'shop/web -> shop/api:9000 allow',
    ]);
    expect(summary(reach(`${namespace('')}---${apps}---${server}`, {to: 'shop/api'}))).toEqual([
      'shop/batch -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 deny',
    ]);
  });

  it("limits route-targeted policies to the route's matches", () => {
    const route = `
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: orders, namespace: shop}
spec:
  parentRefs: [{group: policy.linkerd.io, kind: Server, name: api-http}]
  rules: [{matches: [{path: {type: PathPrefix, value: /orders}, method: GET}]}]
`;
    const model = reach(
      `${namespace('')}---${apps}---${server}---${route}---${webIdentity}---${
        authorize('{group: policy.linkerd.io, kind: HTTPRoute, name: orders}')
      }`,
      {from: 'shop/web', to: 'shop/api'},
    );
    expect(summary(model)).toEqual(['shop/web -> shop/api:9000 allow [GET /orders*]']);
  });

  it('falls back to the default inbound policy where no Server covers the port', () => {
    expect(
      summary(reach(`${namespace(', config.linkerd.io/default-inbound-policy: deny')}---${apps}`, {to: 'shop/api'})),
    )
      .toEqual(['shop/batch -> shop/api:9000 deny', 'shop/web -> shop/api:9000 deny']);
    expect(summary(reach(`${namespace('')}---${apps}`, {to: 'shop/api'})))
      .toEqual(['shop/batch -> shop/api:9000 allow', 'shop/web -> shop/api:9000 allow']);
    expect(summary(reach(`${namespace('')}---${apps}`, {to: 'shop/api', linkerdDefaultPolicy: 'deny'})))
      .toEqual(['shop/batch -> shop/api:9000 deny', 'shop/web -> shop/api:9000 deny']);
  });

  it('admits only meshed callers under all-authenticated', () => {
    const unmeshed = service('shop', 'cron', 6000).replace('labels: {app: cron}',
      'labels: {app: cron}, annotations: {linkerd.io/inject: disabled}');
    const model = reach(
      `${namespace(', config.linkerd.io/default-inbound-policy: all-authenticated')}---${apps}---${unmeshed}`,
      {to: 'shop/api'},
    );
    expect(summary(model)).toEqual(['shop/batch -> shop/api:9000 allow', 'shop/cron -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 allow']);
  });

  it('reads the cluster default from the control-plane values', () => {
    const config = `
apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: |
    proxy: {defaultInboundPolicy: deny}
`;
    expect(summary(reach(`${namespace('')}---${apps}---${config}`, {to: 'shop/api'}))).toEqual([
      'shop/batch -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 deny',
    ]);
  });
});
