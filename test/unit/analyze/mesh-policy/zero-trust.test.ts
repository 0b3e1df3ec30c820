import {describe, expect, it} from 'vitest';
import {zeroTrustAnalyzer} from '../../../../src/core/analyze/mesh-policy/zero-trust.js';
import {parseManifests} from '../../../../src/core/manifests.js';
import {analyze, codes} from './helpers.js';

const run = (yaml: string) => analyze(zeroTrustAnalyzer, yaml);

const peer = (namespace: string, spec: string) => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: pa, namespace: ${namespace}}
spec: ${spec}
`;

const meshStrict = peer('istio-system', '{mtls: {mode: STRICT}}');

const shop = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  template:
    metadata: {labels: {app: checkout}}
    spec: {containers: [{name: api, ports: [{containerPort: 8080}]}]}
`;

const denyAll = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-all, namespace: shop}
spec: {}
`;

const allow = (rules: string, namespace = 'shop') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: checkout-allow, namespace: ${namespace}}
spec:
  selector: {matchLabels: {app: checkout}}
  rules: ${rules}
`;

describe('PeerAuthentication (SM1001-SM1005)', () => {
  it.each([
    ['mesh-wide PERMISSIVE', peer('istio-system', '{mtls: {mode: PERMISSIVE}}'), 'SM1001'],
    ['mesh-wide DISABLE', peer('istio-system', '{mtls: {mode: DISABLE}}'), 'SM1001'],
    ['namespace PERMISSIVE', peer('shop', '{mtls: {mode: PERMISSIVE}}'), 'SM1002'],
    ['workload DISABLE', peer('shop', '{selector: {matchLabels: {app: x}}, mtls: {mode: DISABLE}}'), 'SM1003'],
    ['port PERMISSIVE',
      peer('shop',
        '{selector: {matchLabels: {app: x}}, mtls: {mode: STRICT}, portLevelMtls: {"8080": {mode: PERMISSIVE}}}'),
      'SM1004'],
  ])('reports %s', (_name, yaml, code) => {
    // The deny-all policy keeps the namespace's other rules quiet; the policy under test alone speaks.
    const others = yaml.includes('istio-system') ? '' : `---${meshStrict}---${denyAll}`;
    expect(codes(run(`${yaml}${others}`))).toEqual([code]);
  });

  it('is silent on STRICT and UNSET policies', () => {
    expect(
      run(
        `${meshStrict}---${denyAll}---${peer('shop', '{mtls: {mode: UNSET}}')}---${
          peer('shop', '{selector: {matchLabels: {app: x}}, mtls: {mode: STRICT}}')
        }`,
      ),
    ).toEqual([]);
  });

  it('points at the file and line of the policy, with a documentation anchor', () => {
    const [finding] = run(`# comment\n${peer('istio-system', '{mtls: {mode: PERMISSIVE}}')}`);
    expect(finding).toMatchObject({
      code: 'SM1001',
      severity: 'error',
      file: 'case.yaml',
      line: 3,
      resource: {kind: 'PeerAuthentication', namespace: 'istio-system', name: 'pa'},
      documentation: 'https://github.com/sparc-platform/sparc-mesh/blob/main/docs/rules.md#sm1001',
    });
  });

  it('says (info) when Istio namespaces exist but no mesh-wide policy does', () => {
    expect(codes(run(`${shop}---${denyAll}`))).toEqual(['SM1005']);
    expect(run(`${shop}---${denyAll}---${meshStrict}`)).toEqual([]);
  });

  it('takes the root namespace from a mesh config the user gives, over the default', () => {
    const {objects} = parseManifests(`${shop}---${denyAll}---${peer('mesh-root', '{mtls: {mode: PERMISSIVE}}')}`,
      'case.yaml');
    // Without it, mesh-root is an ordinary namespace (with no deny-by-default); with it, its policy is the mesh-wide one.
    expect(codes(zeroTrustAnalyzer.analyze({objects}))).toEqual(['SM1002', 'SM1005', 'SM1010']);
    expect(codes(zeroTrustAnalyzer.analyze({objects, meshConfig: {rootNamespace: 'mesh-root'}}))).toEqual(['SM1001']);
  });
});

