import {Flags} from '@oclif/core';
import {installIstioToCluster, type InstallMethod,
  type IstioClusterResult} from '../../actions/install/istio-cluster.js';
import {UsageError} from '../../errors.js';
import type {InstallRenderResult} from '../../actions/install/render.js';
import type {ErrorEnvelope} from '../../base/command.js';
import type {ClusterOutcome} from '../../base/clusters.js';
import {durationFlag, sinkConnections} from '../../base/flag-input.js';
import {allContextsFlag, forceConflictsFlag, waitTimeoutFlag} from '../../base/flags.js';
import {InstallCommand, installFlags} from '../../base/install-command.js';

function installMethod(
  flags: {method: 'istioctl' | 'helm'; istioctl: string; helm: string; charts: string; 'istio-version'?: string},
): InstallMethod {
  if (flags.method === 'istioctl') return {method: 'istioctl', binary: flags.istioctl};
  if (!flags['istio-version']) {
    throw new UsageError('--method helm needs --istio-version (the chart version to install)', '--istio-version 1.30.4',
      'MissingFlag');
  }
  return {method: 'helm', binary: flags.helm, charts: flags.charts, version: flags['istio-version']};
}

export default class InstallIstio extends InstallCommand {
  static override summary =
    'Install Istio and the platform baseline (mesh-wide STRICT mTLS, deny by default, gateway, telemetry, egress).';
  static override description =
    `Renders the IstioOperator and the platform baseline from the templates and sparc-mesh.yaml, and checks each object against its schema. --dry-run prints them and --output-dir writes one file per object, without a cluster.

Otherwise, against the cluster: pre-checks first (the Kubernetes version against Istio's support table, the caller's permissions through SelfSubjectAccessReview, an Istio already installed under the same revision), and nothing changes when one fails. Then istioctl installs the control plane and waits for it to be ready (or, with --method helm, Istio's charts base, istiod and gateway at --istio-version, from --charts), and the baseline is server-side applied (field manager sparc-mesh; rolled back if one object fails). Running it again changes nothing and finishes an install that stopped half-way. --dry-run=server runs the pre-checks, istioctl's dry run and a server-side dry run of the baseline.`;
  static override examples = [
    {description: 'Print the IstioOperator and the baseline', command: '<%= config.bin %> <%= command.id %> --dry-run'},
    {description: 'A canary revision from a mirrored registry',
      command:
        '<%= config.bin %> <%= command.id %> --revision 1-30 --hub registry.example.com/istio --dry-run -o json'},
    {description: 'Check everything against the cluster, then install',
      command: '<%= config.bin %> <%= command.id %> --dry-run=server\n<%= config.bin %> <%= command.id %>'},
    {description: "With Istio's Helm charts instead of istioctl",
      command: '<%= config.bin %> <%= command.id %> --method helm --istio-version 1.30.4'},
  ];

  static override flags = {
    revision: Flags.string({description: 'Install as a named revision (for canary upgrades).'}),
    hub: Flags.string({description: 'Image registry to pull Istio images from (a mirror).', aliases: ['registry']}),
    method: Flags.option({
      description:
        "istioctl (its version is the Istio installed), or Istio's Helm charts (base, istiod, gateway) at --istio-version.",
      options: ['istioctl', 'helm'] as const,
      default: 'istioctl',
    })(),
    istioctl: Flags.string({description: 'The istioctl executable; its version is the Istio installed.',
      default: 'istioctl', env: 'SPARC_MESH_ISTIOCTL', helpGroup: 'TOOLS'}),
    helm: Flags.string({description: 'The helm executable (--method helm).', default: 'helm', env: 'SPARC_MESH_HELM',
      helpGroup: 'TOOLS'}),
    charts: Flags.string({
      description: "Istio's charts (--method helm): a chart repository URL, or a directory with one folder per chart.",
      default: 'https://istio-release.storage.googleapis.com/charts',
      helpGroup: 'TOOLS',
    }),
    'istio-version': Flags.string({
      description: 'The Istio release to install with --method helm (the chart version), e.g. 1.30.4.',
      helpGroup: 'TOOLS',
    }),
    'wait-timeout': waitTimeoutFlag,
    'force-conflicts': forceConflictsFlag,
    ...installFlags,
    'all-contexts': allContextsFlag,
  };

  public async run(): Promise<
    InstallRenderResult & {cluster?: IstioClusterResult; clusters?: ClusterOutcome<IstioClusterResult, ErrorEnvelope>[]}
  > {
    const {flags} = await this.parse(InstallIstio);
    const connections = sinkConnections(flags);
    const readinessTimeoutMs = durationFlag(flags['wait-timeout'], 'wait-timeout');
    const rendered = await this.render({mesh: 'istio', revision: flags.revision, hub: flags.hub, config: flags.config,
      templates: flags.templates});
    if (!connections.length) return this.emit(rendered, flags);
    const onCluster = {
      objects: rendered.objects,
      via: installMethod(flags),
      readinessTimeoutMs,
      force: flags['force-conflicts'],
      mode: flags['dry-run'] === 'server' ? 'server-dry-run' as const : 'apply' as const,
    };
    const installed = await this.onClusters(connections, {
      title: 'Installing Istio',
      run: (connection, deps) => installIstioToCluster({...onCluster, connection}, deps),
      summary: (cluster) =>
        `Istio ${cluster.version} (revision ${cluster.revision}) ${
          cluster.mode === 'apply' ? 'installed' : 'checked (server dry run)'
        }; baseline: ${cluster.baseline.summary}`,
      notes: (cluster) => cluster.baseline.notes,
    });
    return {...rendered, ...installed};
  }
}
