import type {LinkerdUpgradeResult} from '../../actions/upgrade/linkerd.js';
import {EXIT} from '../../errors.js';
import {UpgradeCommand, linkerdUpgradeFlags} from '../../base/upgrade-linkerd.js';
import {LINKERD_RELEASE} from '../../core/install/linkerd-install.js';
import {renderCheckRows} from '../../ui/linkerd-check.js';

export default class UpgradeLinkerd extends UpgradeCommand {
  static override summary =
    `Upgrade Linkerd to ${LINKERD_RELEASE.version} or to new values, or roll the last upgrade back.`;
  static override description =
    `As Linkerd's upgrade guide does it: the values the control plane runs with are kept for --rollback; the CRDs first, then the control plane with the values rendered from sparc-mesh.yaml (the cluster's identity kept), then what the new release no longer ships is removed (helm does it for a control plane installed from Linkerd's charts; for one installed from the linkerd binary's manifests it is done as linkerd prune does), then every meshed workload is restarted so that its proxy comes from the new control plane, and linkerd check runs. The installed control plane says how: from Linkerd's charts through helm (--chart-dir for an air-gapped cluster), or from the linkerd binary (--linkerd, which must be ${LINKERD_RELEASE.version}).

Refused before anything changes: a jump Linkerd does not support (Linkerd versions 2.x one at a time: an edge release belongs to the version whose corresponding edge release it follows), a release older than the installed one, and values that fail their schemas. A step that fails says where it stopped; re-running the command continues. --rollback applies the kept values again (the CRDs stay), and keeps the ones it replaces, so a second --rollback goes forward again.`;
  static override examples = [
    {description: 'See the steps first', command: '<%= config.bin %> upgrade plan linkerd'},
    {description: 'Upgrade from the offline charts',
      command: '<%= config.bin %> <%= command.id %> --chart-dir charts/'},
    {description: 'Go back to the values before the last upgrade',
      command: '<%= config.bin %> <%= command.id %> --rollback --chart-dir charts/'},
  ];

  static override flags = linkerdUpgradeFlags;

  public async run(): Promise<LinkerdUpgradeResult> {
    const {flags} = await this.parse(UpgradeLinkerd);
    const result = await this.upgradeLinkerd(flags, false);
    for (const note of result.notes) this.note(`note: ${note}`);
    if (!this.jsonEnabled()) {
      this.log(
        `Linkerd ${
          result.rollback ? 'rolled back' : 'upgraded'
        } to ${result.to} (${result.method}): ${result.pruned.length} object(s) pruned, ${result.restarted.length} meshed workload(s) restarted.`,
      );
      if (result.check) this.log(renderCheckRows(result.check.rows));
    }
    if (result.check && !result.check.success) this.resultExitCode = EXIT.failure;
    return result;
  }
}
