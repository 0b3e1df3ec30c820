// The Flagger actions against the fake kube client: what they read, what they ask of Flagger
// (skipAnalysis, failed checks on the status subresource), and when they stop waiting. The
// fake stands in for Flagger's next runs by changing the Canary while the action sleeps; the
// real Flagger answers the same requests in test/e2e/canary-flagger.test.ts.
import {describe, expect, it} from 'vitest';
import {flaggerAbort} from '../../../src/actions/canary/flagger-abort.js';
import {flaggerPromote} from '../../../src/actions/canary/flagger-promote.js';
import {flaggerStatus, watchFlaggerStatus} from '../../../src/actions/canary/flagger-status.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {PROMOTE_ANNOTATION} from '../../../src/core/canary/flagger-canary.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {PreconditionError, ToolError, UsageError} from '../../../src/errors.js';
import {testDeps} from '../../helpers/deps.js';
import {canaryObject} from './fixtures.js';

const deployment: KubeObject = {apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {name: 'reports', namespace: 'sparc', uid: 'deployment-uid'},
  spec: {selector: {matchLabels: {app: 'reports'}}}};

function replicaSet(name: string, created: string, ownerUid = 'deployment-uid'): KubeObject {
  return {apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {name, namespace: 'sparc', labels: {app: 'reports'}, creationTimestamp: created,
      ownerReferences: [{kind: 'Deployment', name: 'reports', uid: ownerUid}]}};
}

const canaryRef = {apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: 'sparc', name: 'reports'};
const connection = {};
const target = {connection, namespace: 'sparc', name: 'reports', timeoutMs: 60_000};

function cluster(canary: KubeObject, ...more: KubeObject[]): FakeKubeClient {
  return new FakeKubeClient({objects: [canary, deployment, replicaSet('reports-1', '2026-12-06T15:40:00Z'), ...more]});
}

/** Flagger's next runs, one per sleep of the action: each changes the stored Canary's status. */
function flaggerRuns(client: FakeKubeClient, runs: ((status: Record<string, unknown>) => void)[]) {
  let run = 0;
  return async () => {
    const canary = client.peek(canaryRef) as KubeObject & {status: Record<string, unknown>};
    runs[run++]?.(canary.status);
  };
}

describe('flaggerStatus', () => {
  it('reads every Canary of the namespace in name order, with a revision Flagger has not noticed yet', async () => {
    const other = {...canaryObject({phase: 'Initialized'}), metadata: {name: 'billing', namespace: 'sparc'}};
    const client = cluster(
      canaryObject({phase: 'Succeeded', lastTransitionTime: '2026-12-06T15:45:00Z'}),
      other,
      replicaSet('reports-2', '2026-12-06T15:50:00Z'),
      replicaSet('someone-else', '2026-12-06T16:00:00Z', 'other-uid'),
    );
    const result = await flaggerStatus({connection, namespace: 'sparc'}, testDeps(client));
    expect(result.canaries.map((canary) => [canary.name, canary.state, canary.revisionPending])).toEqual([
      ['billing', 'idle', false],
      ['reports', 'in progress', true],
    ]);
  });

  it('says the metric values are unknown when Prometheus cannot be read, and reports the rest', async () => {
    const client = cluster(canaryObject({phase: 'Progressing'}));
    // Port 9 (discard) on loopback: nothing listens there.
    const result = await flaggerStatus({connection, namespace: 'sparc', name: 'reports',
      prometheusUrl: new URL('http://127.0.0.1:9')}, testDeps(client));
    expect(result.warnings).toEqual([
      expect.stringMatching(/^metric values unknown: Prometheus at http:\/\/127\.0\.0\.1:9: cannot connect/),
    ]);
    expect(result.canaries[0]!.metrics.every((metric) => metric.lastValue === undefined)).toBe(true);
  });

  it('names --service when the Canary does not exist, and says Flagger is missing when its CRD is', async () => {
    const client = cluster(canaryObject({}));
    await expect(flaggerStatus({connection, namespace: 'sparc', name: 'payments'}, testDeps(client))).rejects
      .toThrow(UsageError);
    await expect(flaggerStatus({connection, namespace: 'sparc', name: 'payments'}, testDeps(client))).rejects
      .toThrow('--service: "payments" has no Canary in namespace sparc');
    await expect(flaggerStatus({connection, namespace: 'sparc'}, testDeps(new FakeKubeClient({objects: [deployment]}))))
      .rejects.toBeInstanceOf(PreconditionError);
  });

  it('watches until the rollout ends, handing over every reading', async () => {
    const client = cluster(canaryObject({phase: 'Progressing', canaryWeight: 10}));
    const seen: number[] = [];
    const result = await watchFlaggerStatus({connection, namespace: 'sparc', timeoutMs: 60_000},
      testDeps(client, {sleep: flaggerRuns(client, [
        (status) => Object.assign(status, {canaryWeight: 20}),
        (status) => Object.assign(status, {phase: 'Failed', canaryWeight: 0}),
      ])}), (reading) => seen.push(reading.canaries[0]!.canaryWeight));
    expect(seen).toEqual([10, 20, 0]);
    expect(result.canaries[0]!.state).toBe('rolled back');
  });

  it('gives up when the time is up, saying what still rolls out', async () => {
    const client = cluster(canaryObject({phase: 'Progressing'}));
    let clock = 0;
    const deps = testDeps(client, {now: () => clock, sleep: async (ms) => void (clock += ms)});
    await expect(watchFlaggerStatus({connection, namespace: 'sparc', timeoutMs: 10_000}, deps, () => undefined))
      .rejects.toThrow(ToolError);
    await expect(watchFlaggerStatus({connection, namespace: 'sparc', timeoutMs: 10_000}, deps, () => undefined))
      .rejects.toThrow('gave up after 10s: still rolling out: reports (Progressing)');
  });
});

