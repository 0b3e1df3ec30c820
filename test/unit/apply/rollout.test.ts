import {describe, expect, it} from 'vitest';
import {findWorkloads, RESTARTED_AT, restartWorkloads, waitForRollouts} from '../../../src/actions/apply/rollout.js';
import {rolloutStatus} from '../../../src/core/apply/rollout-status.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {ToolError} from '../../../src/errors.js';
import type {KubeObject} from '../../../src/core/objects.js';

const deployment = (name: string, labels: Record<string, string>, status: Record<string, unknown>,
  generation = 2): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace: 'sparc', labels, generation},
    spec: {replicas: 2},
    status,
  });
const done = {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2};

describe('rolloutStatus', () => {
  it('judges a Deployment as kubectl rollout status does', () => {
    expect(rolloutStatus(deployment('d', {}, done))).toEqual({ready: true, message: 'successfully rolled out'});
    expect(rolloutStatus(deployment('d', {}, {...done, observedGeneration: 1})).message).toBe(
      'waiting for the controller to observe the new spec',
    );
    expect(rolloutStatus(deployment('d', {}, {...done, updatedReplicas: 1})).message).toBe(
      '1 of 2 new replicas have been updated',
    );
    expect(rolloutStatus(deployment('d', {}, {...done, replicas: 3})).message).toBe(
      '1 old replicas are pending termination',
    );
    expect(rolloutStatus(deployment('d', {}, {...done, availableReplicas: 1})).message).toBe(
      '1 of 2 updated replicas are available',
    );
    expect(
      rolloutStatus(
        deployment('d', {}, {...done, conditions: [{type: 'Progressing', reason: 'ProgressDeadlineExceeded'}]}),
      ).ready,
    ).toBe(false);
  });

  it('judges a StatefulSet on ready pods and revisions', () => {
    const set = (status: Record<string, unknown>): KubeObject => ({apiVersion: 'apps/v1', kind: 'StatefulSet',
      metadata: {name: 's', generation: 1}, spec: {replicas: 2}, status: {observedGeneration: 1, ...status}});
    expect(rolloutStatus(set({readyReplicas: 2, currentRevision: 'r2', updateRevision: 'r2'})).ready).toBe(true);
    expect(rolloutStatus(set({readyReplicas: 1, currentRevision: 'r2', updateRevision: 'r2'})).message).toBe(
      '1 of 2 pods are ready',
    );
    expect(
      rolloutStatus(set({readyReplicas: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2'})).message,
    ).toBe('1 of 2 pods are at the new revision');
  });
});

describe('restart and wait', () => {
  it('restarts only the workloads labelled app=SERVICE, with the time it is given', async () => {
    const client = new FakeKubeClient({
      objects: [deployment('pay', {app: 'pay'}, done), deployment('web', {app: 'web'}, done)],
      types: [
        {group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true},
        {group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true},
      ],
    });
    const refs = await restartWorkloads(client, await findWorkloads(client, 'sparc', 'pay'), '2026-01-01T00:00:00Z');
    expect(refs.map((ref) => ref.name)).toEqual(['pay']);
    expect(client.writes).toEqual([
      expect.objectContaining({verb: 'mergePatch',
        body: {spec: {template: {metadata: {annotations: {[RESTARTED_AT]: '2026-01-01T00:00:00Z'}}}}}}),
    ]);
  });

  it('times out naming the workloads that are not ready, without sleeping for real', async () => {
    const client = new FakeKubeClient({objects: [deployment('pay', {app: 'pay'}, {...done, availableReplicas: 0})]});
    let clock = 0;
    const wait = waitForRollouts(client, [{apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'sparc', name: 'pay'}],
      {timeoutMs: 5000, now: () => clock, sleep: async (ms) => void (clock += ms)});
    await expect(wait).rejects.toThrow(ToolError);
    await expect(wait).rejects.toThrow(
      'not every workload rolled out within 5s: Deployment sparc/pay: 0 of 2 updated replicas are available',
    );
    expect(clock).toBe(5000);
  });
});
