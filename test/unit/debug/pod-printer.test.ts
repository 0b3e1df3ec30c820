import {describe, expect, it} from 'vitest';
import {debugPod} from '../../../src/actions/debug/pod.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {catalogue} from '../../../src/core/analyze/catalogue.js';
import {renderPodReport} from '../../../src/ui/debug-pod.js';
import {testDeps} from '../../helpers/deps.js';
import {serveConfigDump} from './admin-server.js';
import {CONFIG_DUMP, istiod, pod, zeroTrustShop} from './cluster-objects.js';

const rules = catalogue();

async function report(objects = zeroTrustShop('shop'), target = 'checkout-1') {
  return debugPod({connection: {}, namespace: 'shop', target}, testDeps(new FakeKubeClient({objects})));
}

describe('debug pod output', () => {
  it('has no findings for a healthy pod of a zero-trust namespace, and says so', async () => {
    const result = await report([...zeroTrustShop('shop'), istiod('1.30.3')]);
    expect(result.report.findings).toEqual([]);
    const table = renderPodReport('table', result, rules);
    expect(table).toContain('proxy: istio-proxy (istio) running, ready, version 1.30.3, control plane 1.30.3');
    expect(table).toContain('mTLS STRICT (mesh level, PeerAuthentication istio-system/default)');
    expect(table).toContain(
      '  AuthorizationPolicy shop/checkout-allow ALLOW\n    from[0].source.principals=cluster.local/ns/shop/sa/cart',
    );
    expect(table).toContain('none: the pod looks healthy');
  });

  it('shows each finding with the fix of its code', async () => {
    const objects = [...zeroTrustShop('shop'), pod('shop', 'legacy-1', {app: 'legacy', proxy: 'none'})];
    const table = renderPodReport('table', await report(objects, 'legacy-1'), rules);
    expect(table).toMatch(
      /error {3}SM5001 {2}Pod shop\/legacy-1: no istio-proxy or linkerd-proxy container: namespace shop has injection enabled/,
    );
    expect(table).toContain('fix: Enable injection and restart the workload:');
  });

  it('prints the same report as JSON, findings as validate documents them', async () => {
    const document = JSON.parse(renderPodReport('json', await report(), rules)) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(['pod', 'status', 'identity', 'services', 'authorization', 'networkPolicies',
      'traffic', 'deniedCalls', 'events', 'mtls', 'proxyConfigUnavailable', 'findings']);
    expect(document.proxyConfigUnavailable).toBe(
      'its admin port could not be read: no port 15000 on pod shop/checkout-1',
    );
    expect(document.findings).toMatchObject({findings: [], summary: {findings: 0}});
  });

  it("summarises the sidecar's live configuration when its admin port answers", async () => {
    const admin = await serveConfigDump(CONFIG_DUMP);
    const client = new FakeKubeClient({objects: zeroTrustShop('shop'),
      podPorts: (target,
        port) => (target.name === 'checkout-1' && port === 15000 ? admin.port : new Error('refused'))});
    try {
      const result = await debugPod({connection: {}, namespace: 'shop', target: 'checkout-1'}, testDeps(client));
      expect(renderPodReport('table', result, rules)).toContain([
        'Sidecar configuration',
        '  0 listener filter chains, 0 routes, 1 clusters, 1 endpoints (sparc-mesh debug proxy-config all checkout-1 -n shop)',
        '  cluster outbound|80||cart.shop.svc.cluster.local: max_connections=10, outlier detection on',
        '  endpoint 10.0.0.9:8080 of outbound|80||cart.shop.svc.cluster.local: UNHEALTHY',
      ].join('\n'));
    } finally {
      await admin.close();
    }
  });
});