describe('flaggerPromote', () => {
  it('skips the analysis, waits for the promotion, then removes skipAnalysis and its annotation', async () => {
    const client = cluster(canaryObject({phase: 'Progressing', canaryWeight: 10}));
    const result = await flaggerPromote(target, testDeps(client, {sleep: flaggerRuns(client, [
      (status) => Object.assign(status, {phase: 'Succeeded', canaryWeight: 0}),
    ])}));
    expect(result.did).toBe('skipped the analysis');
    expect(client.writes.map((write) => write.body)).toEqual([
      {metadata: {annotations: {[PROMOTE_ANNOTATION]: 'true'}}, spec: {skipAnalysis: true}},
      {metadata: {annotations: {[PROMOTE_ANNOTATION]: null}}, spec: {skipAnalysis: null}},
    ]);
  });

  it('finishes an earlier, interrupted promotion by turning the analysis back on', async () => {
    const client = cluster(canaryObject({phase: 'Succeeded'}, {skipAnalysis: true}, {[PROMOTE_ANNOTATION]: 'true'}));
    expect((await flaggerPromote(target, testDeps(client))).did).toBe('turned the analysis back on');
    expect(client.writes.map((write) => write.body?.spec)).toEqual([{skipAnalysis: null}]);
  });

  it("leaves a skipAnalysis the Canary's owner set alone", async () => {
    const client = cluster(canaryObject({phase: 'Progressing'}, {skipAnalysis: true}));
    await flaggerPromote(target, testDeps(client, {sleep: flaggerRuns(client, [
      (status) => Object.assign(status, {phase: 'Succeeded'}),
    ])}));
    expect(client.writes).toEqual([]);
  });

  it('refuses at a closed confirm-rollout gate and with no rollout, changing nothing', async () => {
    for (const phase of ['Waiting', 'Succeeded']) {
      const client = cluster(canaryObject({phase}));
      await expect(flaggerPromote(target, testDeps(client))).rejects.toBeInstanceOf(PreconditionError);
      expect(client.writes).toEqual([]);
    }
  });

  it('fails when Flagger rolls back instead, and still turns the analysis back on', async () => {
    const client = cluster(canaryObject({phase: 'Progressing'}));
    await expect(flaggerPromote(target, testDeps(client, {sleep: flaggerRuns(client, [
      (status) => Object.assign(status, {phase: 'Failed'}),
    ])}))).rejects.toThrow(/rolled Canary sparc\/reports back instead of promoting it/);
    expect(client.writes.at(-1)?.body?.spec).toEqual({skipAnalysis: null});
  });
});

describe('flaggerAbort', () => {
  it('sets the failed checks to the threshold on the status subresource, again if Flagger overwrote them', async () => {
    const client = cluster(canaryObject({phase: 'Progressing', canaryWeight: 20, failedChecks: 0}));
    const result = await flaggerAbort(target, testDeps(client, {sleep: flaggerRuns(client, [
      // A check Flagger was running when the request came: its count replaces the request's.
      (status) => Object.assign(status, {failedChecks: 1}),
      (status) => Object.assign(status, {phase: 'Failed', canaryWeight: 0, failedChecks: 0}),
    ])}));
    expect(result.canary.state).toBe('rolled back');
    expect(client.writes.map((write) => [write.subresource, write.body])).toEqual([
      ['status', {status: {failedChecks: 2}}],
      ['status', {status: {failedChecks: 2}}],
    ]);
  });

  it('refuses once the promotion is under way, changing nothing', async () => {
    const client = cluster(canaryObject({phase: 'Promoting'}));
    await expect(flaggerAbort(target, testDeps(client))).rejects.toThrow(/already being promoted/);
    expect(client.writes).toEqual([]);
  });

  it('fails when Flagger promoted before the abort took effect', async () => {
    const client = cluster(canaryObject({phase: 'WaitingPromotion'}));
    await expect(flaggerAbort(target, testDeps(client, {sleep: flaggerRuns(client, [
      (status) => Object.assign(status, {phase: 'Succeeded'}),
    ])}))).rejects.toThrow(/promoted Canary sparc\/reports before the abort took effect/);
  });
});
