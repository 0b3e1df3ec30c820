// The cluster paths of onboard and offboard, run in-process against the fake kube client
// (Helm's way of testing commands): what a person reads, what --json carries, one cluster
// and several. What the real API server does with the objects is the e2e tests' subject.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {onboard} from '../../src/actions/onboard.js';
import type {KubeConnection} from '../../src/adapters/kube/client.js';
import {FakeKubeClient} from '../../src/adapters/kube/fake.js';
import {groupOf, type KubeObject} from '../../src/core/objects.js';
import {runCommand} from '../helpers/run-command.js';

const ONBOARD = ['onboard', '-s', 'pay', '-n', 'sparc', '-m', 'istio', '--allow-from', 'web'];
const deployment: KubeObject = {apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {name: 'pay', namespace: 'sparc', labels: {app: 'pay'}, generation: 1}, spec: {replicas: 1},
  status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}};

/** A cluster that serves every kind onboarding renders, and runs the service's Deployment. */
async function cluster(): Promise<FakeKubeClient> {
  const {objects} = await onboard({service: 'pay', namespace: 'sparc', mesh: 'istio', allowFrom: ['web']});
  // A StatefulSet is listed too: the restart looks for both kinds of workload.
  const statefulSet: KubeObject = {apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: {name: 'other', namespace: 'elsewhere'}};
  const everything = [...objects, deployment, statefulSet];
  const types = await new FakeKubeClient({objects: everything}).discover([
    ...new Set(everything.map((object) => groupOf(object.apiVersion))),
  ]);
  return new FakeKubeClient({objects: [deployment], types});
}

function kubeconfigWith(contexts: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-')), 'kubeconfig');
  writeFileSync(file,
    JSON.stringify({apiVersion: 'v1', kind: 'Config', 'current-context': contexts[0],
      clusters: contexts.map((name) => ({name, cluster: {server: `https://${name}.example`}})),
      users: [{name: 'u', user: {token: 'x'}}],
      contexts: contexts.map((name) => ({name, context: {cluster: name, user: 'u'}}))}));
  return file;
}

describe('onboard against a cluster', () => {
  it('prints each object and the restart as progress, then the summary; a second run changes nothing', async () => {
    const client = await cluster();
    const first = await runCommand(ONBOARD, {deps: {connect: async () => client}});
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('Namespace sparc created\n');
    expect(first.stdout).toContain('Deployment sparc/pay restarted\n');
    expect(first.stdout).toMatch(/\d+ created\n$/);
    const second = await runCommand(ONBOARD, {deps: {connect: async () => client}});
    expect(second.stdout).toMatch(/^nothing changed \(\d+ unchanged\)\n$/m);
    expect(client.writes.filter((write) => write.verb === 'mergePatch')).toHaveLength(1);
  });

  it("with --json prints the envelope alone, the cluster's result in it", async () => {
    const client = await cluster();
    const result = await runCommand([...ONBOARD, '--json'], {deps: {connect: async () => client}});
    expect(result.status).toBe(0);
    const envelope = JSON.parse(result.stdout) as {result: {cluster: {changed: boolean; restarted: {name: string}[]}}};
    expect(envelope.result.cluster).toMatchObject({changed: true, restarted: [{name: 'pay'}]});
  });

  it('on several contexts prefixes every line with its context and exits 1 when one fails', async () => {
    const client = await cluster();
    const connect = async (connection: KubeConnection) => {
      if (connection.context === 'broken') throw new Error('cannot reach https://broken.example');
      return client;
    };
    const result = await runCommand([...ONBOARD, '--kubeconfig', kubeconfigWith(['good', 'broken']), '--context',
      'good', '--context', 'broken'], {deps: {connect}});
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('[good] Namespace sparc created\n');
    expect(result.stdout).toMatch(/^\[good\] \d+ created\n/m);
    expect(result.stdout).toContain('[broken] failed: cannot reach https://broken.example\n');
  });
});

describe('offboard against a cluster', () => {
  it('deletes with --yes and says what went; without a terminal and without --yes, refuses with exit 2', async () => {
    const client = await cluster();
    await runCommand([...ONBOARD, '--no-wait'], {deps: {connect: async () => client}});
    const refused = await runCommand(['offboard', '-s', 'pay', '-n', 'sparc'], {deps: {connect: async () => client}});
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('offboard deletes objects and needs a confirmation: pass --yes');
    const done = await runCommand(['offboard', '-s', 'pay', '-n', 'sparc', '--yes'], {
      deps: {connect: async () => client},
    });
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain('ServiceAccount sparc/pay deleted\n');
    expect(done.stdout).toMatch(/^\d+ deleted\n$/m);
  });
});
