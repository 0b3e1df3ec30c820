import {describe, expect, it} from 'vitest';
import {liveInputs, validateAnalyzers} from '../../../src/core/analyze/all.js';
import {runAnalysis} from '../../../src/core/analyze/run.js';
import {NOT_IN_POD_REPORTS, podReportInputs} from '../../../src/core/debug/pod-inputs.js';
import {podReport} from '../../../src/core/debug/pod-report.js';
import {groupOf, type KubeObject} from '../../../src/core/objects.js';
import {namespace, pod, service} from './cluster-objects.js';

const SHOP = 'shop';
const key = (group: string, kind: string) => `${group}/${kind}`;

/**
 * A namespace around checkout-1 with objects of every kind a pod report leaves out, each one
 * changing what validate finds, several of them aimed at the pod itself.
 */
const leftOut: KubeObject[] = [
  {apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: {name: 'serviceroles.rbac.istio.io'},
    spec: {group: 'rbac.istio.io', names: {kind: 'ServiceRole', plural: 'serviceroles'}, scope: 'Namespaced'}},
  {apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: {name: 'shop', namespace: SHOP},
    spec: {selector: {app: 'checkout'},
      servers: [{port: {number: 443, name: 'https', protocol: 'HTTPS'}, hosts: ['shop.example.com'],
        tls: {mode: 'SIMPLE', credentialName: 'shop-cert'}}]}},
  {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'shop-cert', namespace: SHOP}, type: 'Opaque'},
  {apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration',
    metadata: {name: 'istio-validator-external'},
    webhooks: [{name: 'rev.validation.istio.io', clientConfig: {url: 'https://10.0.0.9:15017/validate'}}]},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: {name: 'checkout', namespace: SHOP},
    spec: {workloadSelector: {labels: {app: 'checkout'}},
      configPatches: [{applyTo: 'HTTP_FILTER', patch: {operation: 'REPLACE', value: {}}}]}},
  {apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry', metadata: {name: 'vm', namespace: SHOP},
    spec: {address: '', labels: {app: 'checkout'}}},
  {apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: {name: 'checkout', namespace: SHOP},
    spec: {selector: {matchLabels: {app: 'nothing-has-this'}}, tracing: [{providers: [{name: 'unknown'}]}]}},
  {apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: {name: 'checkout', namespace: SHOP},
    spec: {selector: {matchLabels: {app: 'shop-gateway'}}}},
];

const checkout = pod(SHOP, 'checkout-1', {app: 'checkout'});
const around: KubeObject[] = [namespace(SHOP, {'istio-injection': 'enabled'}), checkout, service(SHOP, 'checkout'),
  pod(SHOP, 'cart-1', {app: 'cart'}),
  pod(SHOP, 'shop-gateway-1', {app: 'shop-gateway', labels: {'gateway.networking.k8s.io/gateway-name': 'shop'}}), {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: {name: 'checkout', namespace: SHOP},
  spec: {host: 'checkout', subsets: [{name: 'v2', labels: {version: 'v2'}}]},
}];

const reportOn = (objects: KubeObject[]) =>
  podReport({pod: checkout, objects, events: [], controlPlanePods: [], namespaces: [SHOP, 'istio-system']});

describe('the kinds debug pod lists', () => {
  it('leaves out only kinds validate lists', () => {
    const listed = new Set(liveInputs().map((input) => key(input.group, input.kind)));
    expect(NOT_IN_POD_REPORTS.filter((input) => !listed.has(key(input.group, input.kind)))).toEqual([]);
    expect(podReportInputs()).toHaveLength(listed.size - NOT_IN_POD_REPORTS.length);
  });

  it('leaves out kinds that change what validate finds, and the report is the same without them', () => {
    const objects = [...around, ...leftOut];
    const validate = (given: KubeObject[]) =>
      runAnalysis({objects: given.map((object) => ({object}))}, {analyzers: validateAnalyzers(undefined),
        failOn: 'error'}).findings;
    const everything = validate(objects);
    const unnoticed = leftOut.filter((object) =>
      JSON.stringify(validate(objects.filter((other) => other !== object))) === JSON.stringify(everything)
    );
    expect(unnoticed.map((object) => object.kind)).toEqual([]);

    const left = new Set(NOT_IN_POD_REPORTS.map((input) => key(input.group, input.kind)));
    const trimmed = objects.filter((object) => !left.has(key(groupOf(object.apiVersion), object.kind)));
    expect(trimmed.length).toBeLessThan(objects.length);
    // Everything but the count of objects analysed, which is the point.
    const {report: {summary: {objects: analysed, ...summary}, ...findings}, ...rest} = reportOn(trimmed);
    const {report: {summary: {objects: all, ...fullSummary}, ...fullFindings}, ...fullRest} = reportOn(objects);
    expect({summary, findings, rest}).toEqual({summary: fullSummary, findings: fullFindings, rest: fullRest});
    expect(analysed).toBe(trimmed.length);
    expect(all).toBe(objects.length);
  });
});
