import {Flags} from '@oclif/core';
import {setupObservability, type SetupResult} from '../../actions/observability/setup.js';
import {BaseCommand} from '../../base/command.js';
import {durationFlag, refuseIgnored, singleConnection} from '../../base/flag-input.js';
import {clusterFlags, forceConflictsFlag, renderInputFlags, waitTimeoutFlag} from '../../base/flags.js';
import {MESHES} from '../../core/config/types.js';
import {OBSERVABILITY_CHARTS} from '../../core/observability/charts.js';

const CHARTS = Object.values(OBSERVABILITY_CHARTS).map((pin) => `${pin.chart}-${pin.version}.tgz`).join(', ');

function summaryOf(result: SetupResult): string {
  const releases = result.releases.map((release) => `${release.release} ${release.action}`).join(', ');
  const objects = 'summary' in result.objects ? result.objects.summary : '';
  return `Observability for ${result.mesh} in ${result.namespace}: releases ${releases}; objects: ${objects}; Grafana password ${result.grafanaPassword}`;
}

export default class ObservabilitySetup extends BaseCommand {
  static override summary =
    'Install metrics, tracing, dashboards and alerts for the mesh: Prometheus and Grafana, Jaeger fed by an OpenTelemetry Collector, Kiali or Linkerd Viz.';
  static override description =
    `Installs through helm kube-prometheus-stack (Prometheus, Alertmanager, Grafana), Jaeger v2 and the OpenTelemetry Collector that feeds it, and Kiali (Istio) or Linkerd Viz (Linkerd) reading the same Prometheus; each chart's values come from templates/observability/values/ and the observability section of sparc-mesh.yaml. Then it server-side applies the mesh wiring (Istio Telemetry per platform namespace: access logs to stdout and the collector, tracing at the configured sampling percentage, metrics; PodMonitor and ServiceMonitor objects for the proxies and the control plane), the alert rules (PrometheusRule: denied requests, plaintext where STRICT mTLS is expected, control plane down, certificates expiring, error-budget burn and p99 latency per service of the catalogue) and the mesh's Grafana dashboards as labelled ConfigMaps.

Grafana's admin password is generated in-process into the Secret grafana-admin, which the chart reads; it is never printed (observability credentials grafana --show shows it). Running it again changes nothing. --dry-run prints each release's values, the objects helm template renders and sparc-mesh's own objects, and asks no cluster. --chart-dir installs from packaged archives (${CHARTS}), each checked against its pinned sha256.`;
  static override examples = [
    {description: 'Preview everything, touching no cluster', command: '<%= config.bin %> <%= command.id %> --dry-run'},
    {description: 'Set up for Linkerd', command: '<%= config.bin %> <%= command.id %> -m linkerd'},
    {description: 'Air-gapped: the charts from a directory',
      command: '<%= config.bin %> <%= command.id %> --chart-dir charts/'},
  ];

  static override flags = {
    mesh: Flags.option({char: 'm', description: "The mesh (default: the config's mesh).", options: MESHES})(),
    'dry-run': Flags.option({description: 'Print the values and objects and change nothing (no cluster is asked).',
      options: ['client'] as const})(),
    'chart-dir': Flags.string({
      description: 'A directory with the packaged charts, for clusters without access to the chart repositories.',
      helpGroup: 'TOOLS',
    }),
    helm: Flags.string({description: 'The helm executable.', default: 'helm', env: 'SPARC_MESH_HELM',
      helpGroup: 'TOOLS'}),
    'wait-timeout': waitTimeoutFlag,
    'force-conflicts': forceConflictsFlag,
    ...clusterFlags,
    ...renderInputFlags,
  };

  public async run(): Promise<SetupResult> {
    const {flags} = await this.parse(ObservabilitySetup);
    const dryRun = flags['dry-run'] === 'client';
    if (dryRun) {
      refuseIgnored(flags, ['kubeconfig', 'context', 'force-conflicts'], 'with --dry-run, which asks no cluster');
    }
    const input = {
      mesh: flags.mesh,
      config: flags.config,
      templates: flags.templates,
      helm: flags.helm,
      chartDir: flags['chart-dir'],
      readinessTimeoutMs: durationFlag(flags['wait-timeout'], 'wait-timeout'),
      force: flags['force-conflicts'],
      ...(dryRun ? {} : {connection: singleConnection(flags, 'observability setup')}),
    };
    const result = dryRun
      // The printed values and manifests are the output: progress lines would break the YAML.
      ? await setupObservability(input, {...this.deps, progress: () => undefined})
      : await this.withProgress('Setting up observability', (deps) => setupObservability(input, deps));
    for (const note of result.notes) this.note(`note: ${note}`);
    if (!dryRun) this.deps.out(`${summaryOf(result)}\n`);
    return result;
  }
}
