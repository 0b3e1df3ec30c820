import {describe, expect, it} from 'vitest';
import {debugPod} from '../../../src/actions/debug/pod.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {testDeps} from '../../helpers/deps.js';
import {allowFrom, event, ingressFrom, istiod, namespace, peerAuthentication, pod, service} from './cluster-objects.js';

const SHOP = 'shop';

function run(objects: KubeObject[], target: string, ns = SHOP) {
  const client = new FakeKubeClient({objects});
  return {client, report: debugPod({connection: {}, namespace: ns, target}, testDeps(client))};
}

describe('debug pod', () => {
  it('finds a pod without a proxy and says its namespace is not labelled for injection', async () => {
    const {report} = run([namespace('plain'), pod('plain', 'web-1', {app: 'web', proxy: 'none'})], 'web-1', 'plain');
    const result = await report;
    expect(result.status.proxy.mesh).toBe('none');
    const finding = result.report.findings.find((entry) => entry.code === 'SM5001');
    expect(finding?.message).toContain('namespace plain is not labelled for injection');
  });

  it('names the AuthorizationPolicy that denies a caller a NetworkPolicy admits', async () => {
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}), pod(SHOP, 'checkout-1', {app: 'checkout'}),
      pod(SHOP, 'cart-1', {app: 'cart'}), service(SHOP, 'checkout'), service(SHOP, 'cart'),
      allowFrom(SHOP, 'checkout', ['cluster.local/ns/shop/sa/frontend']), ingressFrom(SHOP, 'checkout', 'cart')];
    const result = await run(objects, 'checkout-1').report;
    expect(result.authorization.map((policy) => `${policy.action} ${policy.resource.name}`)).toEqual(
      ['ALLOW checkout-allow'],
    );
    expect(result.deniedCalls.map((edge) => `${edge.from} ${edge.verdict}`)).toEqual(['shop/cart deny']);
    const denied = result.report.findings.filter((finding) => finding.code === 'SM5010');
    expect(denied.map((finding) => finding.message)).toEqual([
      'shop/cart → shop/checkout:80 is admitted (network-policy: NetworkPolicy shop/checkout-ingress ingress[0] admits it) but denied (istio-authz: no rule of the ALLOW policies (shop/checkout-allow) matches the caller)',
    ]);
  });

  it('lists callers that nothing admits as denied calls, without a finding (deny by default at work)', async () => {
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}), pod(SHOP, 'checkout-1', {app: 'checkout'}),
      pod(SHOP, 'cart-1', {app: 'cart'}), service(SHOP, 'checkout'),
      allowFrom(SHOP, 'checkout', ['cluster.local/ns/shop/sa/frontend'])];
    const result = await run(objects, 'checkout-1').report;
    expect(result.deniedCalls.map((edge) => `${edge.from} ${edge.verdict}`)).toEqual(['shop/cart-1 deny']);
    expect(result.report.findings.filter((finding) => finding.code === 'SM5010')).toEqual([]);
  });

  it("says where PERMISSIVE comes from, with validate's finding on the namespace policy", async () => {
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}), pod(SHOP, 'checkout-1', {app: 'checkout'}),
      peerAuthentication('istio-system', 'default', 'STRICT'), peerAuthentication(SHOP, 'default', 'PERMISSIVE')];
    const result = await run(objects, 'checkout-1').report;
    expect(result.mtls).toMatchObject({mode: 'PERMISSIVE', level: 'namespace',
      decidedBy: {name: 'default', namespace: SHOP}});
    const finding = result.report.findings.find((entry) => entry.code === 'SM1002');
    expect(finding?.resource).toMatchObject({kind: 'PeerAuthentication', namespace: SHOP, name: 'default'});
  });

  it('reports outlier detection and a subset that selects no pod of the Service', async () => {
    const rule: KubeObject = {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule',
      metadata: {name: 'checkout', namespace: SHOP},
      spec: {host: 'checkout', trafficPolicy: {outlierDetection: {consecutive5xxErrors: 3, interval: '10s'}},
        subsets: [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]}};
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}),
      pod(SHOP, 'checkout-1', {app: 'checkout', labels: {version: 'v1'}}), service(SHOP, 'checkout'), rule];
    const result = await run(objects, 'svc/checkout').report;
    expect(result.pod.name).toBe('checkout-1');
    const messages = result.report.findings.filter((entry) => ['SM5020', 'SM5021'].includes(entry.code))
      .map((entry) => `${entry.code} ${entry.message}`);
    expect(messages).toEqual([
      'SM5020 ejects endpoints of checkout.shop.svc.cluster.local (consecutive5xxErrors=3 interval=10s)',
      'SM5021 subset v2 (version=v2) selects no pod of checkout.shop.svc.cluster.local',
    ]);
  });

  it('names the NetworkPolicy that blocks a caller an ALLOW policy admits', async () => {
    const policy = ingressFrom(SHOP, 'checkout', 'frontend');
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}), pod(SHOP, 'checkout-1', {app: 'checkout'}),
      pod(SHOP, 'cart-1', {app: 'cart'}), service(SHOP, 'checkout'), service(SHOP, 'cart'), policy,
      allowFrom(SHOP, 'checkout', ['cluster.local/ns/shop/sa/cart'])];
    const result = await run(objects, 'checkout-1').report;
    expect(result.networkPolicies).toEqual([{resource: expect.objectContaining({name: 'checkout-ingress'}),
      action: 'ingress', rules: ['ingress: from[0].podSelector.matchLabels.app=frontend every port']}]);
    expect(result.report.findings.filter((entry) => entry.code === 'SM5010').map((entry) => entry.message)).toEqual([
      'shop/cart → shop/checkout:80 is admitted (istio-authz: ALLOW policy shop/checkout-allow matches) but denied (network-policy: ingress of shop/checkout-1 is isolated by shop/checkout-ingress and no rule admits it)',
    ]);
  });

  it('compares the proxy with the control plane and reports restarts and events', async () => {
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}), istiod('1.30.3'),
      pod(SHOP, 'checkout-1', {app: 'checkout', proxyImage: 'docker.io/istio/proxyv2:1.28.1', restarts: 2}),
      event(SHOP, 'checkout-1', 'BackOff', 'Back-off restarting failed container', '2026-12-06T10:05:00Z'),
      event(SHOP, 'other-1', 'BackOff', 'not about this pod', '2026-12-06T10:06:00Z')];
    const result = await run(objects, 'checkout-1').report;
    expect(result.status.proxy).toMatchObject({version: '1.28.1', controlPlaneVersion: '1.30.3'});
    const own = result.report.findings.filter((entry) => entry.code.startsWith('SM500')).map((entry) => entry.message);
    expect(own).toEqual(['proxy 1.28.1, control plane 1.30.3: restart the workload to inject the current proxy',
      'container app restarted 2 times, last: OOMKilled (exit 137)']);
    expect(result.events.map((entry) => entry.reason + ' ' + entry.message)).toEqual(
      ['BackOff Back-off restarting failed container'],
    );
  });

  it('lists only the namespace, the root namespace, events by field and control-plane pods by label', async () => {
    const objects = [namespace(SHOP, {'istio-injection': 'enabled'}), pod(SHOP, 'checkout-1', {app: 'checkout'}),
      pod('elsewhere', 'other-1', {app: 'other'})];
    const {client, report} = run(objects, 'checkout-1');
    await report;
    const scopes = client.listCalls.filter((call) => call.kind !== 'Namespace').map((call) => call.scope);
    expect(scopes.every((scope) =>
      scope.namespace === SHOP || scope.namespace === 'istio-system'
      || scope.labelSelector !== undefined
    )).toBe(true);
    expect(client.listCalls.find((call) => call.kind === 'Event')?.scope.fieldSelector)
      .toBe('involvedObject.kind=Pod,involvedObject.name=checkout-1');
  });

  it('refuses a malformed target, naming the argument, and says when the pod does not exist', async () => {
    await expect(run([], 'job/x').report).rejects.toThrow(/POD "job\/x" is not POD, pod\/NAME/);
    await expect(run([namespace(SHOP), pod(SHOP, 'present-1', {app: 'present'})], 'missing-1').report).rejects.toThrow(
      'Pod shop/missing-1 does not exist',
    );
  });
});
