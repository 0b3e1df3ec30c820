import {Flags} from '@oclif/core';
import {addLinkerdIdentity, DEFAULT_ISSUER_VALIDITY, DEFAULT_TRUST_ANCHOR_VALIDITY, ISSUER_SECRET,
  type LinkerdIdentitySummary} from '../../actions/install/linkerd-certs.js';
import {installLinkerdToCluster, type LinkerdClusterResult,
  type LinkerdInstallMethod} from '../../actions/install/linkerd-cluster.js';
import type {InstallRenderResult} from '../../actions/install/render.js';
import type {ErrorEnvelope} from '../../base/command.js';
import type {ClusterOutcome} from '../../base/clusters.js';
import {durationFlag, sinkConnections} from '../../base/flag-input.js';
import {allContextsFlag, forceConflictsFlag, waitTimeoutFlag} from '../../base/flags.js';
import {InstallCommand, installFlags} from '../../base/install-command.js';
import {haFlag, linkerdCharts, linkerdToolFlags} from '../../base/linkerd-flags.js';
import {LINKERD_RELEASE} from '../../core/install/linkerd-install.js';
import {EXIT} from '../../errors.js';
import {renderCheckRows} from '../../ui/linkerd-check.js';

export type InstallLinkerdResult = InstallRenderResult & {
  identity: LinkerdIdentitySummary;
  cluster?: LinkerdClusterResult;
  clusters?: ClusterOutcome<LinkerdClusterResult, ErrorEnvelope>[];
};

function installMethod(flags: {method: 'helm' | 'cli'; helm: string; 'chart-dir'?: string}): LinkerdInstallMethod {
  if (flags.method === 'cli') return {method: 'cli'};
  return {method: 'helm', binary: flags.helm, charts: linkerdCharts(flags)};
}

function summaryOf(cluster: LinkerdClusterResult): string {
  const done = cluster.mode === 'apply' ? 'installed' : 'checked (server dry run)';
  const head =
    `Linkerd ${cluster.version} ${done} (${cluster.method}); control plane objects: ${cluster.controlPlane.summary}; baseline: ${cluster.baseline.summary}`;
  if (!cluster.check) return head;
  const failed = cluster.check.rows.filter((row) => row.status === 'error').length;
  return `${head}\nlinkerd check: ${failed ? `${failed} failed` : 'no check failed'}\n${
    renderCheckRows(cluster.check.rows)
  }`;
}

export default class InstallLinkerd extends InstallCommand {
  static override summary =
    'Install Linkerd and the platform baseline (injection, deny-by-default inbound policy, network policies).';
  static override description =
    `Renders the Linkerd control-plane values, its identity credentials and the platform baseline, checks each object against its schema, and prints them (--dry-run) or writes one file per object (--output-dir).

Identity: a trust anchor and an issuer certificate (ECDSA P-256) are generated in-process, or read from --trust-anchor-file, --issuer-cert-file and --issuer-key-file. The issuer goes into the Secret linkerd-identity-issuer, the anchor into the ConfigMap linkerd-identity-trust-roots and the chart's values. The issuer's private key is never printed: --dry-run and --json show a placeholder, and only --output-dir writes it, into a file of mode 0600. Against a cluster the issuer's key goes only into that Secret.

Otherwise, against the cluster: pre-checks first (the Kubernetes version against Linkerd's minimum, the Gateway API CRDs, the caller's permissions through SelfSubjectAccessReview, a Linkerd already installed, and linkerd check --pre when the linkerd binary is there), and nothing changes when one fails. With --method helm (the default), both of Linkerd's charts are rendered against the API server first (a broken value stops here, before anything is written), then linkerd-crds, the control plane's namespace with the identity Secret and ConfigMaps (server-side apply), and linkerd-control-plane, from Linkerd's chart repository or --chart-dir. With --method cli, the linkerd binary's own install --crds and install output is server-side applied instead. Then the platform baseline is server-side applied, and the real linkerd check runs: every check is a row (table, and in --json); exit 1 when one failed. Running it again changes nothing. --dry-run=server runs the pre-checks and server dry runs, and writes nothing.`;
  static override examples = [
    {description: 'Print the control-plane values and the baseline',
      command: '<%= config.bin %> <%= command.id %> --dry-run'},
    {description: 'High availability', command: '<%= config.bin %> <%= command.id %> --ha --dry-run'},
    {description: "Write the objects, the issuer's key among them, for GitOps",
      command: '<%= config.bin %> <%= command.id %> --output-dir linkerd/'},
    {description: "Check everything against the cluster, then install from Linkerd's charts",
      command: '<%= config.bin %> <%= command.id %> --dry-run=server\n<%= config.bin %> <%= command.id %>'},
    {description: "Air-gapped: the charts from a directory, with the linkerd binary's checks",
      command: '<%= config.bin %> <%= command.id %> --chart-dir charts/ --linkerd /opt/bin/linkerd'},
    {description: "Keep an existing installation's credentials",
      command:
        '<%= config.bin %> <%= command.id %> --output-dir linkerd/ --trust-anchor-file ca.crt --issuer-cert-file issuer.crt --issuer-key-file issuer.key'},
  ];

