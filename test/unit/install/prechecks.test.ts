import {describe, expect, it} from 'vitest';
import {istioPrechecks} from '../../../src/actions/install/prechecks.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {PreconditionError} from '../../../src/errors.js';
import {parseIstioVersion} from '../../../src/core/install/istio-versions.js';
import type {KubeObject} from '../../../src/core/objects.js';

const istiod = (revision: string, tag: string): KubeObject => ({apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {name: `istiod-${revision}`, namespace: 'istio-system', labels: {app: 'istiod', 'istio.io/rev': revision}},
  spec: {template: {spec: {containers: [{image: `docker.io/istio/pilot:${tag}`}]}}}});
const baseline: KubeObject[] = [{apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication',
  metadata: {name: 'default', namespace: 'istio-system'}}];
const input = {version: parseIstioVersion('1.30.4')!, revision: 'default', namespace: 'istio-system', baseline};

describe('install pre-checks', () => {
  it('pass on a supported cluster where the caller may do everything, and report what is installed', async () => {
    const client = new FakeKubeClient({objects: [istiod('canary', '1.29.1')]});
    const result = await istioPrechecks(client, input);
    expect(result.checks.map((check) => check.ok)).toEqual([true, true, true]);
    expect(result.checks[2]!.message).toBe('installed: canary (1.29.1)');
  });

  it('report every failed check at once, naming each denied permission (plural of a kind not served yet included)', async () => {
    const client = new FakeKubeClient({
      objects: [istiod('default', '1.29.1')],
      version: {major: 1, minor: 30, gitVersion: 'v1.30.9'},
      deny: (check) => check.resource === 'customresourcedefinitions' || check.resource === 'peerauthentications',
    });
    const error = await istioPrechecks(client, input).catch((caught: unknown) => caught) as PreconditionError;
    expect(error).toBeInstanceOf(PreconditionError);
    expect(error.message).toContain('2 pre-checks failed; nothing was changed');
    expect(error.message).toContain(
      'kubernetes-version: Kubernetes v1.30.9 is too old: Istio 1.30 supports Kubernetes 1.32 to 1.36',
    );
    expect(error.message).toContain(
      'the caller may not create customresourcedefinitions.apiextensions.k8s.io (cluster-wide), patch customresourcedefinitions.apiextensions.k8s.io (cluster-wide), create peerauthentications.security.istio.io in istio-system',
    );
  });

  it('refuse another version over the same revision, pointing at upgrade', async () => {
    const error = await istioPrechecks(new FakeKubeClient({objects: [istiod('default', '1.29.1')]}), input).catch((
      caught: unknown,
    ) => caught) as PreconditionError;
    expect(error.message).toContain('existing-install: revision default already runs Istio 1.29.1');
    expect(error.hint).toContain('sparc-mesh upgrade istio --to VERSION');
  });
});
