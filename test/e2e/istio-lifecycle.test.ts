// install istio, upgrade between two revisions and roll back, with the real istioctl against
// a control plane of this file's own: an installed Istio puts its injection webhooks in
// front of every pod of an injected namespace, and no istiod runs under kwok to answer
// them, so the shared cluster of the other e2e files must not see it. The workloads here
// carry `sidecar.istio.io/inject: "false"`, which Istio's webhooks select out: their pods are
// created and restarted for real without a webhook call.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCluster, stopCluster, type ClusterState} from '../cluster/cluster.js';
import {testbinPath} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';

const ISTIOCTL = testbinPath('istioctl');
const KINDS =
  'customresourcedefinitions,clusterroles,clusterrolebindings,mutatingwebhookconfigurations,validatingwebhookconfigurations,'
  + 'namespaces,deployments,services,serviceaccounts,configmaps,networkpolicies';

let cluster: ClusterState;

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], {input,
    reject: false, all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

function sparc(args: string[], options: {kubeconfig?: string; waitTimeout?: string} = {}) {
  return cli([...args, '--kubeconfig', options.kubeconfig ?? cluster.kubeconfig, '--wait-timeout',
    options.waitTimeout ?? '2m'], {env: {SPARC_MESH_ISTIOCTL: ISTIOCTL}});
}

/** Kind/namespace/name → resourceVersion of everything install or upgrade could touch. */
async function snapshot(): Promise<Record<string, string>> {
  const list = JSON.parse(await kubectl(['get', KINDS, '-A', '-o', 'json'])) as {
    items: {kind: string; metadata: {namespace?: string; name: string; resourceVersion: string}}[];
  };
  return Object.fromEntries(
    list.items.map((
      item,
    ) => [`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`, item.metadata.resourceVersion]),
  );
}

async function namespaceLabels(name: string): Promise<Record<string, string>> {
  return (JSON.parse(await kubectl(['get', 'namespace', name, '-o', 'json'])) as {
    metadata: {labels: Record<string, string>};
  }).metadata.labels;
}

async function istiodRevisions(): Promise<string[]> {
  const list = JSON.parse(await kubectl(['get', 'deployments', '-A', '-l', 'app=istiod', '-o', 'json'])) as {
    items: {metadata: {labels: Record<string, string>}}[];
  };
  return list.items.map((item) => item.metadata.labels['istio.io/rev']!).sort();
}

/** A kubeconfig for a ServiceAccount with no permissions at all: the same server, a token user. */
async function unprivilegedKubeconfig(): Promise<string> {
  await kubectl(['create', 'serviceaccount', 'nobody', '-n', 'default']);
  const token = (await kubectl(['create', 'token', 'nobody', '-n', 'default'])).trim();
  const config = yaml.load(await kubectl(['config', 'view', '--raw'])) as {
    users: {name: string; user: Record<string, unknown>}[];
  };
  config.users = config.users.map((user) => ({name: user.name, user: {token}}));
  const file = join(cluster.workDir, 'nobody.kubeconfig');
  writeFileSync(file, yaml.dump(config), {mode: 0o600});
  return file;
}

/** A Deployment of one replica; `injected` pods go through Istio's webhooks. */
function workload(namespace: string, injected: boolean) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', namespace},
    spec: {replicas: 1, selector: {matchLabels: {app: 'web'}}, template: {
      metadata: {labels: {app: 'web', ...(injected ? {} : {'sidecar.istio.io/inject': 'false'})}},
      spec: {containers: [{name: 'web', image: 'registry.example/web:1'}]},
    }},
  };
}

async function injectedNamespace(name: string, injected: boolean): Promise<void> {
  await kubectl(['create', 'namespace', name]);
  await kubectl(['label', 'namespace', name, 'istio-injection=enabled']);
  await kubectl(['apply', '-f', '-'], JSON.stringify(workload(name, injected)));
  await kubectl(['rollout', 'status', 'deployment/web', '-n', name, '--timeout=120s']);
}

