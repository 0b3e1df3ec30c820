// `observability setup`: the stack's charts through helm (from their repositories, or from
// --chart-dir archives checked against their pinned sha256), then the mesh wiring, alert rules
// and dashboards by server-side apply. Every chart is rendered by `helm template` and its
// objects checked before anything is written. A re-run changes nothing: a release deployed
// from the same chart version with the same values is left alone, Grafana's Secret is kept
// with its password, and server-side apply of the same objects is a no-op.
import {servedType, type KubeClient, type KubeConnection} from '../../adapters/kube/client.js';
import {generatePassword} from '../../adapters/secrets/password.js';
import {helmReleaseCurrent, helmTemplate, helmUpgradeInstall, type Helm} from '../../adapters/tools/helm.js';
import {summarize, type ApplySummary} from '../../core/apply/results.js';
import {GRAFANA_SECRET} from '../../core/observability/charts.js';
import {LINKERD_NAMESPACE} from '../../core/install/linkerd-install.js';
import {grafanaAdminSecret, ISTIO_PROVIDERS, linkerdProxyTracing,
  linkerdTracingProblem} from '../../core/observability/stack.js';
import {displayName, refOf, type KubeObject} from '../../core/objects.js';
import {PreconditionError} from '../../errors.js';
import {toYamlStream} from '../../ui/manifests.js';
import {applyObjects} from '../apply/apply.js';
import type {ActionDeps} from '../deps.js';
import {VALUES_CONFIGMAP} from '../install/linkerd-certs.js';
import {readStoredValues} from '../install/linkerd-values.js';
import {checkedToolOutput} from '../render-check.js';
import {renderObservability, type ObservabilityRender, type ObservabilityRenderInput,
  type PartRelease} from './render.js';

export interface SetupInput extends ObservabilityRenderInput {
  /** The cluster; absent for a dry run, which asks no cluster. */
  connection?: KubeConnection;
  helm: string;
  /** A directory of packaged charts instead of their repositories. */
  chartDir?: string;
  readinessTimeoutMs: number;
  force: boolean;
}

export interface ReleaseOutcome {
  part: PartRelease['part'];
  release: string;
  namespace: string;
  chart: string;
  version: string;
  appVersion: string;
  action: 'rendered' | 'installed' | 'unchanged';
}

export interface SetupResult {
  mesh: ObservabilityRender['mesh'];
  namespace: string;
  dryRun: boolean;
  releases: ReleaseOutcome[];
  /** The mesh wiring, alert rules and dashboards: applied, or (dry run) what would be. */
  objects: ApplySummary | {rendered: string[]};
  /** Grafana's admin password: made by this run, kept from an earlier one, or not needed. */
  grafanaPassword: 'generated' | 'kept' | 'rendered' | 'none';
  notes: string[];
}

const VALUES_HINT = 'fix the observability settings in sparc-mesh.yaml, or templates/observability/ under --templates';

function helmFor(input: SetupInput, release: PartRelease, onLine?: (line: string) => void): Helm {
  return {binary: input.helm, connection: input.connection ?? {}, charts: input.chartDir ?? release.pin.repository,
    version: release.pin.version, ...(input.chartDir ? {sha256: release.pin.sha256} : {}), onLine};
}

function outcome(release: PartRelease, action: ReleaseOutcome['action']): ReleaseOutcome {
  return {part: release.part, release: release.name, namespace: release.namespace, chart: release.chart,
    version: release.pin.version, appVersion: release.pin.appVersion, action};
}

/** Each release rendered by helm and its objects checked, before anything is written; the manifests, for a dry run. */
async function renderedReleases(input: SetupInput, rendered: ObservabilityRender,
  progress: (line: string) => void): Promise<string[]>
{
  const manifests: string[] = [];
  for (const release of rendered.releases) {
    progress(
      `helm: rendering ${release.name} (chart ${release.chart} ${release.pin.version}) and checking its objects`,
    );
    const manifest = await helmTemplate(helmFor(input, release), release);
    await checkedToolOutput(`chart ${release.chart}`, manifest, VALUES_HINT, true);
    manifests.push(manifest);
  }
  return manifests;
}

function printDryRun(rendered: ObservabilityRender, manifests: readonly string[], out: (text: string) => void): void {
  rendered.releases.forEach((release, index) => {
    out(
      `# helm release ${release.name} in ${release.namespace}: chart ${release.chart} ${release.pin.version}, values:\n`,
    );
    out(toYamlStream([release.values as KubeObject]));
    out(`# helm template ${release.name}:\n${manifests[index]!.trimEnd()}\n---\n`);
  });
  out(toYamlStream([...rendered.objects, ...(rendered.grafanaSecret ? [rendered.grafanaSecret] : [])]));
}

/** The mesh must be there: Istio's Telemetry API, or Linkerd's policy API (Viz needs its control plane). */
async function requireMesh(client: KubeClient, mesh: ObservabilityRender['mesh']): Promise<void> {
  const [apiVersion, kind] = mesh === 'istio'
    ? ['telemetry.istio.io/v1', 'Telemetry']
    : ['policy.linkerd.io/v1beta3', 'Server'];
  if (await servedType(client, apiVersion, kind)) return;
  throw new PreconditionError(
    `${mesh === 'istio' ? 'Istio' : 'Linkerd'} is not installed: the API server does not serve ${kind} (${apiVersion})`,
    `install the mesh first: sparc-mesh install ${mesh}`,
    'MeshNotInstalled',
  );
}

