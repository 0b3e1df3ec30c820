// onboard and offboard against the real control plane (test/cluster): server-side apply,
// idempotence, dry runs that write nothing, conflicts with another field manager, rollback
// when the API server stops answering, and an offboard that leaves everything else alone.
// Istio's CRDs come from `istioctl manifest generate`; no canary (Flagger is not installed).
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {beforeAll, describe, expect, it} from 'vitest';
import {ApplyError} from '../../src/actions/apply/apply.js';
import {onboardToCluster} from '../../src/actions/apply/onboard-cluster.js';
import {onboard} from '../../src/actions/onboard.js';
import {createKubeClient, type KubeClient} from '../../src/adapters/kube/client.js';
import {pauseApiServer} from '../cluster/apiserver-pause.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';
import {ensureIstioCrds} from './istio-crds.js';

const kinds =
  'serviceaccounts,networkpolicies,authorizationpolicies.security.istio.io,peerauthentications.security.istio.io,destinationrules.networking.istio.io,virtualservices.networking.istio.io,configmaps,deployments';

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input, reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

function sparc(args: string[]) {
  return cli([...args, '--kubeconfig', testKubeconfig()]);
}

/** name → resourceVersion of the namespace and every object of the kinds onboarding touches in it. */
async function snapshot(namespace: string): Promise<Record<string, string>> {
  const list = JSON.parse(await kubectl(['get', kinds, '-n', namespace, '-o', 'json'])) as {
    items: {kind: string; metadata: {name: string; resourceVersion: string}}[];
  };
  const ns = JSON.parse(await kubectl(['get', 'namespace', namespace, '-o', 'json'])) as {
    metadata: {resourceVersion: string};
  };
  const entries = list.items.filter((item) => item.metadata.name !== 'kube-root-ca.crt').map((
    item,
  ) => [`${item.kind}/${item.metadata.name}`, item.metadata.resourceVersion]);
  return Object.fromEntries([[`Namespace/${namespace}`, ns.metadata.resourceVersion], ...entries]);
}

async function namespaceExists(namespace: string): Promise<boolean> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), 'get', 'namespace', namespace],
    {reject: false});
  return result.exitCode === 0;
}

const json = (stdout: string) =>
  JSON.parse(stdout) as {status: number;
    result: {
      cluster: {summary: string; changed: boolean; objects: {action: string}[]; restarted: unknown[];
        workloads: {ready: boolean}[]};
    }};

async function deployment(namespace: string, name: string): Promise<void> {
  await kubectl(['create', 'namespace', namespace]).catch(() => undefined);
  await kubectl(['create', 'deployment', name, '--image=registry.example/app:1', '-n', namespace]);
}

const NAMESPACES = ['e2e-twice', 'e2e-dry', 'e2e-dry-new', 'e2e-conflict', 'e2e-stop', 'e2e-off', 'e2e-callers'];