describe('deny by default (SM1010, SM1011)', () => {
  it('reports the namespace and the workload nothing covers', () => {
    const findings = run(`${meshStrict}---${shop}`);
    expect(codes(findings)).toEqual(['SM1010', 'SM1011']);
    expect(findings.find((finding) => finding.code === 'SM1011')?.resource?.name).toBe('checkout');
  });

  it('does not report Jobs and CronJobs one by one', () => {
    const job = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec: {jobTemplate: {spec: {template: {metadata: {labels: {app: nightly}}, spec: {containers: [{name: run}]}}}}}
`;
    expect(codes(run(`${meshStrict}---${shop}---${job}`))).toEqual(['SM1010', 'SM1011']);
  });

  it('accepts a namespace allow-nothing policy', () => {
    expect(run(`${meshStrict}---${shop}---${denyAll}`)).toEqual([]);
  });

  it('accepts a mesh-wide allow-nothing policy in the root namespace', () => {
    expect(run(`${meshStrict}---${shop}---${denyAll.replace('namespace: shop', 'namespace: istio-system')}`)).toEqual(
      [],
    );
  });

  it('counts an ALLOW policy selecting the workload as deny by default for it, but still wants the namespace policy', () => {
    const yaml = `${meshStrict}---${shop}---${
      allow('[{from: [{source: {principals: ["cluster.local/ns/shop/sa/web"]}}]}]')
    }`;
    expect(codes(run(yaml))).toEqual(['SM1010']);
  });

  it('does not count a policy that targets a waypoint', () => {
    const waypoint = denyAll.replace('spec: {}',
      'spec: {targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}]}');
    expect(codes(run(`${meshStrict}---${shop}---${waypoint}`))).toEqual(['SM1010', 'SM1011']);
  });

  it('leaves namespaces without Istio alone', () => {
    expect(run(shop.replace('istio-injection: enabled', 'team: shop'))).toEqual([]);
  });
});

describe('ALLOW rules that let everyone in (SM1020-SM1022)', () => {
  it.each([
    ['an empty rule', '[{}]', 'SM1020'],
    ['a rule without from', '[{to: [{operation: {methods: [GET]}}]}]', 'SM1021'],
    ['principals *', '[{from: [{source: {principals: ["*"]}}]}]', 'SM1022'],
    ['namespaces *', '[{from: [{source: {namespaces: ["*"]}}]}]', 'SM1022'],
    ['ipBlocks 0.0.0.0/0', '[{from: [{source: {ipBlocks: ["0.0.0.0/0"]}}]}]', 'SM1022'],
  ])('reports %s', (_name, rules, code) => {
    expect(codes(run(`${meshStrict}---${shop}---${denyAll}---${allow(rules)}`))).toEqual([code]);
  });

  it('is silent on rules naming principals and on DENY policies', () => {
    const deny = allow('[{}]').replace('rules:', 'action: DENY\n  rules:');
    expect(
      run(
        `${meshStrict}---${shop}---${denyAll}---${
          allow('[{from: [{source: {principals: ["cluster.local/ns/shop/sa/web"]}}]}]')
        }---${deny}`,
      ),
    ).toEqual([]);
  });
});

describe('identities where mTLS is off (SM1030)', () => {
  const principals = allow('[{from: [{source: {principals: ["cluster.local/ns/shop/sa/web"]}}]}]');

  it('reports a principal rule on a workload whose mTLS is DISABLE', () => {
    const off = peer('shop', '{selector: {matchLabels: {app: checkout}}, mtls: {mode: DISABLE}}');
    expect(codes(run(`${meshStrict}---${shop}---${denyAll}---${off}---${principals}`))).toEqual(['SM1003', 'SM1030']);
  });

  it('reports it from the namespace mode when no workload is known', () => {
    const off = peer('shop', '{mtls: {mode: DISABLE}}');
    expect(codes(run(`${meshStrict}---${denyAll}---${off}---${principals}`))).toEqual(['SM1002', 'SM1030']);
  });

  it('is silent where mTLS is STRICT or PERMISSIVE', () => {
    expect(run(`${meshStrict}---${shop}---${denyAll}---${principals}`)).toEqual([]);
    const permissive = peer('shop', '{selector: {matchLabels: {app: checkout}}, mtls: {mode: PERMISSIVE}}');
    expect(codes(run(`${meshStrict}---${shop}---${denyAll}---${permissive}---${principals}`))).toEqual(['SM1003']);
  });
});

describe('DestinationRule TLS (SM1040)', () => {
  const rule = (host: string, tls: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: shop}
spec:
  host: ${host}
  trafficPolicy: {tls: ${tls}}
`;
  it.each([
    ['DISABLE to a short name', rule('checkout', '{mode: DISABLE}')],
    ['SIMPLE to a cluster FQDN', rule('checkout.shop.svc.cluster.local', '{mode: SIMPLE}')],
    ['DISABLE to every host', rule('"*.local"', '{mode: DISABLE}')],
  ])('reports %s', (_name, yaml) => {
    expect(codes(run(yaml))).toEqual(['SM1040']);
  });

  it('finds port-level and subset settings', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: shop}
spec:
  host: checkout
  trafficPolicy: {portLevelSettings: [{port: {number: 80}, tls: {mode: DISABLE}}]}
  subsets: [{name: v1, labels: {v: "1"}, trafficPolicy: {tls: {mode: SIMPLE}}}]
`;
    expect(run(yaml).map((finding) => finding.message)).toEqual([
      'trafficPolicy.portLevelSettings[0].tls.mode is DISABLE for in-mesh host checkout.',
      'subsets[0].trafficPolicy.tls.mode is SIMPLE for in-mesh host checkout.',
    ]);
  });

  it('is silent on ISTIO_MUTUAL, on external hosts and on Services whose pods have no sidecar', () => {
    const plainBackend = `
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec: {selector: {app: legacy}, ports: [{port: 5432}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy, namespace: shop}
spec: {template: {metadata: {labels: {app: legacy, sidecar.istio.io/inject: "false"}}, spec: {containers: [{name: db}]}}}
`;
    expect(
      run(
        `${rule('checkout', '{mode: ISTIO_MUTUAL}')}---${rule('api.example.com', '{mode: SIMPLE}')}---${
          rule('legacy', '{mode: DISABLE}')
        }---${plainBackend}`,
      ),
    ).toEqual([]);
  });
});

describe('Gateways (SM1050, SM1051)', () => {
  const gateway = (server: string) => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers: [${server}]
`;
  it('reports wildcard hosts and plain HTTP', () => {
    expect(codes(run(gateway('{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}')))).toEqual(['SM1050',
      'SM1051']);
    expect(
      codes(
        run(
          gateway(
            '{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["shop/*"], tls: {mode: SIMPLE, credentialName: c}}',
          ),
        ),
      ),
    ).toEqual(['SM1050']);
  });

  it('is silent on named hosts with TLS or a redirect', () => {
    expect(
      run(
        gateway(
          '{port: {number: 80, name: http, protocol: HTTP}, hosts: ["shop.example.com"], tls: {httpsRedirect: true}}',
        ),
      ),
    ).toEqual([]);
    expect(
      run(
        gateway(
          '{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*.example.com"], tls: {mode: SIMPLE, credentialName: c}}',
        ),
      ),
    ).toEqual([]);
  });
});

describe('Gateway API listeners (SM1051)', () => {
  const gateway = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: edge}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP}
  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}
`;
  const route = (name: string, parent: string, rules: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop}
spec:
  parentRefs: [${parent}]
  rules: ${rules}
`;
  const serve = '[{backendRefs: [{name: web, port: 80}]}]';
  const redirect = '[{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]';

  it('reports an HTTP listener through which a route serves content', () => {
    const findings = run(`${gateway}---${route('web', '{name: public, namespace: edge}', serve)}`);
    expect(findings.map((finding) => finding.message)).toEqual([
      'listeners[0] serves plain HTTP on port 80 through HTTPRoute shop/web, which does not only redirect to HTTPS.',
    ]);
  });

  it('is silent when the HTTP listener only redirects, or when routes attach to the HTTPS listener only', () => {
    const redirecting = route('to-https', '{name: public, namespace: edge, sectionName: http}', redirect);
    const secure = route('web', '{name: public, namespace: edge, sectionName: https}', serve);
    expect(run(`${gateway}---${redirecting}---${secure}`)).toEqual([]);
    expect(run(`${gateway}---${route('web', '{name: public}', serve)}`)).toEqual([]);
  });
});

