// Apply, rollback and conflicts against the fake client, which fails where it is told to.
import {describe, expect, it} from 'vitest';
import {ApplyError, applyObjects} from '../../../src/actions/apply/apply.js';
import {ApplyConflictError, KindNotServedError, type ResourceType} from '../../../src/adapters/kube/client.js';
import {FakeKubeClient, type FakeKubeClientOptions} from '../../../src/adapters/kube/fake.js';
import {ToolError} from '../../../src/errors.js';
import type {KubeObject} from '../../../src/core/objects.js';

const TYPES: ResourceType[] = [
  {group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false},
  {group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true},
  {group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true},
];

const namespace: KubeObject = {apiVersion: 'v1', kind: 'Namespace',
  metadata: {name: 'sparc', labels: {'istio-injection': 'enabled'}}};
const account: KubeObject = {apiVersion: 'v1', kind: 'ServiceAccount',
  metadata: {name: 'pay', namespace: 'sparc', labels: {'app.kubernetes.io/managed-by': 'sparc-mesh'}}};
const policy = (name: string, port: number): KubeObject => ({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
  metadata: {name, namespace: 'sparc'}, spec: {ingress: [{ports: [{port}]}]}});
const rendered = [namespace, account, policy('a', 80), policy('b', 80)];

const fake = (options: FakeKubeClientOptions = {}) => new FakeKubeClient({types: TYPES, ...options});
const refused = () =>
  new ToolError('kube-apiserver', ['PATCH'], undefined, 'connect ECONNREFUSED',
    'Kubernetes API request failed: connect ECONNREFUSED');

