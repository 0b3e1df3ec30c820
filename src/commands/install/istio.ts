import {Flags} from '@oclif/core';
import type {InstallRenderResult} from '../../actions/install.js';
import {InstallCommand, installFlags} from '../../base/install-command.js';

export default class InstallIstio extends InstallCommand {
  static override summary = 'Install Istio and the platform baseline (mesh-wide STRICT mTLS, deny by default, gateway, telemetry, egress).';
  static override examples = [
    {description: 'Print the IstioOperator and the baseline', command: '<%= config.bin %> <%= command.id %> --dry-run'},
    {description: 'A canary revision from a mirrored registry', command: '<%= config.bin %> <%= command.id %> --revision 1-30 --hub registry.example.com/istio --dry-run -o json'},
  ];

  static override flags = {
    revision: Flags.string({description: 'Install as a named revision (for canary upgrades).'}),
    hub: Flags.string({description: 'Image registry to pull Istio images from (a mirror).', aliases: ['registry']}),
    ...installFlags,
  };

  public async run(): Promise<InstallRenderResult> {
    const {flags} = await this.parse(InstallIstio);
    return this.renderAndEmit({mesh: 'istio', revision: flags.revision, hub: flags.hub, config: flags.config, templates: flags.templates}, flags);
  }
}
