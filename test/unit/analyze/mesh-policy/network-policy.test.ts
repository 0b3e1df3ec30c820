import {describe, expect, it} from 'vitest';
import {networkPolicyAnalyzer} from '../../../../src/core/analyze/mesh-policy/network-policy.js';
import {analyze, codes} from './helpers.js';

const run = (yaml: string, namespaces?: string[]) => analyze(networkPolicyAnalyzer, yaml, namespaces);

const namespace = (annotations = '{}') => `
apiVersion: v1
kind: Namespace
metadata: {name: shop, annotations: ${annotations}}
`;

const workload = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, ports: [{name: http, containerPort: 8080}]}]}
`;

const policy = (name: string, spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec: ${spec}
`;

const denyIngress = policy('default-deny', '{podSelector: {}, policyTypes: [Ingress]}');
const denyBoth = policy('default-deny', '{podSelector: {}, policyTypes: [Ingress, Egress]}');

describe('default deny (SM3001, SM3002)', () => {
  it("leaves Kubernetes' own namespaces (Istio's injector list) and the mesh control planes alone, and judges kube-* add-ons", () => {
    const declared = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
    const names = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage', 'istio-system', 'linkerd',
      'linkerd-viz', 'kube-flannel', 'shop'];
    const findings = run(names.map(declared).join('---\n'));
    expect(
      [...new Set(findings.filter((finding) => finding.code === 'SM3001').map((finding) => finding.resource?.name))]
        .sort(),
    ).toEqual(['kube-flannel', 'shop']);
  });

  it('reports a namespace without default-deny ingress, at the Namespace object', () => {
    const findings = run(`${namespace()}---${workload('checkout')}`);
    expect(codes(findings)).toEqual(['SM3001']);
    expect(findings[0]).toMatchObject({resource: {kind: 'Namespace', name: 'shop'}, file: 'case.yaml', line: 2});
  });

  it('reports namespaces known only from their workloads', () => {
    expect(run(workload('checkout'))[0]?.resource).toEqual({apiVersion: 'v1', kind: 'Namespace', name: 'shop'});
  });

  it('accepts any policy that selects every pod for Ingress, even with allow rules', () => {
    expect(run(`${workload('checkout')}---${denyIngress}`)).toEqual([]);
    expect(
      run(
        `${workload('checkout')}---${policy('same-ns', '{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}')}`,
      ),
    ).toEqual([]);
  });

  it('does not count a policy that isolates only egress or only some pods', () => {
    expect(codes(run(`${workload('checkout')}---${policy('e', '{podSelector: {}, policyTypes: [Egress]}')}`))).toEqual([
      'SM3001',
    ]);
    expect(codes(run(`${workload('checkout')}---${policy('p', '{podSelector: {matchLabels: {app: checkout}}}')}`)))
      .toEqual(['SM3001']);
  });

  it('asks for default-deny egress only where the namespace says so', () => {
    const strict = namespace('{sparc-mesh.io/default-deny-egress: "true"}');
    expect(codes(run(`${strict}---${denyIngress}`))).toEqual(['SM3002']);
    expect(run(`${strict}---${denyBoth}`)).toEqual([]);
    expect(run(`${namespace()}---${denyIngress}`)).toEqual([]);
  });

  it('leaves system namespaces alone', () => {
    expect(run(workload('checkout').replaceAll('shop', 'kube-system'))).toEqual([]);
    expect(run(workload('istiod').replaceAll('shop', 'istio-system'))).toEqual([]);
  });
});

describe('rules that admit everything (SM3010, SM3011)', () => {
  it.each([
    ['a rule without from', '[{ports: [{port: 8080}]}]'],
    ['an empty peer', '[{from: [{}]}]'],
    ['0.0.0.0/0', '[{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]'],
    ['every namespace', '[{from: [{namespaceSelector: {}}]}]'],
  ])('reports an ingress rule with %s', (_name, ingress) => {
    expect(codes(run(`${denyIngress}---${policy('open', `{podSelector: {}, ingress: ${ingress}}`)}`))).toEqual([
      'SM3010',
    ]);
  });

  it('reports egress to everywhere on every port, but not port-limited egress such as DNS', () => {
    expect(codes(run(`${denyBoth}---${policy('open', '{podSelector: {}, policyTypes: [Egress], egress: [{}]}')}`)))
      .toEqual(['SM3011']);
    expect(
      codes(
        run(
          `${denyBoth}---${
            policy('open', '{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}')
          }`,
        ),
      ),
    ).toEqual(['SM3011']);
    expect(
      run(
        `${denyBoth}---${
          policy('dns', '{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: 53, protocol: UDP}]}]}')
        }`,
      ),
    ).toEqual([]);
  });

  it('is silent on narrow peers', () => {
    const narrow =
      '[{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: prometheus}}}, {ipBlock: {cidr: 10.0.0.0/8}}, {podSelector: {}}]}]';
    expect(run(`${denyIngress}---${policy('narrow', `{podSelector: {}, ingress: ${narrow}}`)}`)).toEqual([]);
  });
});

describe('selectors that match nothing (SM3020, SM3021)', () => {
  const callers = (from: string) =>
    policy('callers', `{podSelector: {matchLabels: {app: checkout}}, ingress: [{from: [${from}]}]}`);

  it('reports a podSelector that matches no workload of the namespace', () => {
    const findings = run(
      `${workload('checkout')}---${denyIngress}---${policy('typo', '{podSelector: {matchLabels: {app: chekout}}}')}`,
    );
    expect(codes(findings)).toEqual(['SM3020']);
  });

  it('reports a peer podSelector that matches no caller', () => {
    const findings = run(
      `${workload('checkout')}---${workload('frontend')}---${denyIngress}---${
        callers('{podSelector: {matchLabels: {app: frontnd}}}')
      }`,
    );
    expect(findings.map((finding) => finding.message)).toEqual([
      'ingress[0].from[0].podSelector matches no known workload in shop.',
    ]);
  });

  it('is silent when the selectors match, and where no workloads are known', () => {
    expect(
      run(
        `${workload('checkout')}---${workload('frontend')}---${denyIngress}---${
          callers('{podSelector: {matchLabels: {app: frontend}}}')
        }`,
      ),
    ).toEqual([]);
    expect(run(`${denyIngress}---${policy('x', '{podSelector: {matchLabels: {app: anything}}}')}`)).toEqual([]);
  });

  it('judges namespace selectors only against a complete namespace list', () => {
    const yaml = `${workload('checkout')}---${denyIngress}---${
      callers('{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}')
    }`;
    expect(run(yaml)).toEqual([]);
    expect(codes(run(yaml, ['shop', 'kube-system']))).toEqual(['SM3021']);
    expect(run(yaml, ['shop', 'monitoring'])).toEqual([]);
  });
});
