// Behaviour of the workload and policy analysers beyond Istio's grid: value syntax, the places where we
// deliberately differ from istioctl, and the indexes that keep analysis linear.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {parseManifests} from '../../../../../src/core/manifests.js';
import {analyzeIstio} from '../../../../../src/core/analyze/istio/index.js';
import type {IstioAnalyzer} from '../../../../../src/core/analyze/istio/context.js';
import {analyzersIn, WORKLOAD_DOMAINS} from '../domains.js';
import {catalogue} from '../../../../../src/core/analyze/catalogue.js';
import {ANNOTATION_VALUE_CHECKS} from '../../../../../src/core/analyze/istio/analyzers/annotations/annotation-values.js';
import {isCidr, isIP} from '../../../../../src/core/analyze/istio/query/ip.js';
import {LabelledIndex, SelectorIndex} from '../../../../../src/core/analyze/istio/query/label-index.js';
import {matchesLabels} from '../../../../../src/core/analyze/istio/query/selectors.js';
import {GRID_ROOT} from '../grid.js';

const workloadAnalyzers = analyzersIn(WORKLOAD_DOMAINS);

function analyzer(name: string): IstioAnalyzer {
  const found = workloadAnalyzers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(name);
  return found;
}

/** `CODE Kind ns/name` for each finding of one analyser over the given YAML. */
function findings(name: string, manifests: string): string[] {
  const objects = parseManifests(manifests, 'test.yaml').objects;
  return analyzeIstio(objects, {analyzers: [analyzer(name)]})
    .map((finding) =>
      `${finding.code} ${finding.resource?.kind} ${finding.resource?.namespace ?? ''}/${finding.resource?.name}`
    );
}

describe('annotation values', () => {
  const check = (name: string, value: string) => ANNOTATION_VALUE_CHECKS.get(name)?.(value);

  it.each([
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.0/8,fd00::/8', true],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.0/8, 192.168.0.0/16', false],
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '*', true],
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0/33', false],
    ['traffic.sidecar.istio.io/excludeInboundPorts', ' 15020, 8080 ', true],
    ['traffic.sidecar.istio.io/excludeInboundPorts', '70000', false],
    ['traffic.sidecar.istio.io/includeInboundPorts', '*', true],
    ['status.sidecar.istio.io/port', '15020', true],
    ['readiness.status.sidecar.istio.io/periodSeconds', '-1', false],
    ['prometheus.istio.io/merge-metrics', 'True', true],
    ['prometheus.istio.io/merge-metrics', 'yes', false],
    ['sidecar.istio.io/interceptionMode', 'TPROXY', true],
    ['sidecar.istio.io/interceptionMode', 'redirect', false],
    ['proxy.istio.io/config', 'concurrency: 2\n', true],
    ['proxy.istio.io/config', '{"holdApplicationUntilProxyStarts": true, "proxy_metadata": {"A": "b"}}', true],
    ['proxy.istio.io/config', 'holdApplicationUntilProxyStart: true', false],
    ['proxy.istio.io/config', '- a list', false],
    ['proxy.istio.io/config', 'a: [unclosed', false],
  ] as const)('%s = %j is valid: %s', (name, value, valid) => {
    expect(check(name, value) === undefined).toBe(valid);
  });

  it('accepts only well-formed addresses', () => {
    expect([isIP('1.2.3.4'), isIP('::1'), isIP('01.2.3.4'), isIP('1.2.3'), isIP('fe80::1%eth0')]).toEqual([true, true,
      false, false, false]);
    expect([isCidr('::/0'), isCidr('2001:db8::/129'), isCidr('1.2.3.4'), isCidr('1.2.3.4/08')]).toEqual([true, false,
      false, false]);
  });

  it('reports an invalid value only where the annotation belongs', () => {
    const manifests = `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a, annotations: {traffic.sidecar.istio.io/excludeInboundPorts: "x"}}
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: a, annotations: {traffic.sidecar.istio.io/excludeInboundPorts: "x"}}
`;
    expect(findings('annotations.K8sAnalyzer', manifests).sort()).toEqual(['IST0107 Service a/s', 'IST0125 Pod a/p']);
  });

  it('does not call the deprecated inject annotation out when the label is there too', () => {
    const pod = (labels: string) => `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a, labels: {${labels}}, annotations: {sidecar.istio.io/inject: "true"}}
`;
    expect(findings('annotations.K8sAnalyzer', pod(''))).toEqual(['IST0135 Pod a/p']);
    expect(findings('annotations.K8sAnalyzer', pod('sidecar.istio.io/inject: "true"'))).toEqual([]);
  });
});

describe('injection', () => {
  it('checks pods of revision-labelled namespaces and skips system namespaces', () => {
    const manifests = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/rev: stable}}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: cart, namespace: shop}
spec: {containers: [{name: app, image: cart}]}
`;
    expect(findings('injection.Analyzer', manifests)).toEqual(['IST0103 Pod shop/cart']);
  });

  it('counts a native sidecar (istio-proxy among init containers) as the proxy', () => {
    const manifests = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: cart, namespace: shop}
spec: {containers: [{name: app, image: cart}], initContainers: [{name: istio-proxy, image: proxyv2, restartPolicy: Always}]}
`;
    expect(findings('injection.Analyzer', manifests)).toEqual([]);
  });
});

