import {Args, Flags} from '@oclif/core';
import type {IstioUpgradeResult} from '../../actions/upgrade/istio.js';
import type {LinkerdUpgradeResult} from '../../actions/upgrade/linkerd.js';
import {refuseIgnored} from '../../base/flag-input.js';
import {istioUpgradeFlags} from '../../base/upgrade-istio.js';
import {linkerdUpgradeFlags, UpgradeCommand} from '../../base/upgrade-linkerd.js';
import {invalidFlag} from '../../errors.js';

/** Flags only one mesh's upgrade reads, refused for the other (tool paths with defaults excepted). */
const ISTIO_ONLY = ['to', 'from', 'revision', 'keep-previous'];
const LINKERD_ONLY = ['ha', 'chart-dir', 'force-conflicts'];

export default class UpgradePlan extends UpgradeCommand {
  static override summary = 'Print the steps an upgrade would take, from what the cluster runs, without doing them.';
  static override description =
    'Reads what the cluster runs (Istio: the installed revisions and the injected namespaces; Linkerd: the installed release, how it was installed, and the values kept for --rollback), checks the version jump, and prints the steps `upgrade istio` or `upgrade linkerd` would run with the same flags. Changes nothing.';
  static override examples = [
    {description: 'Steps of a canary upgrade', command: '<%= config.bin %> <%= command.id %> istio --to 1.31.2'},
    {description: 'Steps of a rollback', command: '<%= config.bin %> <%= command.id %> istio --rollback -o json'},
    {description: 'Steps of a Linkerd upgrade', command: '<%= config.bin %> <%= command.id %> linkerd'},
  ];

  static override args = {
    mesh: Args.string({description: 'The mesh to upgrade.', options: ['istio', 'linkerd'], required: true}),
  };

  static override flags = {
    ...istioUpgradeFlags,
    ...linkerdUpgradeFlags,
    rollback: Flags.boolean({
      description:
        'Plan going back: Istio to the previous revision while both exist, Linkerd to the values before the last upgrade linkerd.',
      default: false,
    }),
  };

  public async run(): Promise<IstioUpgradeResult | LinkerdUpgradeResult> {
    const {args, flags} = await this.parse(UpgradePlan);
    if (args.mesh === 'linkerd') {
      refuseIgnored(flags, ISTIO_ONLY, 'for linkerd');
      if (flags.method !== 'revision') throw invalidFlag('method', flags.method, 'does nothing for linkerd');
      const result = await this.upgradeLinkerd(flags, true);
      this.print(
        `From Linkerd ${result.from} (${result.method}) to ${result.to}${result.rollback ? ' (rollback)' : ''}:`,
        result.steps,
      );
      return result;
    }
    refuseIgnored(flags, LINKERD_ONLY, 'for istio');
    const result = await this.upgrade(flags, true);
    this.print(
      `From revision ${result.from.revision} (Istio ${result.from.version ?? 'unknown'}) to revision ${result.target}:`,
      result.steps,
    );
    return result;
  }

  private print(head: string, steps: readonly {description: string}[]): void {
    if (this.jsonEnabled()) return;
    this.log(head);
    for (const [index, {description}] of steps.entries()) this.log(`  ${index + 1}. ${description}`);
  }
}
