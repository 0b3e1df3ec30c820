import {describe, expect, it} from 'vitest';
import {fixture} from '../mesh-policy/helpers.js';
import {edge, reach, service, summary} from './helpers.js';

const peer = (namespace: string, spec: string, name = 'pa') => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}
`;

const policy = (name: string, spec: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;

const istioNamespace = (name: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {istio-injection: enabled}}
`;

describe('reachability on the platform baseline (NetworkPolicy + STRICT + ALLOW by principal)', () => {
  const model = reach(fixture('baseline.yaml'));

  it('allows exactly the declared callers, with the operations they may use', () => {
    expect(summary(model)).toEqual([
      'shop/checkout -> shop/frontend:80 deny',
      'shop/checkout -> shop/payments:9090 allow [POST /charge]',
      'shop/frontend -> shop/checkout:8080 allow [GET,POST /orders*]',
      'shop/frontend -> shop/payments:9090 deny',
      'shop/payments -> shop/checkout:8080 deny',
      'shop/payments -> shop/frontend:80 deny',
    ]);
  });

  it('says which objects decided', () => {
    const allowed = edge(model, 'shop/frontend', 'shop/checkout');
    expect(allowed.reasons.map((reason) => `${reason.layer}:${reason.effect}:${reason.resource?.name ?? ''}`)).toEqual([
      'network-policy:allow:frontend-egress',
      'network-policy:allow:checkout-callers',
      'mtls:allow:default',
      'istio-authz:allow:checkout-allow',
    ]);
    expect(allowed.targetPort).toBe(8080);
    const denied = edge(model, 'shop/frontend', 'shop/payments');
    expect(denied.reasons.filter((reason) => reason.effect === 'deny').map((reason) => reason.layer)).toEqual([
      'network-policy',
      'network-policy',
      'istio-authz',
    ]);
  });

  it('describes nodes with their workloads and SPIFFE identities', () => {
    expect(model.nodes.find((node) => node.id === 'shop/payments')).toEqual({
      id: 'shop/payments',
      namespace: 'shop',
      name: 'payments',
      kind: 'Service',
      workloads: ['Deployment/payments'],
      identities: ['spiffe://cluster.local/ns/shop/sa/payments'],
      mesh: 'istio',
    });
  });

  it('narrows to callers and callees by namespace, name or namespace/name', () => {
    expect(summary(reach(fixture('baseline.yaml'), {from: 'shop/frontend', to: 'shop/checkout'}))).toEqual([
      'shop/frontend -> shop/checkout:8080 allow [GET,POST /orders*]',
    ]);
    expect(summary(reach(fixture('baseline.yaml'), {from: 'shop', to: 'payments'}))).toEqual([
      'shop/checkout -> shop/payments:9090 allow [POST /charge]',
      'shop/frontend -> shop/payments:9090 deny',
    ]);
    // A filter that matches nothing is a typo, not an empty graph (the command says which namespaces there are).
    expect(() => reach(fixture('baseline.yaml'), {to: 'shop/nothing'})).toThrow(
      expect.objectContaining({filter: 'to', value: 'shop/nothing', namespaces: ['shop']}),
    );
  });
});