beforeAll(async () => {
  // A cluster reused through SPARC_MESH_KUBECONFIG may hold a previous run's namespaces.
  await kubectl(['delete', 'namespace', ...NAMESPACES, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await ensureIstioCrds(testKubeconfig());
});

describe('onboard against the cluster', () => {
  it("creates everything, restarts and waits for the service's Deployment; a second run changes nothing and says so", async () => {
    await deployment('e2e-twice', 'pay');
    const first = sparc(['onboard', '-s', 'pay', '-n', 'e2e-twice', '-m', 'istio', '--allow-from', 'web',
      '--wait-timeout', '2m', '--json']);
    expect(first.status, first.stderr).toBe(0);
    const applied = json(first.stdout).result.cluster;
    expect(applied.objects.filter((object) => object.action === 'created').length).toBeGreaterThanOrEqual(10);
    expect(
      applied.objects.find((object) => (object as unknown as {ref: {kind: string}}).ref.kind === 'Namespace')!.action,
    ).toBe('configured');
    expect(applied.restarted).toHaveLength(1);
    expect(applied.workloads).toEqual([expect.objectContaining({ready: true})]);
    const annotations = JSON.parse(
      await kubectl(['get', 'deployment', 'pay', '-n', 'e2e-twice', '-o',
        'jsonpath={.spec.template.metadata.annotations}']),
    );
    expect(Object.keys(annotations)).toContain('sparc-mesh.io/restartedAt');
    const labels = JSON.parse(await kubectl(['get', 'namespace', 'e2e-twice', '-o', 'jsonpath={.metadata.labels}']));
    expect(labels['istio-injection']).toBe('enabled');

    const before = await snapshot('e2e-twice');
    const second = sparc(['onboard', '-s', 'pay', '-n', 'e2e-twice', '-m', 'istio', '--allow-from', 'web']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^nothing changed \(\d+ unchanged\)$/m);
    expect(second.stdout).not.toContain('restarted');
    expect(await snapshot('e2e-twice')).toEqual(before);
  });

  it('--dry-run, --dry-run=server and --diff leave every resourceVersion and the object count unchanged', async () => {
    expect(sparc(['onboard', '-s', 'pay', '-n', 'e2e-dry', '-m', 'istio', '--no-wait']).status).toBe(0);
    const before = await snapshot('e2e-dry');
    const changed = ['onboard', '-s', 'pay', '-n', 'e2e-dry', '-m', 'istio', '--port', '9090', '--allow-from', 'web'];
    // A client dry run touches no cluster, so it takes no --kubeconfig (refused, not ignored).
    expect(cli([...changed, '--dry-run']).status).toBe(0);
    const server = sparc([...changed, '--dry-run=server']);
    expect(server.status, server.stderr).toBe(0);
    expect(server.stdout).toContain('NetworkPolicy e2e-dry/pay-allow-callers created (server dry run)');
    expect(server.stdout).toMatch(/\d+ created, \d+ unchanged/);
    const diff = sparc([...changed, '--diff']);
    expect(diff.status, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('+++ planned/AuthorizationPolicy/e2e-dry/pay-allow-callers');
    expect(await snapshot('e2e-dry')).toEqual(before);
    // A service in a namespace that does not exist yet: still nothing written.
    expect(sparc(['onboard', '-s', 'pay', '-n', 'e2e-dry-new', '-m', 'istio', '--dry-run=server']).status).toBe(0);
    expect(await namespaceExists('e2e-dry-new')).toBe(false);
  });

  it('a field owned by another manager is a conflict error, rolled back; --force-conflicts takes it over', async () => {
    expect(sparc(['onboard', '-s', 'pay', '-n', 'e2e-conflict', '-m', 'istio', '--no-wait']).status).toBe(0);
    await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-'],
      JSON.stringify({apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule',
        metadata: {name: 'pay', namespace: 'e2e-conflict'}, spec: {host: 'elsewhere.example'}}));
    const before = await snapshot('e2e-conflict');
    // Callers add objects that the failed run creates before the conflict: they must go again.
    const refused = sparc(['onboard', '-s', 'pay', '-n', 'e2e-conflict', '-m', 'istio', '--allow-from', 'web',
      '--no-wait']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'DestinationRule e2e-conflict/pay: 1 field owned by another field manager: .spec.host (owned by "other"). Pass --force-conflicts',
    );
    expect(refused.stderr).toMatch(/Rolled back every change: .*NetworkPolicy e2e-conflict\/pay-allow-callers deleted/);
    expect(await snapshot('e2e-conflict')).toEqual(before);

    const forced = sparc(['onboard', '-s', 'pay', '-n', 'e2e-conflict', '-m', 'istio', '--allow-from', 'web',
      '--no-wait', '--force-conflicts']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(await kubectl(['get', 'destinationrule', 'pay', '-n', 'e2e-conflict', '-o', 'jsonpath={.spec.host}'])).toBe(
      'pay.e2e-conflict.svc.cluster.local',
    );
    const managers = JSON.parse(
      await kubectl(['get', 'destinationrule', 'pay', '-n', 'e2e-conflict', '-o',
        'jsonpath={.metadata.managedFields}']),
    ) as {manager: string; fieldsV1: {'f:spec'?: Record<string, unknown>}}[];
    expect(managers.find((entry) => entry.manager === 'sparc-mesh')!.fieldsV1['f:spec']).toHaveProperty('f:host');
    expect(managers.find((entry) => entry.manager === 'other')?.fieldsV1['f:spec']?.['f:host']).toBeUndefined();
  });

  it('the API server stopped in the middle: the error says what happened; the same command re-run ends in the right state', async () => {
    await kubectl(['create', 'namespace', 'e2e-stop']);
    await kubectl(['create', 'configmap', 'keep-me', '-n', 'e2e-stop', '--from-literal=a=b']);
    const rendered = await onboard({service: 'pay', namespace: 'e2e-stop', mesh: 'istio', allowFrom: ['web']});
    let resume: (() => void) | undefined;
    let applies = 0;
    // The real client; after its third apply has been answered, the API server is stopped.
    const connect = async () => {
      const client = await createKubeClient({kubeconfig: testKubeconfig(), requestTimeoutMs: 3000});
      const wrapped: KubeClient = Object.create(client) as KubeClient;
      wrapped.apply = async (object, options) => {
        const result = await client.apply(object, options);
        if (++applies === 3) resume = pauseApiServer(testKubeconfig());
        return result;
      };
      return wrapped;
    };
    const input = {objects: rendered.objects, service: 'pay', namespace: 'e2e-stop', connection: {},
      mode: 'apply' as const, force: false, restartedAt: 'now'};
    let error: unknown;
    try {
      error = await onboardToCluster(input, {connect, now: Date.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), progress: () => undefined}).catch((
          caught: unknown,
        ) => caught);
    } finally {
      resume?.();
    }
    expect(resume).toBeDefined();
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as Error).message).toMatch(/no answer within 3s/);
    expect((error as Error).message).toMatch(/Rollback incomplete: .*Run the same command again to finish/s);

    await kubectl(['get', '--raw', '/readyz']);
    const rerun = sparc(['onboard', '-s', 'pay', '-n', 'e2e-stop', '-m', 'istio', '--allow-from', 'web', '--no-wait']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const state = await snapshot('e2e-stop');
    for (const object of rendered.objects.filter((item) => item.metadata.namespace === 'e2e-stop')) {
      expect(Object.keys(state)).toContain(`${object.kind}/${object.metadata.name}`);
    }
    expect(Object.keys(state)).toContain('ConfigMap/keep-me');
    const again = sparc(['onboard', '-s', 'pay', '-n', 'e2e-stop', '-m', 'istio', '--allow-from', 'web', '--no-wait']);
    expect(again.stdout).toMatch(/^nothing changed/m);
  });
});

describe('offboard against the cluster', () => {
  it("removes exactly the service's objects, the caller namespace's egress rule included, and leaves the rest untouched", async () => {
    await kubectl(['create', 'namespace', 'e2e-callers']);
    // Caller-side egress rules are written only where the platform baseline egress-isolates the
    // caller's namespace: the config names e2e-callers as a platform namespace.
    const config = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-offboard-')), 'sparc-mesh.yaml');
    writeFileSync(config, 'namespaces: [e2e-off, e2e-callers]\n');
    const onboardArgs = (
      service: string,
    ) => ['onboard', '-s', service, '-n', 'e2e-off', '-m', 'istio', '--allow-from', 'e2e-callers/web', '--no-wait',
      '--config', config];
    expect(sparc(onboardArgs('pay')).status).toBe(0);
    expect(sparc(onboardArgs('cart')).status).toBe(0);
    // Hand-made objects, one even carrying the service label without being managed by sparc-mesh.
    await kubectl(['create', 'configmap', 'hand-made', '-n', 'e2e-off', '--from-literal=a=b']);
    await kubectl(['create', 'serviceaccount', 'pay-helper', '-n', 'e2e-off']);
    await kubectl(['label', 'serviceaccount', 'pay-helper', '-n', 'e2e-off', 'sparc-mesh.io/service=pay']);
    const before = await snapshot('e2e-off');
    const callersBefore = await snapshot('e2e-callers');

    const refused = sparc(['offboard', '-s', 'pay', '-n', 'e2e-off']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const done = sparc(['offboard', '-s', 'pay', '-n', 'e2e-off', '--yes']);
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toContain('NetworkPolicy e2e-callers/allow-egress-to-pay-e2e-off deleted');

    const removed = ['ServiceAccount/pay', 'AuthorizationPolicy/pay-allow-callers', 'NetworkPolicy/pay-allow-callers',
      'DestinationRule/pay', 'VirtualService/pay'];
    const expected = Object.fromEntries(Object.entries(before).filter(([key]) => !removed.includes(key)));
    expect(await snapshot('e2e-off')).toEqual(expected);
    const callersAfter = await snapshot('e2e-callers');
    expect(callersAfter).toEqual(
      Object.fromEntries(
        Object.entries(callersBefore).filter(([key]) => key !== 'NetworkPolicy/allow-egress-to-pay-e2e-off'),
      ),
    );
    expect(callersAfter).toHaveProperty(['NetworkPolicy/allow-egress-to-cart-e2e-off']);

    const again = sparc(['offboard', '-s', 'pay', '-n', 'e2e-off', '--yes']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('nothing to offboard');
  });
});
