import {Flags} from '@oclif/core';
import type {InstallRenderResult} from '../../actions/install.js';
import {InstallCommand, installFlags} from '../../base/install-command.js';

export default class InstallLinkerd extends InstallCommand {
  static override summary = 'Install Linkerd and the platform baseline (injection, deny-by-default inbound policy, network policies).';
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
    return this.renderAndEmit({mesh: 'linkerd', ha: flags.ha, config: flags.config, templates: flags.templates}, flags);
  }
}
