// observability setup against a real control plane with the real helm and the offline charts of
// ../shared/charts (--chart-dir, each archive checked against its pinned sha256): the releases,
// Grafana's Secret, the Telemetry, monitors, alert rules and dashboards' ConfigMaps; a second
// run changes no resourceVersion; and the generated password appears in no output of any run
// (table, --json, --dry-run, status, credentials without --show). On a control plane of its
// own: the stack's CRDs, webhooks and cluster roles must not reach the shared cluster. For Linkerd,
// setup -m linkerd on a control plane where install linkerd put Linkerd's charts: Viz on the same
// Prometheus, a re-run, and the proxies' spans sent to the meshed collector (the proxy injector's
// values, and the proxy `linkerd inject --manual` renders from them).
// What kwok cannot do: pods do not run, so the Prometheus Operator never creates the Prometheus
// StatefulSet and nothing answers Prometheus's API (status reports scraping as unknown).
import {join} from 'node:path';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCluster, stopCluster, type ClusterState} from '../cluster/cluster.js';
import {testbinPath, unavailableReason} from '../cluster/testbin.js';
import {cli, REPO, type CliResult} from '../helpers/cli.js';
import {ensureIstioCrds} from './istio-crds.js';
import {installGatewayApi, kubectl, resourceVersions} from './own-cluster.js';

const CHARTS = join(REPO, '..', 'shared', 'charts');
const KINDS = 'deployments,statefulsets,daemonsets,services,configmaps,secrets,serviceaccounts,prometheusrules,'
  + 'podmonitors,servicemonitors,telemetries,prometheuses,alertmanagers,clusterroles,clusterrolebindings,'
  + 'validatingwebhookconfigurations,mutatingwebhookconfigurations,customresourcedefinitions';

function sparc(cluster: ClusterState | undefined, args: string[]): CliResult {
  return cli([...args, ...(cluster ? ['--kubeconfig', cluster.kubeconfig] : [])], {
    env: {SPARC_MESH_HELM: testbinPath('helm'), SPARC_MESH_LINKERD: testbinPath('linkerd')},
    timeoutMs: 900_000,
  });
}

/** Kind/namespace/name → resourceVersion of everything setup could touch. */
const snapshot = (cluster: ClusterState, kinds = KINDS) => resourceVersions(cluster, kinds);

/** Without Istio's CRDs there are no Telemetry objects to list. */
const LINKERD_KINDS = KINDS.replace('telemetries,', '');

interface SetupJson {
  status: number;
  result: {releases: {release: string; action: string}[]; objects: {changed: boolean}; grafanaPassword: string;
    notes: string[]};
}

const unavailable = unavailableReason('helm') ?? unavailableReason('istioctl');