  static override flags = {
    ha: haFlag,
    'trust-anchor-validity': Flags.string({
      description:
        `How long a generated trust anchor is valid, e.g. 87600h [default: ${DEFAULT_TRUST_ANCHOR_VALIDITY}, ten years].`,
      helpGroup: 'IDENTITY',
    }),
    'issuer-validity': Flags.string({
      description:
        `How long a generated issuer certificate is valid, e.g. 8760h [default: ${DEFAULT_ISSUER_VALIDITY}, one year].`,
      helpGroup: 'IDENTITY',
    }),
    'trust-anchor-file': Flags.string({
      description: 'PEM file with the trust anchor (or a bundle of anchors) to use instead of generating one.',
      helpGroup: 'IDENTITY',
    }),
    'issuer-cert-file': Flags.string({description: 'PEM file with the issuer certificate, signed by the trust anchor.',
      helpGroup: 'IDENTITY'}),
    'issuer-key-file': Flags.string({description: "PEM file with the issuer's private key (ECDSA P-256, unencrypted).",
      helpGroup: 'IDENTITY'}),
    method: Flags.option({
      description:
        `Linkerd's Helm charts (${LINKERD_RELEASE.crdsChart} and ${LINKERD_RELEASE.controlPlaneChart} ${LINKERD_RELEASE.chartVersion}), or the linkerd binary's own install output.`,
      options: ['helm', 'cli'] as const,
      default: 'helm',
    })(),
    ...linkerdToolFlags,
    'wait-timeout': waitTimeoutFlag,
    'force-conflicts': forceConflictsFlag,
    ...installFlags,
    'all-contexts': allContextsFlag,
  };

  public async run(): Promise<InstallLinkerdResult> {
    const {flags} = await this.parse(InstallLinkerd);
    const connections = sinkConnections(flags);
    const readinessTimeoutMs = durationFlag(flags['wait-timeout'], 'wait-timeout');
    const via = installMethod(flags);
    const rendered = await this.render({mesh: 'linkerd', ha: flags.ha, config: flags.config,
      templates: flags.templates});
    const identity = await addLinkerdIdentity({objects: rendered.objects, flags}, this.deps);
    if (connections.length) {
      return {...rendered, identity: identity.identity,
        ...await this.installToClusters(connections, identity, via, {flags, readinessTimeoutMs})};
    }
    for (const note of identity.notes) this.note(`note: ${note}`);
    // Said once the files are there: a failed write must not leave the user told that the key was written.
    const keyNote = flags['output-dir']
      ? [
        `the issuer's private key was written only to the ${ISSUER_SECRET} Secret's file, readable by its owner alone (mode 0600)`,
      ]
      : [];
    const result = this.emit({...rendered, objects: identity.objects,
      notes: [...rendered.notes, ...identity.notes, ...keyNote], identity: identity.identity}, flags,
      identity.withheld);
    for (const note of keyNote) this.note(`note: ${note}`);
    return result;
  }

  private async installToClusters(connections: ReturnType<typeof sinkConnections>,
    identity: Awaited<ReturnType<typeof addLinkerdIdentity>>, via: LinkerdInstallMethod,
    options: {flags: {linkerd: string; 'force-conflicts': boolean; 'dry-run'?: string}; readinessTimeoutMs: number})
  {
    for (const note of identity.notes) this.note(`note: ${note}`);
    // The issuer's key goes into the cluster's Secret only; what is printed keeps the placeholder.
    const objects = identity.objects.map((object) => identity.withheld.get(object) ?? object);
    const onCluster = {
      objects,
      via,
      identitySource: identity.identity.source,
      linkerd: options.flags.linkerd,
      readinessTimeoutMs: options.readinessTimeoutMs,
      force: options.flags['force-conflicts'],
      mode: options.flags['dry-run'] === 'server' ? 'server-dry-run' as const : 'apply' as const,
    };
    const installed = await this.onClusters(connections, {
      title: 'Installing Linkerd',
      run: (connection, deps) => installLinkerdToCluster({...onCluster, connection}, deps),
      summary: summaryOf,
      notes: (cluster) => cluster.notes,
    });
    const results = installed.cluster
      ? [installed.cluster]
      : (installed.clusters ?? []).flatMap((outcome) => (outcome.result ? [outcome.result] : []));
    if (results.some((result) => result.check && !result.check.success)) this.resultExitCode = EXIT.failure;
    return installed;
  }
}
