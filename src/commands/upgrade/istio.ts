import {IstioUpgradeCommand, istioUpgradeFlags} from '../../base/upgrade-istio.js';
import type {IstioUpgradeResult} from '../../actions/upgrade/istio.js';

export default class UpgradeIstio extends IstioUpgradeCommand {
  static override summary = 'Upgrade Istio by revision (canary) or in place, or roll an upgrade back.';
  static override description =
    `By revision (the default), as Istio's canary upgrade guide does it: install the new version as a new revision beside the old one, wait for its istiod, point each injected namespace at it (istio.io/rev), restart the namespace's workloads and wait for them, then remove the old revision (--keep-previous leaves it, for --rollback). In place: install the new version over the old revision, then restart the injected namespaces.

Refused before anything changes: jumps Istio does not support (more than two minor versions by revision, one in place), downgrades, and an istioctl that is not the --to release. If a step fails after namespaces were moved, they are moved back and restarted; re-running the command continues. After an upgrade by revision, set istio.revision in sparc-mesh.yaml so that onboard labels new namespaces for it.`;
  static override examples = [
    {description: 'See the steps first', command: '<%= config.bin %> upgrade plan istio --to 1.31.2'},
    {description: 'Canary upgrade, keeping the old revision for a rollback',
      command:
        '<%= config.bin %> <%= command.id %> --to 1.31.2 --istioctl ~/istio-1.31.2/bin/istioctl --keep-previous'},
    {description: 'Go back while both revisions exist', command: '<%= config.bin %> <%= command.id %> --rollback'},
  ];

  static override flags = istioUpgradeFlags;

  public async run(): Promise<IstioUpgradeResult> {
    const {flags} = await this.parse(UpgradeIstio);
    const result = await this.upgrade(flags, false);
    if (!this.jsonEnabled()) {
      this.log(`Istio ${flags.rollback ? 'rolled back' : 'upgraded'}: the data plane is on revision ${result.target}.`);
    }
    return result;
  }
}
