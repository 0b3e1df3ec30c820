import {Args} from '@oclif/core';
import {UsageError} from '../../errors.js';
import {IstioUpgradeCommand, istioUpgradeFlags} from '../../base/upgrade-istio.js';
import type {IstioUpgradeResult} from '../../actions/upgrade/istio.js';

export default class UpgradePlan extends IstioUpgradeCommand {
  static override summary = 'Print the steps an upgrade would take, from what the cluster runs, without doing them.';
  static override description =
    'Reads the installed revisions and the injected namespaces, checks the version jump, and prints the steps `upgrade istio` would run with the same flags. Changes nothing.';
  static override examples = [
    {description: 'Steps of a canary upgrade', command: '<%= config.bin %> <%= command.id %> istio --to 1.31.2'},
    {description: 'Steps of a rollback', command: '<%= config.bin %> <%= command.id %> istio --rollback -o json'},
  ];

  static override args = {
    mesh: Args.string({description: 'The mesh to upgrade.', options: ['istio', 'linkerd'], required: true}),
  };

  static override flags = istioUpgradeFlags;

  public async run(): Promise<IstioUpgradeResult> {
    const {args, flags} = await this.parse(UpgradePlan);
    if (args.mesh === 'linkerd') {
      throw new UsageError('upgrading Linkerd is not available in this version',
        'upgrade Linkerd with its own CLI (linkerd upgrade)', 'NotImplemented');
    }
    const result = await this.upgrade(flags, true);
    if (!this.jsonEnabled()) {
      this.log(
        `From revision ${result.from.revision} (Istio ${
          result.from.version ?? 'unknown'
        }) to revision ${result.target}:`,
      );
      for (const [index, {description}] of result.steps.entries()) this.log(`  ${index + 1}. ${description}`);
    }
    return result;
  }
}