describe('mTLS modes', () => {
  // web (meshed) and legacy (no sidecar) call api; only ALLOW for web's principal.
  const base = `${istioNamespace('shop')}---${service('shop', 'web', 8080)}---${
    service('shop', 'legacy', 8080, ', sidecar.istio.io/inject: "false"')
  }---${service('shop', 'api', 9000)}`;
  const allowWeb = policy('api-allow',
    '{selector: {matchLabels: {app: api}}, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/sa/web"]}}]}]}');

  it('refuses a caller without sidecar under STRICT', () => {
    const model = reach(`${base}---${peer('istio-system', '{mtls: {mode: STRICT}}')}`, {to: 'shop/api'});
    expect(summary(model)).toEqual(['shop/legacy -> shop/api:9000 deny', 'shop/web -> shop/api:9000 allow']);
    expect(edge(model, 'shop/legacy', 'shop/api').reasons.find((reason) => reason.effect === 'deny')?.message)
      .toBe('mTLS STRICT and the caller has no Istio sidecar (PeerAuthentication istio-system/pa)');
  });

  it('lets plain text through PERMISSIVE, where principal rules then never match it', () => {
    const permissive = peer('shop', '{selector: {matchLabels: {app: api}}, mtls: {mode: PERMISSIVE}}',
      'api-permissive');
    const mesh = peer('istio-system', '{mtls: {mode: STRICT}}');
    expect(summary(reach(`${base}---${mesh}---${permissive}`, {to: 'shop/api'}))).toEqual([
      'shop/legacy -> shop/api:9000 allow',
      'shop/web -> shop/api:9000 allow',
    ]);
    expect(summary(reach(`${base}---${mesh}---${permissive}---${allowWeb}`, {to: 'shop/api'}))).toEqual([
      'shop/legacy -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 allow',
    ]);
  });

  it('drops every identity where mTLS is DISABLE, so principal rules deny everyone', () => {
    const off = peer('shop', '{mtls: {mode: DISABLE}}');
    expect(summary(reach(`${base}---${off}---${allowWeb}`, {to: 'shop/api'}))).toEqual([
      'shop/legacy -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 deny',
    ]);
  });

  it('applies port-level mTLS to the container port', () => {
    const portOff = peer('shop',
      '{selector: {matchLabels: {app: api}}, mtls: {mode: STRICT}, portLevelMtls: {"9000": {mode: DISABLE}}}');
    expect(summary(reach(`${base}---${portOff}`, {to: 'shop/api'}))).toEqual(['shop/legacy -> shop/api:9000 allow',
      'shop/web -> shop/api:9000 allow']);
  });
});

describe('authorization order: CUSTOM, DENY, ALLOW', () => {
  const base = `${istioNamespace('shop')}---${peer('istio-system', '{mtls: {mode: STRICT}}')}---${
    service('shop', 'web', 8080)
  }---${service('shop', 'api', 9000)}`;
  const run = (policies: string) => reach(`${base}---${policies}`, {from: 'shop/web', to: 'shop/api'});

  it('allows when no ALLOW policy selects the callee', () => {
    expect(summary(run(policy('noise', '{selector: {matchLabels: {app: other}}, rules: [{}]}')))).toEqual([
      'shop/web -> shop/api:9000 allow',
    ]);
  });

  it('lets a matching DENY win over a matching ALLOW', () => {
    const deny = policy('deny-web',
      '{selector: {matchLabels: {app: api}}, action: DENY, rules: [{from: [{source: {namespaces: [shop]}}]}]}');
    const allow = policy('allow-all', '{selector: {matchLabels: {app: api}}, rules: [{}]}');
    const model = run(`${allow}---${deny}`);
    expect(summary(model)).toEqual(['shop/web -> shop/api:9000 deny']);
    expect(model.edges[0]?.reasons.at(-1)?.message).toBe('DENY policy shop/deny-web matches');
  });

  it('keeps a DENY limited to operations as a note, and CUSTOM as a note', () => {
    const deny = policy('no-delete',
      '{selector: {matchLabels: {app: api}}, action: DENY, rules: [{to: [{operation: {methods: [DELETE]}}]}]}');
    const custom = policy('ext',
      '{selector: {matchLabels: {app: api}}, action: CUSTOM, provider: {name: opa}, rules: [{}]}');
    const model = run(`${deny}---${custom}`);
    expect(summary(model)).toEqual(['shop/web -> shop/api:9000 allow']);
    expect(model.edges[0]?.reasons.filter((reason) => reason.effect === 'note').map((reason) => reason.message))
      .toEqual([
        'CUSTOM policy shop/ext asks an external authorizer (not evaluated)',
        'DENY policy shop/no-delete refuses DELETE',
      ]);
  });

  it('matches ports of operations against the container port, and wildcard principals', () => {
    const other = policy('other-port',
      '{selector: {matchLabels: {app: api}}, rules: [{from: [{source: {principals: ["*"]}}], to: [{operation: {ports: ["1234"]}}]}]}');
    expect(summary(run(other))).toEqual(['shop/web -> shop/api:9000 deny']);
    const right = policy('right-port',
      '{selector: {matchLabels: {app: api}}, rules: [{from: [{source: {principals: ["cluster.local/ns/shop/*"]}}], to: [{operation: {ports: ["9000"], paths: ["/v1/*"]}}]}]}');
    expect(summary(run(right))).toEqual(['shop/web -> shop/api:9000 allow [/v1/*]']);
    expect(summary(run(other.replace('"1234"', '1234')))).toEqual(['shop/web -> shop/api:9000 deny']);
  });

  it('honours the trust domain of the mesh config', () => {
    const operator = `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: cp, namespace: istio-system}
spec: {meshConfig: {trustDomain: sparc.example}}
`;
    const allow = policy('allow-web',
      '{selector: {matchLabels: {app: api}}, rules: [{from: [{source: {principals: ["sparc.example/ns/shop/sa/web"]}}]}]}');
    expect(summary(run(`${operator}---${allow}`))).toEqual(['shop/web -> shop/api:9000 allow']);
    expect(summary(reach(`${base}---${allow}`, {from: 'shop/web', to: 'shop/api', trustDomain: 'cluster.local'})))
      .toEqual(['shop/web -> shop/api:9000 deny']);
    // A mesh config given by the user (--mesh-config) beats the one among the objects.
    expect(
      summary(
        reach(`${base}---${allow}`, {from: 'shop/web', to: 'shop/api', meshConfig: {trustDomain: 'sparc.example'}}),
      ),
    ).toEqual(['shop/web -> shop/api:9000 allow']);
    expect(
      summary(
        reach(`${base}---${operator}---${allow}`, {from: 'shop/web', to: 'shop/api',
          meshConfig: {trustDomain: 'other.example'}}),
      ),
    ).toEqual(['shop/web -> shop/api:9000 deny']);
  });
});

