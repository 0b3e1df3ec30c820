import {describe, expect, it} from 'vitest';
import {onboardToCluster, type ClusterOnboardInput} from '../../../src/actions/apply/onboard-cluster.js';
import {ApplyConflictError} from '../../../src/adapters/kube/client.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {testDeps} from '../../helpers/deps.js';

const TYPES = [
  {group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false},
  {group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true},
  {group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true},
  {group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true},
];
const deployment: KubeObject = {apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {name: 'pay', namespace: 'sparc', labels: {app: 'pay'}, generation: 1}, spec: {replicas: 1},
  status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}};
const objects: KubeObject[] = [
  {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'sparc', labels: {'istio-injection': 'enabled'}}},
  {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'pay', namespace: 'sparc'}},
];
const input = (mode: ClusterOnboardInput['mode'] = 'apply'): ClusterOnboardInput => ({objects, service: 'pay',
  namespace: 'sparc', connection: {}, mode, force: false, waitTimeoutMs: 60_000, restartedAt: 't1'});

function deps(client: FakeKubeClient, lines: string[] = []) {
  return testDeps(client, {progress: (line) => lines.push(line)});
}

describe('onboardToCluster', () => {
  it("restarts and waits for the service's workloads when something changed, and not on a run that changes nothing", async () => {
    const client = new FakeKubeClient({objects: [deployment], types: TYPES});
    const lines: string[] = [];
    const first = await onboardToCluster(input(), deps(client, lines));
    expect(first.restarted.map((ref) => ref.name)).toEqual(['pay']);
    expect(first.workloads).toEqual([expect.objectContaining({ready: true})]);
    expect(lines).toEqual(
      expect.arrayContaining(['Namespace sparc created', 'Deployment sparc/pay restarted',
        'Deployment sparc/pay: successfully rolled out']),
    );
    const second = await onboardToCluster(input(), deps(client));
    expect(second).toMatchObject({changed: false, restarted: [], workloads: []});
    expect(client.writes.filter((write) => write.verb === 'mergePatch')).toHaveLength(1);
  });

  it('a server dry run restarts nothing and persists nothing', async () => {
    const client = new FakeKubeClient({objects: [deployment], types: TYPES});
    const result = await onboardToCluster(input('server-dry-run'), deps(client));
    expect(result.restarted).toEqual([]);
    expect(client.writes.every((write) => write.dryRun)).toBe(true);
  });

  it('--diff shows the objects to create against nothing, and writes nothing', async () => {
    const client = new FakeKubeClient({objects: [deployment], types: TYPES});
    const result = await onboardToCluster(input('diff'), deps(client));
    expect(result.diff!.map((entry) => entry.patch.split('\n')[0])).toEqual(['--- /dev/null', '--- /dev/null']);
    expect(result.diff![1]!.patch).toContain('+++ planned/ServiceAccount/sparc/pay');
    expect(client.writes.every((write) => write.dryRun)).toBe(true);
  });

  it('--diff of a conflicting object shows the forced result and notes the conflict', async () => {
    const live = [deployment,
      ...objects.map((object) => ({...object, metadata: {...object.metadata, resourceVersion: '1'}}))];
    const client = new FakeKubeClient({objects: live, types: TYPES});
    const conflict = new ApplyConflictError({apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'sparc', name: 'pay'},
      [{manager: 'other', field: '.metadata.labels.x'}], 'conflict');
    const apply = client.apply.bind(client);
    client.apply = async (object, options) => {
      if (object.kind === 'ServiceAccount' && !options?.force) throw conflict;
      return apply(object, options);
    };
    const result = await onboardToCluster(input('diff'), deps(client));
    expect(result.notes).toEqual([conflict.message]);
    expect(result.diff!.find((entry) => entry.object === 'ServiceAccount sparc/pay')!.conflict).toContain(
      '--force-conflicts',
    );
  });
});
