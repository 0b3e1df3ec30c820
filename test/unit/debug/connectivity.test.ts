import {describe, expect, it} from 'vitest';
import {debugConnectivity} from '../../../src/actions/debug/connectivity.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {renderConnectivity} from '../../../src/ui/connectivity.js';
import {testDeps} from '../../helpers/deps.js';
import {pod, zeroTrustShop} from './cluster-objects.js';

function ask(objects: KubeObject[], from: string, to: string) {
  return debugConnectivity({connection: {}, namespace: 'shop', from, to}, testDeps(new FakeKubeClient({objects})));
}

const routeToV2: KubeObject[] = [
  {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name: 'checkout', namespace: 'shop'},
    spec: {host: 'checkout', subsets: [{name: 'v2', labels: {version: 'v2'}}]}},
  {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: 'checkout', namespace: 'shop'},
    spec: {hosts: ['checkout'], http: [{route: [{destination: {host: 'checkout', subset: 'v2'}}]}]}},
];

/** Each case: the objects around the zero-trust namespace, the caller, and the expected verdict per layer with the deciding words. */
const cases: {name: string; extra: KubeObject[]; from: string; verdict: string; layers: Record<string, string>}[] = [
  {name: 'a caller every layer admits', extra: [], from: 'cart-1', verdict: 'allow', layers: {
    'network-policy':
      'allow: NetworkPolicy shop/cart egress[0] admits it; NetworkPolicy shop/checkout ingress[0] admits it',
    mtls: 'allow: mTLS STRICT, caller identity known (PeerAuthentication istio-system/default)',
    'istio-authz': 'allow: ALLOW policy shop/checkout-allow matches',
    linkerd: 'not applicable: ',
    route: 'allow: no route for the Service: Kubernetes balances over its ready pods',
  }},
  {name: 'a caller no rule admits', extra: [pod('shop', 'intruder-1', {app: 'intruder'})], from: 'intruder-1',
    verdict: 'deny', layers: {
      'network-policy':
        'deny: egress of shop/intruder-1 is isolated by shop/default-deny and no rule admits it; ingress of shop/checkout-1 is isolated by shop/default-deny, shop/checkout and no rule admits it',
      'istio-authz': 'deny: no rule of the ALLOW policies (shop/deny-all, shop/checkout-allow) matches the caller',
    }},
  {name: 'a caller without a sidecar against STRICT mTLS',
    extra: [pod('shop', 'legacy-1', {app: 'legacy', proxy: 'none', labels: {'sidecar.istio.io/inject': 'false'}})],
    from: 'legacy-1', verdict: 'deny', layers: {
      mtls: 'deny: mTLS STRICT and the caller has no Istio sidecar (PeerAuthentication istio-system/default)',
    }},
  {name: 'a route to a subset that selects no pod', extra: routeToV2, from: 'cart-1', verdict: 'deny', layers: {
    route: 'deny: subset v2 of DestinationRule shop/checkout selects no pod, and a route sends to it: 503',
  }},
];

describe('debug connectivity', () => {
  for (const entry of cases) {
    it(`answers ${entry.name}, naming what decides at each layer`, async () => {
      const report = await ask([...zeroTrustShop('shop'), ...entry.extra], entry.from, 'svc/checkout:80');
      expect(report.ports).toHaveLength(1);
      const [port] = report.ports;
      expect(port?.verdict).toBe(entry.verdict);
      const layers = Object.fromEntries(
        port?.layers.map((layer) => [layer.layer, `${layer.verdict}: ${layer.decidedBy.join('; ')}`]) ?? [],
      );
      expect(layers).toMatchObject(entry.layers);
    });
  }

  it('prints a table per port', async () => {
    const table = renderConnectivity('table', await ask(zeroTrustShop('shop'), 'cart-1', 'svc/checkout'));
    expect(table.split('\n').slice(0, 3)).toEqual(['shop/cart-1 → shop/checkout:80 (pod port 8080): ALLOWED',
      'LAYER           VERDICT         DECIDED BY',
      'network-policy  allow           NetworkPolicy shop/cart egress[0] admits it; NetworkPolicy shop/checkout ingress[0] admits it']);
  });

  it('refuses a --to that is not a Service, or a port the Service lacks, naming the flag', async () => {
    await expect(ask(zeroTrustShop('shop'), 'cart-1', 'svc/checkout:0')).rejects.toThrow(
      '--to: "svc/checkout:0" has a port "0" that is not 1–65535',
    );
    await expect(ask(zeroTrustShop('shop'), 'cart-1', 'svc/checkout:81')).rejects.toMatchObject({
      message: '--to: "svc/checkout:81" names a port the Service does not have',
      hint: 'its ports: 80',
    });
    await expect(ask(zeroTrustShop('shop'), 'cart-1', 'svc/missing')).rejects.toThrow(
      'Service shop/missing does not exist',
    );
  });
});
