import {Flags} from '@oclif/core';
import {observabilityStatus, type StatusResult} from '../../actions/observability/status.js';
import {BaseCommand} from '../../base/command.js';
import {singleConnection} from '../../base/flag-input.js';
import {clusterFlags, renderInputFlags} from '../../base/flags.js';
import {MESHES} from '../../core/config/types.js';
import {PART_COLUMNS, partRows, scrapingLines} from '../../core/observability/status.js';
import {EXIT} from '../../errors.js';
import {renderColumns} from '../../ui/columns.js';

export default class ObservabilityStatus extends BaseCommand {
  static override summary =
    'Show each part of the observability stack: its chart and app version, whether it is Ready, and whether Prometheus scrapes the mesh.';
  static override description =
    `One row per part that observability setup installs for the mesh (kube-prometheus-stack, Jaeger, the OpenTelemetry Collector, Kiali or Linkerd Viz): the helm release, its chart and app version as helm reports them, its status, and how many of its Deployments, StatefulSets and DaemonSets are Ready. Then, asked of a ready Prometheus pod through the API server's port-forward (as observability dashboard prometheus reaches it), how many targets of each mesh scrape job are up and down; when Prometheus cannot be asked, scraping is reported unknown with the reason.

Exit codes: 0 when every part is deployed and Ready; 1 otherwise, or when the cluster cannot be read; 2 bad usage.`;
  static override examples = [
    {description: 'The table', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'For a script', command: '<%= config.bin %> <%= command.id %> --json'},
  ];

  static override flags = {
    mesh: Flags.option({char: 'm', description: "The mesh (default: the config's mesh).", options: MESHES})(),
    helm: Flags.string({description: 'The helm executable.', default: 'helm', env: 'SPARC_MESH_HELM',
      helpGroup: 'TOOLS'}),
    ...clusterFlags,
    config: renderInputFlags.config,
  };

  public async run(): Promise<StatusResult> {
    const {flags} = await this.parse(ObservabilityStatus);
    const result = await observabilityStatus({connection: singleConnection(flags, 'observability status'),
      mesh: flags.mesh, config: flags.config, helm: flags.helm}, this.deps);
    const healthy = result.parts.every((part) => part.status === 'deployed' && part.ready === part.workloads);
    if (!healthy) this.resultExitCode = EXIT.failure;
    this.deps.out(`${renderColumns(PART_COLUMNS, partRows(result.parts))}${scrapingLines(result.scraping)}`);
    return result;
  }
}
