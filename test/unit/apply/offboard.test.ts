import {describe, expect, it} from 'vitest';
import {onboard} from '../../../src/actions/onboard.js';
import {offboard, SERVICE_KINDS, SERVICE_LABEL} from '../../../src/actions/offboard.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {groupOf, type KubeObject} from '../../../src/core/objects.js';
import {MESHES, PROFILES} from '../../../src/core/config/types.js';
import {testDeps} from '../../helpers/deps.js';

const labels = (service: string) => ({'app.kubernetes.io/managed-by': 'sparc-mesh', [SERVICE_LABEL]: service});
const object = (apiVersion: string, kind: string, namespace: string, name: string,
  extra: Partial<KubeObject['metadata']> = {}, spec?: unknown): KubeObject => ({apiVersion, kind,
    metadata: {name, namespace, uid: `${namespace}/${name}`, ...extra}, ...(spec ? {spec} : {})});
const egressTo = (namespace: string) => ({
  egress: [{to: [{namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': namespace}}}]}],
});

describe('offboard', () => {
  const live = [
    object('v1', 'Namespace', '', 'sparc'),
    object('v1', 'ServiceAccount', 'sparc', 'pay', {labels: labels('pay')}),
    object('networking.istio.io/v1', 'VirtualService', 'sparc', 'pay', {labels: labels('pay')}),
    object('networking.k8s.io/v1', 'NetworkPolicy', 'sparc', 'pay-allow-callers', {labels: labels('pay')}),
    object('networking.k8s.io/v1', 'NetworkPolicy', 'web', 'allow-egress-to-pay-sparc', {labels: labels('pay')},
      egressTo('sparc')),
    // Not this service's: the namespace baseline, another service, a hand-made object, a namesake in another namespace.
    object('networking.k8s.io/v1', 'NetworkPolicy', 'sparc', 'default-deny', {
      labels: {'app.kubernetes.io/managed-by': 'sparc-mesh', 'sparc-mesh.io/scope': 'namespace'},
    }),
    object('v1', 'ServiceAccount', 'sparc', 'checkout', {labels: labels('checkout')}),
    object('v1', 'ServiceAccount', 'sparc', 'hand-made', {labels: {[SERVICE_LABEL]: 'pay'}}),
    object('v1', 'ServiceAccount', 'other', 'pay', {labels: labels('pay')}),
    object('networking.k8s.io/v1', 'NetworkPolicy', 'web', 'allow-egress-to-pay-other', {labels: labels('pay')},
      egressTo('other')),
  ];
  const connection = {};
  const names = (objects: KubeObject[]) =>
    objects.map((item) => `${item.kind} ${item.metadata.namespace}/${item.metadata.name}`).sort();
  const mine = ['NetworkPolicy sparc/pay-allow-callers', 'NetworkPolicy web/allow-egress-to-pay-sparc',
    'ServiceAccount sparc/pay', 'VirtualService sparc/pay'];

  it("deletes exactly the service's objects, identities last, and nothing else", async () => {
    const client = new FakeKubeClient({objects: live});
    const result = await offboard({service: 'pay', namespace: 'sparc', connection}, testDeps(client));
    expect(result.objects.map((item) => `${item.ref.kind} ${item.ref.namespace}/${item.ref.name}`).sort()).toEqual(
      mine,
    );
    expect(result.objects.at(-1)!.ref.kind).toBe('ServiceAccount');
    expect(result.summary).toBe('4 deleted');
    expect(names(client.objects)).toEqual(
      names(live.filter((item) => !mine.includes(`${item.kind} ${item.metadata.namespace}/${item.metadata.name}`))),
    );
    expect(client.writes.filter((write) => write.verb === 'delete').length).toBe(4);
  });

  it('is idempotent: a second run finds nothing and says so', async () => {
    const client = new FakeKubeClient({objects: live});
    await offboard({service: 'pay', namespace: 'sparc', connection}, testDeps(client));
    const again = await offboard({service: 'pay', namespace: 'sparc', connection}, testDeps(client));
    expect(again.objects).toEqual([]);
    expect(again.summary).toBe('nothing to offboard: no objects of pay managed by sparc-mesh in sparc');
  });

  it('--dry-run lists and deletes nothing; --dry-run=server asks the server to dry-run each delete', async () => {
    const client = new FakeKubeClient({objects: live});
    const listed = await offboard({service: 'pay', namespace: 'sparc', connection, dryRun: 'client'}, testDeps(client));
    expect(listed.objects).toHaveLength(4);
    expect(client.writes).toEqual([]);
    await offboard({service: 'pay', namespace: 'sparc', connection, dryRun: 'server'}, testDeps(client));
    expect(client.writes.every((write) => write.dryRun)).toBe(true);
    expect(client.objects).toHaveLength(live.length);
  });

  it('knows every kind onboarding renders for a service, for every mesh and profile', async () => {
    const rendered = new Set<string>();
    for (const mesh of MESHES) {
      for (const profile of PROFILES) {
        const result = await onboard({service: 'svc', namespace: 'sparc', mesh, profile, enableCanary: true,
          allowFrom: ['web/web'], ingressHosts: ['svc.example.com'], config: 'examples/sparc-mesh.yaml'});
        for (const item of result.objects) {
          if (item.metadata.labels?.[SERVICE_LABEL]) rendered.add(`${groupOf(item.apiVersion)}/${item.kind}`);
        }
      }
    }
    const known = Object.entries(SERVICE_KINDS).flatMap(([group, kinds]) => kinds.map((kind) => `${group}/${kind}`));
    expect([...rendered].filter((kind) => !known.includes(kind))).toEqual([]);
    expect(rendered.size).toBeGreaterThan(8);
  });
});