describe.skipIf(unavailable)(`observability setup for Istio${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let cluster: ClusterState;
  const outputs: {name: string; run: CliResult}[] = [];
  const run = (name: string, args: string[], into?: ClusterState) => {
    const result = sparc(into, args);
    outputs.push({name, run: result});
    return result;
  };

  beforeAll(async () => {
    cluster = await startCluster({log: () => undefined});
    await ensureIstioCrds(cluster.kubeconfig);
    // install istio makes the platform's namespaces; the Telemetry objects go into them.
    await kubectl(cluster, ['create', 'namespace', 'sparc']);
  });
  afterAll(async () => {
    if (cluster) await stopCluster(cluster);
  });

  it('--dry-run prints the values, helm template output and its own objects, and asks no cluster', () => {
    const result = run('dry run', ['observability', 'setup', '--dry-run', '--chart-dir', CHARTS]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('# helm release prometheus in monitoring: chart kube-prometheus-stack 88.5.3');
    expect(result.stdout).toContain('existingSecret: grafana-admin');
    expect(result.stdout).toContain('kind: PrometheusRule');
    expect(result.stdout).toContain('<generated in the cluster; sparc-mesh observability credentials grafana --show>');
  });

  it('installs the releases, then applies the Secret, mesh wiring, alert rules and dashboards', async () => {
    const result = run('first setup', ['observability', 'setup', '--chart-dir', CHARTS, '--wait-timeout', '5m'],
      cluster);
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const releases = JSON.parse(
      await execa(testbinPath('helm'), ['list', '-A', '-o', 'json', '--kubeconfig', cluster.kubeconfig]).then((
        listed,
      ) => listed.stdout),
    ) as {
      name: string;
      namespace: string;
      status: string;
      chart: string;
    }[];
    expect(releases.map((release) => [release.name, release.namespace, release.chart, release.status]).sort()).toEqual([
      ['jaeger', 'monitoring', 'jaeger-4.11.1', 'deployed'],
      ['kiali', 'monitoring', 'kiali-server-2.29.0', 'deployed'],
      ['otel-collector', 'monitoring', 'opentelemetry-collector-0.170.0', 'deployed'],
      ['prometheus', 'monitoring', 'kube-prometheus-stack-88.5.3', 'deployed'],
    ]);
    const grafana = JSON.parse(
      await kubectl(cluster, ['get', 'deployment', 'prometheus-grafana', '-n', 'monitoring', '-o', 'json']),
    ) as {spec: {template: {spec: {containers: {env?: {name: string; valueFrom?: unknown}[]}[]}}}};
    const env = grafana.spec.template.spec.containers.flatMap((container) => container.env ?? []);
    expect(env.find((each) => each.name === 'GF_SECURITY_ADMIN_PASSWORD')?.valueFrom).toEqual(
      {secretKeyRef: {name: 'grafana-admin', key: 'admin-password'}},
    );
    expect(await kubectl(cluster, ['get', 'telemetry', '-n', 'sparc', '-o', 'name'])).toBe(
      'telemetry.telemetry.istio.io/sparc-observability',
    );
    expect(
      (await kubectl(cluster, ['get', 'podmonitors,servicemonitors', '-n', 'monitoring', '-o', 'name', '-l',
        'sparc-mesh.io/scope=observability'])).split('\n').sort(),
    ).toEqual([
      'podmonitor.monitoring.coreos.com/istio-proxies',
      'servicemonitor.monitoring.coreos.com/istiod',
    ]);
    const rule = JSON.parse(
      await kubectl(cluster, ['get', 'prometheusrule', 'sparc-mesh-alerts', '-n', 'monitoring', '-o', 'json']),
    ) as {spec: {groups: {rules: {alert: string}[]}[]}};
    expect(rule.spec.groups.flatMap((group) => group.rules.map((each) => each.alert))).toContain(
      'MeshRequestsDeniedByAuthorization',
    );
    expect(
      (await kubectl(cluster, ['get', 'configmaps', '-n', 'monitoring', '-l', 'grafana_dashboard=1', '-o', 'name']))
        .split('\n'),
    ).toEqual(expect.arrayContaining([
      'configmap/dashboard-istio-control-plane',
      'configmap/dashboard-istio-mesh',
      'configmap/dashboard-istio-service',
      'configmap/dashboard-istio-workload',
    ]));
  });

  it('a second run changes nothing: every resourceVersion stays', async () => {
    const before = await snapshot(cluster);
    const result = run('second setup (--json)', ['observability', 'setup', '--chart-dir', CHARTS, '--json'], cluster);
    expect(result.status, result.stderr).toBe(0);
    const second = JSON.parse(result.stdout) as SetupJson;
    expect(second.result.releases.map((release) => release.action)).toEqual(Array(4).fill('unchanged'));
    expect(second.result.objects.changed).toBe(false);
    expect(second.result.grafanaPassword).toBe('kept');
    expect(await snapshot(cluster)).toEqual(before);
  });

  it('status shows each part deployed and Ready, and says why scraping is unknown here', () => {
    const result = run('status', ['observability', 'status', '--json'], cluster);
    expect(result.status, result.stderr).toBe(0);
    const {result: status} = JSON.parse(result.stdout) as {
      result: {parts: {part: string; status: string; ready: number; workloads: number}[];
        scraping: {reachable: boolean}};
    };
    expect(status.parts.map((part) => [part.part, part.status])).toEqual([['metrics', 'deployed'], ['tracing',
      'deployed'], ['collector', 'deployed'], ['kiali', 'deployed']]);
    for (const part of status.parts) expect(part.ready, part.part).toBe(part.workloads);
    expect(status.scraping.reachable).toBe(false);
  });

  it("Grafana's password is in no output but credentials --show", async () => {
    const encoded = await kubectl(cluster, ['get', 'secret', 'grafana-admin', '-n', 'monitoring', '-o',
      'jsonpath={.data.admin-password}']);
    const password = Buffer.from(encoded, 'base64').toString('utf8');
    expect(password).toMatch(/^[\w-]{43}$/);
    run('credentials', ['observability', 'credentials', 'grafana'], cluster);
    run('credentials --json', ['observability', 'credentials', 'grafana', '--json'], cluster);
    run('status (table)', ['observability', 'status'], cluster);
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    for (const {name, run: each} of outputs) {
      expect(each.stdout.includes(password) || each.stderr.includes(password), name).toBe(false);
    }
    const shown = sparc(cluster, ['observability', 'credentials', 'grafana', '--show']);
    expect(shown.stdout).toContain(`password: ${password}`);
  });
});

const linkerdUnavailable = unavailable ?? unavailableReason('linkerd');

/** A Deployment as kubectl or linkerd prints it, down to what these tests read. */
interface PodOwner {
  spec: {
    template: {metadata: {annotations?: Record<string, string>}; spec: {serviceAccountName?: string} & Containers};
  };
}

type Container = {name: string; env?: {name: string; value?: string}[]};
type Containers = {containers: Container[]; initContainers?: Container[]};

/** The environment of a pod template's linkerd-proxy container (a native sidecar, by default: an init container), by name. */
function proxyEnv(owner: PodOwner): Record<string, string | undefined> {
  const {containers, initContainers = []} = owner.spec.template.spec;
  const proxy = [...initContainers, ...containers].find((container) => container.name === 'linkerd-proxy');
  return Object.fromEntries((proxy?.env ?? []).map((each) => [each.name, each.value]));
}

describe.skipIf(linkerdUnavailable)(
  `observability setup for Linkerd${linkerdUnavailable ? ` (skipped: ${linkerdUnavailable})` : ''}`,
  () => {
    let cluster: ClusterState;
    let setupNotes: string[] = [];
    beforeAll(async () => {
      cluster = await startCluster({log: () => undefined});
      // Linkerd as install linkerd puts it (under kwok its pods are Ready with nothing running in them).
      await installGatewayApi(cluster);
      const installed = sparc(cluster, ['install', 'linkerd', '--chart-dir', CHARTS, '--wait-timeout', '3m']);
      expect(installed.status, installed.stderr + installed.stdout).toBe(0);
    });
    afterAll(async () => {
      if (cluster) await stopCluster(cluster);
    });

    it('installs Linkerd Viz on the same Prometheus, the monitors and Linkerd dashboards; a re-run changes nothing',
      async () => {
        const first = sparc(cluster, ['observability', 'setup', '-m', 'linkerd', '--chart-dir', CHARTS, '--json']);
        expect(first.status, first.stderr + first.stdout).toBe(0);
        const {result} = JSON.parse(first.stdout) as SetupJson;
        expect(result.releases.map((release) => `${release.release}:${release.action}`)).toEqual([
          'prometheus:installed',
          'jaeger:installed',
          'otel-collector:installed',
          'linkerd-viz:installed',
        ]);
        const viz = JSON.parse(
          await execa(testbinPath('helm'), ['get', 'values', 'linkerd-viz', '-n', 'linkerd-viz', '-o', 'json',
            '--kubeconfig', cluster.kubeconfig]).then((got) => got.stdout),
        ) as Record<string, unknown>;
        expect(viz).toMatchObject({prometheus: {enabled: false},
          prometheusUrl: 'http://prometheus-kube-prometheus-prometheus.monitoring.svc:9090'});
        expect(
          (await kubectl(cluster, ['get', 'podmonitors', '-n', 'monitoring', '-o', 'name', '-l',
            'sparc-mesh.io/scope=observability'])).split('\n').sort(),
        ).toEqual([
          'podmonitor.monitoring.coreos.com/linkerd-control-plane',
          'podmonitor.monitoring.coreos.com/linkerd-proxies',
        ]);
        expect(
          await kubectl(cluster, ['get', 'configmap', 'dashboard-linkerd-top-line', '-n', 'monitoring', '-o',
            'jsonpath={.metadata.labels.grafana_dashboard}']),
        ).toBe('1');

        const before = await snapshot(cluster, LINKERD_KINDS);
        const second = sparc(cluster, ['observability', 'setup', '-m', 'linkerd', '--chart-dir', CHARTS, '--json']);
        expect(second.status, second.stderr).toBe(0);
        const again = (JSON.parse(second.stdout) as SetupJson).result;
        expect(again.releases.map((release) => release.action)).toEqual(Array(4).fill('unchanged'));
        setupNotes = [...result.notes, ...again.notes];
        expect(await snapshot(cluster, LINKERD_KINDS)).toEqual(before);
      });

    it("sends the proxies' spans to the collector, meshed under the identity they expect", async () => {
      const endpoint = 'otel-collector.monitoring.svc.cluster.local:4317';
      const identity = 'otel-collector.monitoring.serviceaccount.identity.linkerd.cluster.local';
      // Nothing to fix: install linkerd already rendered the values setup checks.
      expect(setupNotes.filter((note) => note.includes('spans'))).toEqual([]);
      // The proxy injector's configuration: the values in linkerd-config, which it injects every proxy from.
      const injectorValues = yaml.load(
        await kubectl(cluster, ['get', 'configmap', 'linkerd-config', '-n', 'linkerd', '-o',
          'jsonpath={.data.values}']),
      ) as {proxy: {tracing: unknown}};
      expect(injectorValues.proxy.tracing).toMatchObject({enabled: true,
        collector: {endpoint, meshIdentity: {serviceAccountName: 'otel-collector', namespace: 'monitoring'}}});
      // A proxy injected from that configuration (linkerd inject --manual reads it from the cluster, as the injector does).
      const workload = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'shop', namespace: 'default'},
        spec: {selector: {matchLabels: {app: 'shop'}},
          template: {metadata: {labels: {app: 'shop'}},
            spec: {containers: [{name: 'shop', image: 'registry.example/shop:1'}]}}}};
      const injected = await execa(testbinPath('linkerd'), ['inject', '--manual', '-o', 'json', '--kubeconfig',
        cluster.kubeconfig, '-'], {input: JSON.stringify(workload)});
      expect(proxyEnv(JSON.parse(injected.stdout) as PodOwner)).toMatchObject({
        LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR: endpoint,
        LINKERD2_PROXY_TRACE_COLLECTOR_SVC_NAME: identity,
      });
      // The control plane's own proxies, as helm rendered them.
      const destination = JSON.parse(
        await kubectl(cluster, ['get', 'deployment', 'linkerd-destination', '-n', 'linkerd', '-o', 'json']),
      ) as PodOwner;
      expect(proxyEnv(destination).LINKERD2_PROXY_TRACE_COLLECTOR_SVC_ADDR).toBe(endpoint);
      // The collector is meshed, serving as that ServiceAccount.
      const collector = JSON.parse(
        await kubectl(cluster, ['get', 'deployment', 'otel-collector', '-n', 'monitoring', '-o', 'json']),
      ) as PodOwner;
      expect(collector.spec.template.metadata.annotations?.['linkerd.io/inject']).toBe('enabled');
      expect(collector.spec.template.spec.serviceAccountName).toBe('otel-collector');
    });

    it('names what to run when the installed values do not send spans to the collector (Linkerd installed before)',
      async () => {
        const kept = yaml.load(
          await kubectl(cluster, ['get', 'configmap', 'sparc-mesh-linkerd-values', '-n', 'linkerd', '-o',
            'jsonpath={.data.values\\.yaml}']),
        ) as {proxy: Record<string, unknown>};
        delete kept.proxy.tracing;
        await kubectl(cluster, ['patch', 'configmap', 'sparc-mesh-linkerd-values', '-n', 'linkerd', '--type', 'merge',
          '-p', JSON.stringify({data: {'values.yaml': yaml.dump(kept)}})]);
        const run = sparc(cluster, ['observability', 'setup', '-m', 'linkerd', '--chart-dir', CHARTS, '--json']);
        expect(run.status, run.stderr).toBe(0);
        expect((JSON.parse(run.stdout) as SetupJson).result.notes).toContain(
          "Linkerd's proxies do not send spans to the collector (proxy.tracing.enabled is not true): run sparc-mesh upgrade linkerd, which applies the control plane's values from sparc-mesh.yaml and restarts the meshed workloads onto them",
        );
      });
  },
);