/** Lets pods through the injector webhooks installed so far, as a running istiod would answer them. */
async function injectorAnswers(): Promise<void> {
  const list = JSON.parse(await kubectl(['get', 'mutatingwebhookconfigurations', '-o', 'json'])) as {
    items: {metadata: {name: string}; webhooks: unknown[]}[];
  };
  for (const item of list.items) {
    const patch = item.webhooks.map((_, index) => ({op: 'replace', path: `/webhooks/${index}/failurePolicy`,
      value: 'Ignore'})
    );
    await kubectl(['patch', 'mutatingwebhookconfiguration', item.metadata.name, '--type=json', '-p',
      JSON.stringify(patch)]);
  }
}

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  if (cluster) await stopCluster(cluster);
});

describe('install istio against the cluster', () => {
  it('refuses a caller without the permissions, naming them, and changes nothing', async () => {
    const kubeconfig = await unprivilegedKubeconfig();
    const before = await snapshot();
    const result = sparc(['install', 'istio'], {kubeconfig});
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('pre-check');
    expect(result.stderr).toMatch(
      /permissions: the caller may not create customresourcedefinitions\.apiextensions\.k8s\.io \(cluster-wide\)/,
    );
    expect(result.stderr).toContain('nothing was changed');
    expect(await snapshot()).toEqual(before);
  });

  it("--dry-run=server runs the pre-checks and istioctl's dry run and writes nothing", async () => {
    const before = await snapshot();
    const result = sparc(['install', 'istio', '--dry-run=server', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const cluster = JSON.parse(result.stdout).result.cluster as {mode: string; prechecks: {name: string; ok: boolean}[];
      baseline: {notes: string[]}};
    expect(cluster.mode).toBe('server-dry-run');
    expect(cluster.prechecks.map((check) => [check.name, check.ok])).toEqual([['kubernetes-version', true], [
      'permissions',
      true,
    ], ['existing-install', true]]);
    expect(cluster.baseline.notes.join('\n')).toContain(
      'their CRDs come with the control plane: PeerAuthentication istio-system/default',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('installs the control plane with istioctl, then the baseline; a second run leaves the baseline unchanged', async () => {
    const first = sparc(['install', 'istio', '--json']);
    expect(first.status, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout).result.cluster as {version: string; revision: string;
      baseline: {summary: string}};
    expect(result).toMatchObject({version: '1.30.4-dev', revision: 'default'});
    expect(result.baseline.summary).toMatch(/^\d+ created$/);
    expect(await istiodRevisions()).toEqual(['default']);
    const peer = JSON.parse(
      await kubectl(['get', 'peerauthentication', 'default', '-n', 'istio-system', '-o', 'json']),
    );
    expect(peer.spec.mtls.mode).toBe('STRICT');
    expect(peer.metadata.labels['app.kubernetes.io/managed-by']).toBe('sparc-mesh');

    const second = sparc(['install', 'istio']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/baseline: nothing changed \(\d+ unchanged\)/);
  });

  it('then onboards a service into the installed mesh; onboarding again changes nothing', () => {
    const onboard = ['onboard', '-s', 'pay', '-n', 'payments', '-m', 'istio', '--allow-from', 'web', '--no-wait'];
    const first = sparc(onboard);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^\d+ created/m);
    const again = sparc(onboard);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^nothing changed \(\d+ unchanged\)$/m);
  });
});

describe('upgrade istio between two revisions', () => {
  beforeAll(async () => {
    await injectedNamespace('shop', false);
  });

  it('refuses a jump Istio does not support, and changes nothing', async () => {
    const before = await snapshot();
    const result = sparc(['upgrade', 'istio', '--to', '1.33.0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'Istio does not support upgrading by revision from 1.30 to 1.33 (at most 2 minor versions at a time)',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('plans the steps from what the cluster runs, without doing them', async () => {
    const before = await snapshot();
    const result = sparc(['upgrade', 'plan', 'istio', '--to', '1.30.4-dev', '--revision', 'canary', '--keep-previous']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('From revision default (Istio 1.30.4-dev) to revision canary:');
    expect(result.stdout).toContain('point namespace shop at revision canary (was default)');
    expect(result.stdout).not.toContain('remove revision default');
    expect(await snapshot()).toEqual(before);
  });

  it('installs the new revision, moves and restarts the namespaces; --rollback goes back and removes it', async () => {
    const upgrade = sparc(['upgrade', 'istio', '--to', '1.30.4-dev', '--revision', 'canary', '--keep-previous']);
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(await istiodRevisions()).toEqual(['canary', 'default']);
    expect(await namespaceLabels('shop')).toMatchObject({'istio.io/rev': 'canary'});
    expect(await namespaceLabels('shop')).not.toHaveProperty('istio-injection');
    const restarted = JSON.parse(await kubectl(['get', 'deployment', 'web', '-n', 'shop', '-o', 'json']));
    expect(restarted.spec.template.metadata.annotations).toHaveProperty(['sparc-mesh.io/restartedAt']);
    expect(restarted.status.updatedReplicas).toBe(1);

    const rollback = sparc(['upgrade', 'istio', '--rollback']);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(await istiodRevisions()).toEqual(['default']);
    expect(await namespaceLabels('shop')).toMatchObject({'istio-injection': 'enabled'});
    expect(await namespaceLabels('shop')).not.toHaveProperty('istio.io/rev');
  });

  it('when the new revision cannot inject, the namespaces go back to the old one, restarted, and the new revision stays for --rollback', async () => {
    // The default revision's injector answers; the canary's will not (no istiod behind it, failurePolicy Fail).
    await injectorAnswers();
    await injectedNamespace('legacy', true);
    const upgrade = sparc(['upgrade', 'istio', '--to', '1.30.4-dev', '--revision', 'canary'], {waitTimeout: '15s'});
    expect(upgrade.status).toBe(1);
    expect(upgrade.stderr).toContain('upgrade istio failed at step');
    expect(upgrade.stderr).toContain('Deployment legacy/web');
    expect(upgrade.stderr).toMatch(
      /Namespaces [a-z, ]*legacy[a-z, ]* were moved back to revision default and restarted/,
    );
    expect(upgrade.stderr).toContain('upgrade istio --rollback --revision canary');
    for (const namespace of ['shop', 'legacy']) {
      expect(await namespaceLabels(namespace)).toMatchObject({'istio-injection': 'enabled'});
      expect(await namespaceLabels(namespace)).not.toHaveProperty('istio.io/rev');
    }
    expect(await istiodRevisions()).toEqual(['canary', 'default']);
    // The same command again would continue from there: its plan starts from the old revision.
    const again = sparc(['upgrade', 'plan', 'istio', '--to', '1.30.4-dev', '--revision', 'canary']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('From revision default (Istio 1.30.4-dev) to revision canary:');

    const rollback = sparc(['upgrade', 'istio', '--rollback', '--revision', 'canary']);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(await istiodRevisions()).toEqual(['default']);
    await kubectl(['delete', 'namespace', 'legacy', '--wait=false']); // being deleted: the next upgrade leaves it alone
  });

  it('without --keep-previous the old revision is removed at the end', async () => {
    const upgrade = sparc(['upgrade', 'istio', '--to', '1.30.4-dev', '--revision', 'canary']);
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(await istiodRevisions()).toEqual(['canary']);
    expect(await namespaceLabels('shop')).toMatchObject({'istio.io/rev': 'canary'});
    const rollback = sparc(['upgrade', 'istio', '--rollback']);
    expect(rollback.status).toBe(1);
    expect(rollback.stderr).toContain('--rollback needs both revisions installed');
  });
});
