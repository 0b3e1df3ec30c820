import {Flags} from '@oclif/core';
import {
  addLinkerdIdentity, DEFAULT_ISSUER_VALIDITY, DEFAULT_TRUST_ANCHOR_VALIDITY, ISSUER_SECRET, type LinkerdIdentitySummary,
} from '../../actions/install/linkerd-certs.js';
import type {InstallRenderResult} from '../../actions/install/render.js';
import {UsageError} from '../../errors.js';
import {isOfflineSink} from '../../base/emit-objects.js';
import {sinkConnections} from '../../base/flag-input.js';
import {InstallCommand, installFlags} from '../../base/install-command.js';

export type InstallLinkerdResult = InstallRenderResult & {identity: LinkerdIdentitySummary};

export default class InstallLinkerd extends InstallCommand {
  static override summary = 'Install Linkerd and the platform baseline (injection, deny-by-default inbound policy, network policies).';
  static override description = `Renders the Linkerd control-plane values, its identity credentials and the platform baseline, checks each object against its schema, and prints them (--dry-run) or writes one file per object (--output-dir).

Identity: a trust anchor and an issuer certificate (ECDSA P-256) are generated in-process, or read from --trust-anchor-file, --issuer-cert-file and --issuer-key-file. The issuer goes into the Secret linkerd-identity-issuer, the anchor into the ConfigMap linkerd-identity-trust-roots and the chart's values. The issuer's private key is never printed: --dry-run and --json show a placeholder, and only --output-dir writes it, into a file of mode 0600.

Installing into a cluster is not available in this version: it needs Linkerd's CRDs and charts (or the linkerd binary), which no registry this project can build from serves.`;
  static override examples = [
    {description: 'Print the control-plane values and the baseline', command: '<%= config.bin %> <%= command.id %> --dry-run'},
    {description: 'High availability', command: '<%= config.bin %> <%= command.id %> --ha --dry-run'},
    {description: 'Write the objects, the issuer\'s key among them, for GitOps', command: '<%= config.bin %> <%= command.id %> --output-dir linkerd/'},
    {description: 'Keep an existing installation\'s credentials', command: '<%= config.bin %> <%= command.id %> --output-dir linkerd/ --trust-anchor-file ca.crt --issuer-cert-file issuer.crt --issuer-key-file issuer.key'},
  ];

  static override flags = {
    ha: Flags.boolean({description: 'Run the control plane highly available (3 replicas, anti-affinity, disruption budgets).', allowNo: true}),
    'trust-anchor-validity': Flags.string({description: `How long a generated trust anchor is valid, e.g. 87600h [default: ${DEFAULT_TRUST_ANCHOR_VALIDITY}, ten years].`, helpGroup: 'IDENTITY'}),
    'issuer-validity': Flags.string({description: `How long a generated issuer certificate is valid, e.g. 8760h [default: ${DEFAULT_ISSUER_VALIDITY}, one year].`, helpGroup: 'IDENTITY'}),
    'trust-anchor-file': Flags.string({description: 'PEM file with the trust anchor (or a bundle of anchors) to use instead of generating one.', helpGroup: 'IDENTITY'}),
    'issuer-cert-file': Flags.string({description: 'PEM file with the issuer certificate, signed by the trust anchor.', helpGroup: 'IDENTITY'}),
    'issuer-key-file': Flags.string({description: 'PEM file with the issuer\'s private key (ECDSA P-256, unencrypted).', helpGroup: 'IDENTITY'}),
    ...installFlags,
  };

  public async run(): Promise<InstallLinkerdResult> {
    const {flags} = await this.parse(InstallLinkerd);
    if (!isOfflineSink(flags)) {
      throw new UsageError('install linkerd against a cluster is not available in this version: only the offline paths are',
        'add --dry-run to print the manifests, or --output-dir DIR to write them and apply them with the linkerd CLI', 'NotImplemented');
    }
    sinkConnections(flags);
    const rendered = await this.render({mesh: 'linkerd', ha: flags.ha, config: flags.config, templates: flags.templates});
    const identity = await addLinkerdIdentity({objects: rendered.objects, flags}, this.deps);
    for (const note of identity.notes) this.note(`note: ${note}`);
    // Said once the files are there: a failed write must not leave the user told that the key was written.
    const keyNote = flags['output-dir'] ? [`the issuer's private key was written only to the ${ISSUER_SECRET} Secret's file, readable by its owner alone (mode 0600)`] : [];
    const result = this.emit({...rendered, objects: identity.objects, notes: [...rendered.notes, ...identity.notes, ...keyNote], identity: identity.identity}, flags, identity.withheld);
    for (const note of keyNote) this.note(`note: ${note}`);
    return result;
  }
}