describe('applyObjects', () => {
  it('creates everything on the first run and changes nothing on the second', async () => {
    const client = fake();
    const first = await applyObjects(client, {objects: rendered, force: false, dryRun: false});
    expect(first.objects.map((object) => object.action)).toEqual(['created', 'created', 'created', 'created']);
    expect(first.summary).toBe('4 created');
    const versions = client.objects.map((object) => object.metadata.resourceVersion);
    const second = await applyObjects(client, {objects: rendered, force: false, dryRun: false});
    expect(second.changed).toBe(false);
    expect(second.summary).toBe('nothing changed (4 unchanged)');
    expect(client.objects.map((object) => object.metadata.resourceVersion)).toEqual(versions);
  });

  it('a new namespace is applied before anything else; one that exists already beside the objects in it', async () => {
    const failNamespace = {failApply: (ref: {kind: string}) => (ref.kind === 'Namespace' ? refused() : undefined)};
    const fresh = fake(failNamespace);
    await expect(applyObjects(fresh, {objects: rendered, force: false, dryRun: false})).rejects.toThrow(ApplyError);
    expect(fresh.writes.filter((write) => write.verb === 'apply').map((write) => write.ref.kind)).toEqual([
      'Namespace',
    ]);

    const existing = fake({...failNamespace,
      objects: [{...namespace, metadata: {...namespace.metadata, resourceVersion: '1', uid: 'ns'}}]});
    await expect(applyObjects(existing, {objects: rendered, force: false, dryRun: false})).rejects.toThrow(ApplyError);
    expect(existing.writes.filter((write) => write.verb === 'apply' && write.ref.kind !== 'Namespace').length)
      .toBeGreaterThan(0);
  });

  it('reports configured for an object whose content changes, in render order', async () => {
    const client = fake();
    await applyObjects(client, {objects: rendered, force: false, dryRun: false});
    const result = await applyObjects(client, {objects: [namespace, account, policy('a', 8080), policy('b', 80)],
      force: false, dryRun: false});
    expect(result.objects.map((object) => `${object.ref.name} ${object.action}`)).toEqual(['sparc unchanged',
      'pay unchanged', 'a configured', 'b unchanged']);
    expect(result.summary).toBe('1 configured, 3 unchanged');
  });

  it('when an apply fails, deletes what it created and restores what it changed, then says so', async () => {
    const existing = {...policy('a', 80),
      metadata: {...policy('a', 80).metadata, resourceVersion: '1', uid: 'old',
        managedFields: [{manager: 'sparc-mesh', operation: 'Apply', apiVersion: 'networking.k8s.io/v1',
          fieldsV1: {'f:spec': {'f:ingress': {}}}}]}};
    const client = fake({objects: [existing], failApply: (ref) => (ref.name === 'b' ? refused() : undefined)});
    const objects = [namespace, account, policy('a', 8080), policy('b', 80)];
    const error = await applyObjects(client, {objects, force: false, dryRun: false}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).rollback.map((step) => `${step.ref.kind} ${step.ref.name} ${step.action}`).sort())
      .toEqual(['Namespace sparc deleted', 'NetworkPolicy a restored', 'ServiceAccount pay deleted']);
    expect((error as Error).message).toMatch(
      /^applying NetworkPolicy sparc\/b failed: Kubernetes API request failed: connect ECONNREFUSED\nRolled back every change: /,
    );
    // The restore re-applies what sparc-mesh had applied before, by force.
    const restore = client.writes.filter((write) => write.verb === 'apply' && write.ref.name === 'a').at(-1)!;
    expect(restore).toMatchObject({force: true,
      body: {metadata: {name: 'a', namespace: 'sparc'}, spec: {ingress: [{ports: [{port: 80}]}]}}});
    expect(client.objects.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual(['NetworkPolicy a']);
    expect(
      (client.peek({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'sparc', name: 'a'})!
        .spec as {ingress: unknown}).ingress,
    ).toEqual([{ports: [{port: 80}]}]);
    // The failed apply got no answer, so it may have been written: rollback looked, found nothing, deleted nothing.
    expect(client.writes.filter((write) => write.verb === 'delete').map((write) => write.ref.name).sort()).toEqual([
      'pay',
      'sparc',
    ]);
  });

  it('a conflict is an ApplyConflictError naming the fields and their manager, after rolling back', async () => {
    const conflict = new ApplyConflictError({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
      namespace: 'sparc', name: 'b'}, [{manager: 'other', field: '.spec.ingress'}], 'Apply failed with 1 conflict');
    const client = fake({failApply: (ref) => (ref.name === 'b' ? conflict : undefined)});
    const error =
      (await applyObjects(client, {objects: rendered, force: false, dryRun: false}).catch((caught: unknown) =>
        caught
      )) as ApplyError;
    expect(error.name).toBe('ApplyConflictError');
    expect(error.message).toContain(
      'NetworkPolicy sparc/b: 1 field owned by another field manager: .spec.ingress (owned by "other"). Pass --force-conflicts',
    );
    expect(client.objects).toEqual([]);
    // A refused apply wrote nothing, so the failed object itself is not touched by the rollback.
    expect(client.writes.filter((write) => write.verb === 'delete').map((write) => write.ref.name)).not.toContain('b');
  });

  it('passes --force-conflicts through to every apply', async () => {
    const client = fake();
    await applyObjects(client, {objects: rendered, force: true, dryRun: false});
    expect(client.writes.every((write) => write.force)).toBe(true);
  });

  it('deletes an object whose apply got no answer but was written', async () => {
    const client = fake();
    // Apply b for real, then make the client lose the answer: the write happened, the caller saw an error.
    const apply = client.apply.bind(client);
    client.apply = async (object, options) => {
      const result = await apply(object, options);
      if (object.metadata.name === 'b') throw refused();
      return result;
    };
    await expect(applyObjects(client, {objects: rendered, force: false, dryRun: false})).rejects.toBeInstanceOf(
      ApplyError,
    );
    expect(client.objects).toEqual([]);
  });

  it('says which changes it could not roll back, and how to finish', async () => {
    const client = fake({failApply: (_ref, call) => (call === 3 ? refused() : undefined), failDelete: () => refused()});
    const error =
      (await applyObjects(client, {objects: rendered, force: false, dryRun: false}).catch((caught: unknown) =>
        caught
      )) as ApplyError;
    expect(error.rollback.some((step) => step.action === 'failed')).toBe(true);
    expect(error.message).toMatch(
      /Rollback incomplete: could not restore .*ECONNREFUSED.*Run the same command again to finish/s,
    );
    // After the first unanswered request, the rest is not attempted (each would only time out).
    expect(client.writes.filter((write) => write.verb === 'delete')).toHaveLength(1);
    expect(error.rollback.slice(1).every((step) => step.error === 'not attempted: the API server did not answer')).toBe(
      true,
    );
  });

  it('fails before writing anything when the server does not serve a kind', async () => {
    const canary: KubeObject = {apiVersion: 'flagger.app/v1beta1', kind: 'Canary',
      metadata: {name: 'pay', namespace: 'sparc'}};
    const client = fake();
    await expect(applyObjects(client, {objects: [...rendered, canary], force: false, dryRun: false})).rejects
      .toBeInstanceOf(KindNotServedError);
    expect(client.writes).toEqual([]);
  });

  it('a server dry run persists nothing, and objects in a namespace still to create are reported, not sent', async () => {
    const client = fake();
    const result = await applyObjects(client, {objects: rendered, force: false, dryRun: true});
    expect(result.objects.map((object) => object.action)).toEqual(['created', 'created', 'created', 'created']);
    expect(client.objects).toEqual([]);
    expect(client.writes.map((write) => `${write.ref.name} ${write.dryRun}`)).toEqual(['sparc true']);
    expect(result.notes[0]).toMatch(/namespace sparc does not exist yet: ServiceAccount sparc\/pay/);
  });

  it('a server dry run against existing objects judges on content', async () => {
    const client = fake();
    await applyObjects(client, {objects: rendered, force: false, dryRun: false});
    const result = await applyObjects(client, {objects: [namespace, account, policy('a', 9), policy('b', 80)],
      force: false, dryRun: true});
    expect(result.summary).toBe('1 configured, 3 unchanged');
    expect(
      (client.peek({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'sparc', name: 'a'})!
        .spec as {ingress: unknown}).ingress,
    ).toEqual([{ports: [{port: 80}]}]);
  });
});
