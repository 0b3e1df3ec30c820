// canary status, promote and abort in-process against the fake kube client: the table a
// person reads, what --json carries, and the flags refused before any cluster is touched.
// Flagger's real answers are the subject of test/e2e/canary-flagger.test.ts.
import {describe, expect, it} from 'vitest';
import {FakeKubeClient} from '../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../src/core/objects.js';
import {runCommand} from '../helpers/run-command.js';
import {canaryObject} from '../unit/canary/fixtures.js';

const deployment: KubeObject = {apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {name: 'reports', namespace: 'sparc', uid: 'd-1'}, spec: {selector: {matchLabels: {app: 'reports'}}}};
const replicaSet: KubeObject = {apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: {name: 'reports-1', namespace: 'sparc', labels: {app: 'reports'}, creationTimestamp: '2026-12-06T15:40:00Z',
    ownerReferences: [{uid: 'd-1'}]}};

function cluster(status: Record<string, unknown>): FakeKubeClient {
  return new FakeKubeClient({
    objects: [canaryObject({lastTransitionTime: '2026-12-06T15:50:03Z', ...status}), deployment, replicaSet],
  });
}

describe('canary status', () => {
  it('prints the Canary and its metrics as tables', async () => {
    const client = cluster({phase: 'Progressing', canaryWeight: 20, failedChecks: 1,
      conditions: [{type: 'Promoted', message: 'New revision detected, progressing canary analysis.'}]});
    const result = await runCommand(['canary', 'status', '-n', 'sparc'], {deps: {connect: async () => client}});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe([
      'NAME     PHASE        WEIGHT         FAILED CHECKS  LAST CHANGE           MESSAGE',
      'reports  Progressing  20% (max 30%)  1/2            2026-12-06T15:50:03Z  New revision detected, progressing canary analysis.',
      '',
      'CANARY   METRIC                THRESHOLD  LAST VALUE',
      'reports  request-success-rate  >= 99%     -',
      'reports  request-duration      <= 500ms   -',
      '',
    ].join('\n'));
  });

  it('--watch exits 3 when the rollout ended in a rollback, with the last reading in --json', async () => {
    const client = cluster({phase: 'Failed'});
    const result = await runCommand(['canary', 'status', '-s', 'reports', '-n', 'sparc', '--watch', '--json'], {
      deps: {connect: async () => client},
    });
    expect(result.status).toBe(3);
    const envelope = JSON.parse(result.stdout) as {status: number; result: {canaries: {state: string}[]}};
    expect(envelope.status).toBe(3);
    expect(envelope.result.canaries.map((canary) => canary.state)).toEqual(['rolled back']);
  });

  it.each([
    [['--timeout', '5m'], '--timeout'],
    [['--prometheus-url', 'ftp://prometheus'], '--prometheus-url'],
    [['-s', 'Not_A_Name'], '--service'],
  ])('refuses %j with exit 2 naming the flag, touching no cluster', async (extra, flag) => {
    let connected = false;
    const result = await runCommand(['canary', 'status', '-n', 'sparc', ...extra], {deps: {connect: async () => {
      connected = true;
      return cluster({});
    }}});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(connected).toBe(false);
  });
});

describe('canary promote and abort', () => {
  it.each(['promote', 'abort'])('%s needs -s, and says so without a terminal', async (verb) => {
    const result = await runCommand(['canary', verb, '-n', 'sparc']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Missing required flag --service (-s)');
  });

  it.each(['promote', 'abort'])('%s refuses a Canary with no rollout under way: exit 1, nothing written',
    async (verb) => {
      const client = cluster({phase: 'Succeeded'});
      const result = await runCommand(['canary', verb, '-s', 'reports', '-n', 'sparc'], {
        deps: {connect: async () => client},
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Canary sparc/reports has no rollout under way (phase Succeeded)');
      expect(result.stderr).toContain('Try: sparc-mesh canary status -s reports -n sparc shows where it stands');
      expect(client.writes).toEqual([]);
    });
});