describe('service association', () => {
  it('does not treat a Service without a selector as selecting every pod', () => {
    const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec: {template: {metadata: {labels: {app: web, sidecar.istio.io/inject: "true"}}, spec: {containers: [{name: web}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: a}
spec: {ports: [{name: tcp, port: 80, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: a}
spec: {selector: {app: web}, ports: [{name: udp, port: 80, protocol: UDP}]}
`;
    expect(findings('deployment.ServiceAssociationAnalyzer', manifests)).toEqual([]);
  });
});

describe('workloads from manifests', () => {
  it('counts pod templates of controllers as workloads a policy can select', () => {
    const manifests = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db}]}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: db, namespace: shop}
spec: {selector: {matchLabels: {app: db}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: cache, namespace: shop}
spec: {selector: {matchLabels: {app: cache}}}
`;
    expect(findings('authz.AuthorizationPoliciesAnalyzer', manifests)).toEqual([
      'IST0127 AuthorizationPolicy shop/cache',
    ]);
  });

  it("finds UID 1337 in any pod template, including a CronJob's", () => {
    const manifests = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: ops}
spec: {jobTemplate: {spec: {template: {spec: {securityContext: {runAsUser: 1337}, containers: [{name: report}]}}}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ops}
spec: {template: {spec: {containers: [{name: istio-proxy, securityContext: {runAsUser: 1337}}]}}}
`;
    expect(findings('deployment.ApplicationUIDAnalyzer', manifests)).toEqual(['IST0144 CronJob ops/report']);
  });
});

describe('webhooks', () => {
  it('lets revision webhooks with disjoint selectors coexist', () => {
    const webhook = (revision: string) => `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector-${revision}, labels: {istio.io/rev: ${revision}}}
webhooks:
- name: rev.namespace.sidecar-injector.istio.io
  clientConfig: {url: "https://istiod.example.com/inject"}
  namespaceSelector: {matchExpressions: [{key: istio.io/rev, operator: In, values: [${revision}]}]}
`;
    expect(findings('webhook.Analyzer', `${webhook('blue')}---${webhook('green')}`)).toEqual([]);
  });
});

describe('external control plane', () => {
  it('flags an IPv6 address like an IPv4 one, and a URL without a host', () => {
    const manifests = `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector-remote}
webhooks:
- {name: a.sidecar-injector.istio.io, clientConfig: {url: "https://[2001:db8::1]:15017/inject"}}
- {name: b.sidecar-injector.istio.io, clientConfig: {url: "not a url"}}
`;
    expect(findings('externalcontrolplane.ExternalControlPlaneAnalyzer', manifests)).toEqual([
      'IST0164 MutatingWebhookConfiguration /istio-sidecar-injector-remote',
      'IST0163 MutatingWebhookConfiguration /istio-sidecar-injector-remote',
    ]);
  });
});

describe('label indexes agree with a plain scan', () => {
  // A small deterministic generator, so that a failure reproduces.
  let seed = 7;
  const next = (range: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % range;
  const labels = () => Object.fromEntries(Array.from({length: next(4)}, () => [`k${next(3)}`, `v${next(3)}`]));

  it('LabelledIndex.some and SelectorIndex.selecting', () => {
    const items = Array.from({length: 300}, (_, index) => ({index, labels: labels()}));
    const labelled = new LabelledIndex<number>();
    const selectors = new SelectorIndex<number>();
    for (const item of items) {
      labelled.add(item.index, item.labels);
      selectors.add(item.index, item.labels);
    }
    const answers = new Set<boolean>();
    for (let query = 0; query < 200; query++) {
      const probe = labels();
      const plainSome = items.some((item) => matchesLabels(probe, item.labels));
      expect(labelled.some(probe), JSON.stringify(probe)).toBe(plainSome);
      answers.add(plainSome);
      const plainSelecting = items.filter((item) =>
        Object.keys(item.labels).length > 0 && matchesLabels(item.labels, probe)
      ).map((item) => item.index);
      expect(selectors.selecting(probe).sort((a, b) => a - b)).toEqual(plainSelecting);
    }
    // Probes that match no item as well as probes that match some.
    expect([...answers].sort()).toEqual([false, true]);
  });
});

describe('catalogue', () => {
  const levels = new Map(
    (yaml.load(readFileSync(path.join(GRID_ROOT, 'messages.yaml'), 'utf8')) as {
      messages: {code: string; level: string}[];
    })
      .messages.map((message) => [message.code, message.level.toLowerCase()]),
  );

  it("documents every code the workload analysers emit, at Istio's level", () => {
    const emitted = [...new Set(workloadAnalyzers.flatMap((entry) => entry.codes))];
    const documented = new Set(catalogue().map((entry) => entry.code));
    expect(emitted.filter((entry) => !documented.has(entry.code))).toEqual([]);
    for (const entry of emitted) expect([entry.code, entry.severity]).toEqual([entry.code, levels.get(entry.code)]);
  });
});