describe('egress (SM1060, SM1061)', () => {
  const operator = (meshConfig: string) => `
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: cp, namespace: istio-system}
spec: {meshConfig: ${meshConfig}}
`;
  const configMap = (mesh: string) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    ${mesh}
`;
  const sidecar = (spec: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: shop}
spec: ${spec}
`;

  it('reports ALLOW_ANY in an IstioOperator or the istio ConfigMap, and an unset mode', () => {
    expect(codes(run(operator('{outboundTrafficPolicy: {mode: ALLOW_ANY}}')))).toEqual(['SM1060']);
    expect(codes(run(configMap('outboundTrafficPolicy: {mode: ALLOW_ANY}')))).toEqual(['SM1060']);
    expect(run(operator('{}'))[0]?.message).toContain('not set');
  });

  it('reports a Sidecar that opens egress or inherits an open mesh', () => {
    expect(codes(run(sidecar('{outboundTrafficPolicy: {mode: ALLOW_ANY}}')))).toEqual(['SM1061']);
    expect(codes(run(sidecar('{egress: [{hosts: ["./*"]}]}')))).toEqual(['SM1061']);
  });

  it('takes the egress mode of a mesh config the user gives, over those among the objects', () => {
    const {objects} = parseManifests(
      `${configMap('outboundTrafficPolicy: {mode: REGISTRY_ONLY}')}---${sidecar('{egress: [{hosts: ["./*"]}]}')}`,
      'case.yaml',
    );
    expect(codes(zeroTrustAnalyzer.analyze({objects}))).toEqual([]);
    expect(codes(zeroTrustAnalyzer.analyze({objects, meshConfig: {outboundTrafficPolicy: {mode: 'ALLOW_ANY'}}})))
      .toEqual(['SM1061']);
    const open = parseManifests(sidecar('{egress: [{hosts: ["./*"]}]}'), 'case.yaml').objects;
    expect(
      codes(zeroTrustAnalyzer.analyze({objects: open, meshConfig: {outboundTrafficPolicy: {mode: 'REGISTRY_ONLY'}}})),
    ).toEqual([]);
  });

  it('is silent when the mesh or the Sidecar is REGISTRY_ONLY', () => {
    expect(
      run(`${configMap('outboundTrafficPolicy: {mode: REGISTRY_ONLY}')}---${sidecar('{egress: [{hosts: ["./*"]}]}')}`),
    ).toEqual([]);
    expect(run(sidecar('{outboundTrafficPolicy: {mode: REGISTRY_ONLY}}'))).toEqual([]);
  });
});
