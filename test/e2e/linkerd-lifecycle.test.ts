// install linkerd (Linkerd's charts through the real helm, and the real linkerd binary's own
// manifests), linkerd check as rows, and onboard/offboard of a Linkerd service, each install
// on a control plane of its own: Linkerd's webhooks take every pod and policy object of a
// cluster and nothing serves them under kwok, so the shared cluster must not see them (the
// smoke test has a Linkerd of its own there, too). The charts are the offline copies in
// ../shared/charts (--chart-dir), as an air-gapped cluster would use them.
import {cpSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCluster, stopCluster, type ClusterState} from '../cluster/cluster.js';
import {testbinPath, unavailableReason} from '../cluster/testbin.js';
import {goPin} from '../cluster/versions.js';
import {moduleDir} from '../../scripts/schemas/go.js';
import {cli, REPO} from '../helpers/cli.js';
import {kubectl, resourceVersions} from './own-cluster.js';

const CHARTS = join(REPO, '..', 'shared', 'charts');
const KINDS =
  'customresourcedefinitions,clusterroles,clusterrolebindings,mutatingwebhookconfigurations,validatingwebhookconfigurations,'
  + 'namespaces,deployments,services,serviceaccounts,configmaps,secrets,networkpolicies';

function sparc(cluster: ClusterState, args: string[]) {
  const waits = args[0] !== 'offboard';
  return cli([...args, '--kubeconfig', cluster.kubeconfig, ...(waits ? ['--wait-timeout', '3m'] : [])], {
    env: {SPARC_MESH_HELM: testbinPath('helm'), SPARC_MESH_LINKERD: testbinPath('linkerd')},
  });
}

/** Kind/namespace/name → resourceVersion of everything install could touch. */
const snapshot = (cluster: ClusterState, kinds = KINDS) => resourceVersions(cluster, kinds);

