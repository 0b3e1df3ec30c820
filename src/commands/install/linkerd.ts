import {Flags} from '@oclif/core';
import type {InstallRenderResult} from '../../actions/install/render.js';
import {UsageError} from '../../base/errors.js';
import {isOfflineSink} from '../../base/emit-objects.js';
import {InstallCommand, installFlags} from '../../base/install-command.js';

export default class InstallLinkerd extends InstallCommand {
  static override summary = 'Install Linkerd and the platform baseline (injection, deny-by-default inbound policy, network policies).';
  static override description = `Renders the Linkerd control-plane values and the platform baseline, checks each object against its schema, and prints them (--dry-run) or writes one file per object (--output-dir).

Installing into a cluster is not available in this version: it needs Linkerd's CRDs and charts (or the linkerd binary), which no registry this project can build from serves.`;
  static override examples = [
    {description: 'Print the control-plane values and the baseline', command: '<%= config.bin %> <%= command.id %> --dry-run'},
    {description: 'High availability', command: '<%= config.bin %> <%= command.id %> --ha --dry-run'},
  ];

  static override flags = {
    ha: Flags.boolean({description: 'Run the control plane highly available (3 replicas, anti-affinity, disruption budgets).', allowNo: true}),
    ...installFlags,
  };

  public async run(): Promise<InstallRenderResult> {
    const {flags} = await this.parse(InstallLinkerd);
    if (!isOfflineSink(flags)) {
      throw new UsageError('install linkerd against a cluster is not available in this version: only the offline paths are',
        'add --dry-run to print the manifests, or --output-dir DIR to write them and apply them with the linkerd CLI', 'NotImplemented');
    }
    return this.emit(await this.render({mesh: 'linkerd', ha: flags.ha, config: flags.config, templates: flags.templates}), flags);
  }
}