describe('NetworkPolicy semantics', () => {
  const base = `${service('shop', 'web', 8080)}---${service('shop', 'api', 9000)}---${service('shop', 'db', 5432)}`;
  const netpol = (name: string, spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;

  it('isolates only the pods a policy selects for that direction', () => {
    const dbOnlyFromApi = netpol('db',
      '{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]}');
    expect(summary(reach(`${base}---${dbOnlyFromApi}`, {to: 'shop/db'}))).toEqual(['shop/api -> shop/db:5432 allow',
      'shop/web -> shop/db:5432 deny']);
    expect(summary(reach(`${base}---${dbOnlyFromApi}`, {to: 'shop/api'}))).toEqual(['shop/db -> shop/api:9000 allow',
      'shop/web -> shop/api:9000 allow']);
  });

  it('takes the union of the policies that select a pod', () => {
    const deny = netpol('deny', '{podSelector: {}}');
    const fromWeb = netpol('from-web',
      '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: http}]}]}');
    const fromDb = netpol('from-db',
      '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 1}]}]}');
    expect(summary(reach(`${base}---${deny}---${fromWeb}---${fromDb}`, {to: 'shop/api'}))).toEqual([
      'shop/db -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 allow',
    ]);
  });

  it("checks the caller's egress too", () => {
    const webEgress = netpol('web-egress',
      '{podSelector: {matchLabels: {app: web}}, policyTypes: [Egress], egress: [{to: [{podSelector: {matchLabels: {app: api}}}]}]}');
    expect(summary(reach(`${base}---${webEgress}`, {from: 'shop/web'}))).toEqual(['shop/web -> shop/api:9000 allow',
      'shop/web -> shop/db:5432 deny']);
  });

  it('selects callers in other namespaces by namespace labels', () => {
    const ns = `
apiVersion: v1
kind: Namespace
metadata: {name: edge, labels: {tier: edge}}
`;
    const fromEdge = netpol('from-edge',
      '{podSelector: {matchLabels: {app: api}}, ingress: [{from: [{namespaceSelector: {matchLabels: {tier: edge}}, podSelector: {matchLabels: {app: gw}}}]}]}');
    const model = reach(
      `${base}---${ns}---${service('edge', 'gw', 8443)}---${service('edge', 'other', 8443)}---${fromEdge}`,
      {to: 'shop/api'},
    );
    expect(summary(model)).toEqual([
      'edge/gw -> shop/api:9000 allow',
      'edge/other -> shop/api:9000 deny',
      'shop/db -> shop/api:9000 deny',
      'shop/web -> shop/api:9000 deny',
    ]);
  });
});