/** Linkerd's routes build on the Gateway API: the pinned release's standard channel, from the Go module cache. */
async function installGatewayApi(cluster: ClusterState): Promise<void> {
  const gatewayApi = goPin('gatewayApi');
  await kubectl(cluster, ['apply', '--server-side', '-f',
    join(moduleDir(gatewayApi.module, gatewayApi.version), 'config/crd/standard')]);
  // The API server writes each CRD's status once it is served: before, resourceVersions still move.
  await kubectl(cluster, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
}

/**
 * `linkerd install` refuses a cluster with no EndpointSlice at all, and here the `kubernetes`
 * Service has none (the API server advertises a loopback address): a Service with a selector
 * gets one from the EndpointSlice controller.
 */
async function ensureEndpointSlice(cluster: ClusterState): Promise<void> {
  await kubectl(cluster, ['create', 'service', 'clusterip', 'endpoints-for-linkerd', '--tcp=80', '-n', 'default']);
  await kubectl(cluster, ['wait', '--for=create', 'endpointslice', '-l',
    'kubernetes.io/service-name=endpoints-for-linkerd', '-n', 'default', '--timeout=60s']);
}

interface InstallJson {
  status: number;
  result: {cluster: {
    method: string;
    prechecks: {name: string; ok: boolean}[];
    controlPlane: {changed: boolean};
    baseline: {changed: boolean};
    check: {success: boolean; rows: {category: string; name: string; status: string; error?: string; hint?: string}[]};
  }};
}

function installed(cluster: ClusterState, extra: string[]): InstallJson {
  const result = sparc(cluster, ['install', 'linkerd', '--json', ...extra]);
  expect(result.status, result.stderr + result.stdout).toBe(0);
  return JSON.parse(result.stdout) as InstallJson;
}

/** The checks that must pass under the test cluster: CRDs, identity, control-plane pods, webhooks. */
function expectControlPlaneChecksPass(check: InstallJson['result']['cluster']['check']): void {
  const statuses = (
    category: string,
  ) => [...new Set(check.rows.filter((row) => row.category === category).map((row) => row.status))];
  for (const category of ['linkerd-existence', 'linkerd-config', 'linkerd-identity',
    'linkerd-webhooks-and-apisvc-tls']) expect(statuses(category), category).toEqual(['ok']);
  const row = (name: string) => check.rows.find((each) => each.name === name)?.status;
  expect(row('control plane CustomResourceDefinitions exist')).toBe('ok');
  expect(row('issuer cert is issued by the trust anchor')).toBe('ok');
  expect(row('control plane pods are ready')).toBe('ok');
  // What cannot pass here (versioncheck.linkerd.io is out of reach) is reported with linkerd's reason and hint, not hidden.
  const notOk = check.rows.filter((each) => each.status !== 'ok');
  expect(notOk.length).toBeGreaterThan(0);
  for (const each of notOk) {
    expect(each.error, each.name).toBeTruthy();
    expect(each.hint, each.name).toMatch(/^https:\/\/linkerd\.io\//);
  }
}

const linkerdUnavailable = unavailableReason('linkerd') ?? unavailableReason('helm');

describe.skipIf(linkerdUnavailable)(
  `install linkerd with Linkerd's charts${linkerdUnavailable ? ` (skipped: ${linkerdUnavailable})` : ''}`,
  () => {
    let cluster: ClusterState;
    beforeAll(async () => {
      cluster = await startCluster({log: () => undefined});
    });
    afterAll(async () => {
      if (cluster) await stopCluster(cluster);
    });

    it('refuses a cluster without the Gateway API CRDs, naming the pre-check, and changes nothing', async () => {
      const before = await snapshot(cluster);
      const result = sparc(cluster, ['install', 'linkerd', '--chart-dir', CHARTS]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/pre-check.* failed; nothing was changed/);
      expect(result.stderr).toContain('gateway-api: Linkerd needs the Gateway API CRDs');
      expect(await snapshot(cluster)).toEqual(before);
    });

    it('--dry-run=server runs the pre-checks (with linkerd check --pre) and the dry runs, and writes nothing', async () => {
      await installGatewayApi(cluster);
      const before = await snapshot(cluster);
      const result = sparc(cluster, ['install', 'linkerd', '--chart-dir', CHARTS, '--dry-run=server', '--json']);
      expect(result.status, result.stderr).toBe(0);
      const {cluster: dryRun} = (JSON.parse(result.stdout) as {
        result: {cluster: {mode: string; preCheck: {status: string}[]; prechecks: {name: string; ok: boolean}[]}};
      }).result;
      expect(dryRun.mode).toBe('server-dry-run');
      expect(dryRun.prechecks.map((check) => check.name)).toEqual(['kubernetes-version', 'gateway-api', 'permissions',
        'existing-install', 'linkerd-check-pre']);
      expect(dryRun.preCheck.filter((row) => row.status === 'ok').length).toBeGreaterThan(5);
      expect(await snapshot(cluster)).toEqual(before);
    });

    it('refuses a chart value of the wrong type before anything is applied', async () => {
      const templates = join(cluster.workDir, 'templates');
      cpSync(join(REPO, 'templates'), templates, {recursive: true});
      const file = join(templates, 'linkerd', 'control-plane.yaml');
      writeFileSync(file,
        readFileSync(file, 'utf8').replace('values.yaml: "{{ controlPlane.linkerdValuesYaml }}"',
          'values.yaml: |\n    controllerReplicas: three\n    identityTrustDomain: cluster.local'));
      const before = await snapshot(cluster);
      const result = sparc(cluster, ['install', 'linkerd', '--chart-dir', CHARTS, '--templates', templates]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'chart linkerd-control-plane with these values renders objects that fail their schemas',
      );
      expect(result.stderr).toContain(
        'Deployment linkerd/linkerd-identity: spec.replicas: must be an integer, got string "three"',
      );
      expect(await snapshot(cluster)).toEqual(before);
    });

    it('installs CRDs, identity, control plane and baseline, and reports linkerd check as rows', async () => {
      const {result, status} = installed(cluster, ['--chart-dir', CHARTS]);
      expect(status).toBe(0);
      expect(result.cluster.method).toBe('helm');
      expect(result.cluster.prechecks.every((check) => check.ok)).toBe(true);
      expect(result.cluster.controlPlane.changed).toBe(true);
      expectControlPlaneChecksPass(result.cluster.check);
      const releases = JSON.parse(
        (await execa(testbinPath('helm'), ['list', '-n', 'linkerd', '-o', 'json', '--kubeconfig', cluster.kubeconfig]))
          .stdout,
      ) as {name: string; status: string; chart: string}[];
      expect(releases.map((release) => `${release.chart} ${release.status}`).sort()).toEqual([
        'linkerd-control-plane-2026.8.3 deployed',
        'linkerd-crds-2026.8.3 deployed',
      ]);
      // The issuer is the one sparc-mesh generated: its key is in the Secret, and never printed.
      const key = Buffer.from(
        await kubectl(cluster, ['get', 'secret', 'linkerd-identity-issuer', '-n', 'linkerd', '-o',
          'jsonpath={.data.tls\\.key}']),
        'base64',
      ).toString();
      expect(key).toContain('PRIVATE KEY');
      expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
    });

    it('prints linkerd check as a table', () => {
      const result = sparc(cluster, ['install', 'linkerd', '--chart-dir', CHARTS]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^CATEGORY +CHECK +STATUS +DETAIL$/m);
      expect(result.stdout).toMatch(/^linkerd-identity +issuer cert is issued by the trust anchor +ok$/m);
      expect(result.stdout).toMatch(
        /^linkerd-version +can determine the latest version +warning +.+ — see https:\/\/linkerd\.io\//m,
      );
    });

    it("a re-run keeps the cluster's identity and changes nothing", async () => {
      const before = await snapshot(cluster);
      const {result} = installed(cluster, ['--chart-dir', CHARTS]);
      expect(result.cluster.controlPlane.changed).toBe(false);
      expect(result.cluster.baseline.changed).toBe(false);
      expect(await snapshot(cluster)).toEqual(before);
    });

    describe("onboard and offboard a Linkerd service, against the installed control plane's CRDs", () => {
      const SERVICE_KINDS =
        'serviceaccounts,networkpolicies,servers.policy.linkerd.io,meshtlsauthentications.policy.linkerd.io,'
        + 'authorizationpolicies.policy.linkerd.io,httproutes.gateway.networking.k8s.io,deployments';
      const onboardArgs = ['-s', 'player', '-n', 'sparc', '-m', 'linkerd', '--profile', 'video', '--allow-from',
        'api-gateway'];

      it('--dry-run=server and --diff write nothing', async () => {
        const before = await snapshot(cluster, SERVICE_KINDS);
        const dryRun = sparc(cluster, ['onboard', ...onboardArgs, '--dry-run=server']);
        expect(dryRun.status, dryRun.stderr).toBe(0);
        expect(dryRun.stdout).toMatch(/Server sparc\/player-http created \(server dry run\)/);
        const diff = sparc(cluster, ['onboard', ...onboardArgs, '--diff']);
        expect(diff.status, diff.stderr).toBe(0);
        expect(diff.stdout).toContain('kind: AuthorizationPolicy');
        expect(await snapshot(cluster, SERVICE_KINDS)).toEqual(before);
      });

      it("onboards: Linkerd's policy objects and route accepted, the injected Deployment restarted; a second run changes nothing", async () => {
        await kubectl(cluster, ['create', 'deployment', 'player', '--image=registry.example/player:1', '-n', 'sparc']);
        const first = sparc(cluster, ['onboard', ...onboardArgs, '--json']);
        expect(first.status, first.stderr).toBe(0);
        const applied = (JSON.parse(first.stdout) as {
          result: {cluster: {objects: {ref: {kind: string}; action: string}[]; restarted: unknown[]}};
        }).result.cluster;
        const created = applied.objects.filter((object) => object.action === 'created').map((object) =>
          object.ref.kind
        );
        expect(created).toEqual(
          expect.arrayContaining(['Server', 'MeshTLSAuthentication', 'AuthorizationPolicy', 'HTTPRoute',
            'NetworkPolicy']),
        );
        expect(applied.restarted).toHaveLength(1);
        const annotations = JSON.parse(
          await kubectl(cluster, ['get', 'namespace', 'sparc', '-o', 'jsonpath={.metadata.annotations}']),
        ) as Record<string, string>;
        expect(annotations['linkerd.io/inject']).toBe('enabled');
        const template = JSON.parse(
          await kubectl(cluster, ['get', 'deployment', 'player', '-n', 'sparc', '-o',
            'jsonpath={.spec.template.metadata.annotations}']),
        ) as Record<string, string>;
        expect(Object.keys(template)).toContain('sparc-mesh.io/restartedAt');

        const before = await snapshot(cluster, SERVICE_KINDS);
        const second = sparc(cluster, ['onboard', ...onboardArgs]);
        expect(second.status, second.stderr).toBe(0);
        expect(second.stdout).toMatch(/^nothing changed \(\d+ unchanged\)$/m);
        expect(await snapshot(cluster, SERVICE_KINDS)).toEqual(before);
      });

      // offboard finds objects through KubeClient.discover, which must read every served version:
      // Linkerd serves MeshTLSAuthentication and AuthorizationPolicy in v1alpha1 only, beside v1beta3.
      it("offboards: the service's objects are gone, the Deployment and the namespace baseline stay", async () => {
        const result = sparc(cluster, ['offboard', '-s', 'player', '-n', 'sparc', '--yes']);
        expect(result.status, result.stderr).toBe(0);
        const left = await snapshot(cluster, SERVICE_KINDS);
        expect(Object.keys(left).filter((key) => key.includes('player') && !key.startsWith('Deployment/'))).toEqual([]);
        expect(Object.keys(left)).toEqual(
          expect.arrayContaining(['Deployment/sparc/player', 'NetworkPolicy/sparc/default-deny']),
        );
      });
    });
  },
);

describe.skipIf(linkerdUnavailable)(
  `install linkerd --method cli${linkerdUnavailable ? ` (skipped: ${linkerdUnavailable})` : ''}`,
  () => {
    let cluster: ClusterState;
    beforeAll(async () => {
      cluster = await startCluster({log: () => undefined});
      await installGatewayApi(cluster);
      await ensureEndpointSlice(cluster);
    });
    afterAll(async () => {
      if (cluster) await stopCluster(cluster);
    });

    it("applies the linkerd binary's CRDs and control plane, HA, and a re-run changes nothing", async () => {
      const {result} = installed(cluster, ['--method', 'cli', '--ha']);
      expect(result.cluster.method).toBe('cli');
      expectControlPlaneChecksPass(result.cluster.check);
      expect(
        await kubectl(cluster, ['get', 'deployment', 'linkerd-destination', '-n', 'linkerd', '-o',
          'jsonpath={.spec.replicas}']),
      ).toBe('3');
      // Field manager sparc-mesh: server-side apply, not helm.
      expect(await kubectl(cluster, ['get', 'secrets', '-n', 'linkerd', '-l', 'owner=helm', '-o', 'name'])).toBe('');

      const before = await snapshot(cluster);
      const again = installed(cluster, ['--method', 'cli', '--ha']).result.cluster;
      expect(again.controlPlane.changed).toBe(false);
      expect(await snapshot(cluster)).toEqual(before);
    });
  },
);