/** Grafana's Secret: an existing one keeps its password (the dashboards' users have it); otherwise a new one. */
async function ensureGrafanaSecret(client: KubeClient, rendered: ObservabilityRender,
  force: boolean): Promise<SetupResult['grafanaPassword']>
{
  if (!rendered.grafanaSecret) return 'none';
  const existing = await client.get(refOf(rendered.grafanaSecret));
  if ((existing?.data as Record<string, string> | undefined)?.[GRAFANA_SECRET.passwordKey]) return 'kept';
  const secret = grafanaAdminSecret(generatePassword(), rendered.platform.observability.namespace);
  await applyObjects(client, {objects: [secret], force, dryRun: false});
  return 'generated';
}

/** Istio's mesh config must declare the providers the Telemetry objects name, or istiod ignores them. */
async function istioProviderNotes(client: KubeClient): Promise<string[]> {
  const meshConfig = await client.get({apiVersion: 'v1', kind: 'ConfigMap', namespace: 'istio-system', name: 'istio'});
  const text = (meshConfig?.data as {mesh?: string} | undefined)?.mesh ?? '';
  const missing = Object.values(ISTIO_PROVIDERS).filter((name) => !text.includes(name));
  return missing.length
    ? [
      `the mesh config (ConfigMap istio-system/istio) declares no extension provider ${
        missing.join(' or ')
      }: run sparc-mesh install istio again so that traces and access logs reach the collector`,
    ]
    : [];
}

/**
 * Linkerd's proxies send their spans to the collector when the control plane's values say so:
 * install linkerd renders them from sparc-mesh.yaml (and upgrade linkerd again), so a control
 * plane installed before it did, or by other means, is named with what to run.
 */
async function linkerdTracingNotes(client: KubeClient, rendered: ObservabilityRender): Promise<string[]> {
  const {observability} = rendered.platform;
  if (!observability.parts.tracing) return [];
  const stored = await readStoredValues(client, LINKERD_NAMESPACE, VALUES_CONFIGMAP);
  if (!stored) {
    return [
      `Linkerd was not installed by sparc-mesh install linkerd (no ConfigMap ${LINKERD_NAMESPACE}/${VALUES_CONFIGMAP}): for its proxies to send spans to the collector, set the control plane chart's values proxy.tracing to ${
        JSON.stringify(linkerdProxyTracing(observability))
      }`,
    ];
  }
  const problem = linkerdTracingProblem(stored.values, observability);
  return problem
    ? [
      `Linkerd's proxies do not send spans to the collector (${problem}): run sparc-mesh upgrade linkerd, which applies the control plane's values from sparc-mesh.yaml and restarts the meshed workloads onto them`,
    ]
    : [];
}

export async function setupObservability(input: SetupInput,
  deps: Pick<ActionDeps, 'connect' | 'progress' | 'out'>): Promise<SetupResult>
{
  const {progress} = deps;
  const rendered = await renderObservability(input);
  const namespace = rendered.platform.observability.namespace;
  const base = {mesh: rendered.mesh, namespace, dryRun: !input.connection};
  const manifests = await renderedReleases(input, rendered, progress);
  if (!input.connection) {
    printDryRun(rendered, manifests, deps.out);
    return {...base, releases: rendered.releases.map((release) => outcome(release, 'rendered')),
      objects: {rendered: rendered.objects.map((object) => displayName(refOf(object)))},
      grafanaPassword: rendered.grafanaSecret ? 'rendered' : 'none', notes: rendered.notes};
  }
  const client = await deps.connect(input.connection);
  await requireMesh(client, rendered.mesh);
  const [namespaceObject, ...rest] = rendered.objects;
  const apply = (objects: readonly KubeObject[]) =>
    applyObjects(client, {objects, force: input.force, dryRun: false,
      onObject: (result) => progress(`${displayName(result.ref)} ${result.action}`)});
  const namespaceApplied = await apply([namespaceObject!]);
  const grafanaPassword = await ensureGrafanaSecret(client, rendered, input.force);
  progress(`Grafana's admin Secret ${namespace}/${GRAFANA_SECRET.name}: ${grafanaPassword}`);

  const releases: ReleaseOutcome[] = [];
  for (const release of rendered.releases) {
    const helm = helmFor(input, release, progress);
    if (await helmReleaseCurrent(helm, release, release.pin.version)) {
      progress(
        `helm: ${release.name} is deployed from ${release.chart} ${release.pin.version} with these values: left as it is`,
      );
      releases.push(outcome(release, 'unchanged'));
      continue;
    }
    progress(`helm: release ${release.name} (chart ${release.chart} ${release.pin.version})`);
    await helmUpgradeInstall(helm, release, {dryRun: false, timeoutMs: input.readinessTimeoutMs});
    releases.push(outcome(release, 'installed'));
  }
  const applied = await apply(rest);
  const objects = summarize([...namespaceApplied.objects, ...applied.objects], applied.notes);
  const notes = [...rendered.notes,
    ...(rendered.mesh === 'istio' ? await istioProviderNotes(client) : await linkerdTracingNotes(client, rendered))];
  return {...base, releases, objects, grafanaPassword, notes};
}
