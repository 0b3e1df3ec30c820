// What `upgrade linkerd` and `upgrade plan linkerd` share: the flags, and turning them into
// the upgrade action's input (the plan command stops after planning).
import {Flags} from '@oclif/core';
import {addLinkerdIdentity} from '../actions/install/linkerd-certs.js';
import {renderInstall} from '../actions/install/render.js';
import {upgradeLinkerd, type LinkerdUpgradeResult} from '../actions/upgrade/linkerd.js';
import {durationFlag, singleConnection} from './flag-input.js';
import {clusterFlags, forceConflictsFlag, renderInputFlags, waitTimeoutFlag} from './flags.js';
import {haFlag, linkerdCharts, linkerdToolFlags} from './linkerd-flags.js';
import {IstioUpgradeCommand} from './upgrade-istio.js';

export const linkerdUpgradeFlags = {
  rollback: Flags.boolean({
    description:
      'Go back to the values the control plane ran with before the last upgrade linkerd (kept in ConfigMap sparc-mesh-linkerd-values-previous).',
    default: false,
  }),
  ha: haFlag,
  ...linkerdToolFlags,
  'wait-timeout': waitTimeoutFlag,
  'force-conflicts': forceConflictsFlag,
  ...clusterFlags,
  ...renderInputFlags,
};

export interface LinkerdUpgradeFlags {
  rollback: boolean;
  ha?: boolean;
  'chart-dir'?: string;
  helm: string;
  linkerd: string;
  'wait-timeout': string;
  'force-conflicts': boolean;
  kubeconfig?: string;
  context?: string[];
  config?: string;
  templates?: string;
}

/** The upgrade commands: `upgrade linkerd`, and `upgrade plan`, which plans either mesh's upgrade. */
export abstract class UpgradeCommand extends IstioUpgradeCommand {
  /** Plans the upgrade (or rollback) and, unless `planOnly`, carries it out under a progress display. */
  protected async upgradeLinkerd(flags: LinkerdUpgradeFlags, planOnly: boolean): Promise<LinkerdUpgradeResult> {
    const rendered = await renderInstall({mesh: 'linkerd', ha: flags.ha, config: flags.config,
      templates: flags.templates});
    for (const note of rendered.notes) this.note(`note: ${note}`);
    // The chart values as install linkerd makes them; the generated credentials are dropped for the cluster's own.
    const {objects} = await addLinkerdIdentity({objects: rendered.objects, flags: {}}, this.deps);
    const input = {
      connection: singleConnection(flags, 'upgrade linkerd'),
      objects,
      helm: {binary: flags.helm, charts: linkerdCharts(flags)},
      linkerd: flags.linkerd,
      rollback: flags.rollback,
      planOnly,
      force: flags['force-conflicts'],
      readinessTimeoutMs: durationFlag(flags['wait-timeout'], 'wait-timeout'),
      restartedAt: new Date(this.deps.now()).toISOString(),
    };
    if (planOnly) return upgradeLinkerd(input, this.deps);
    return this.withProgress(flags.rollback ? 'Rolling back Linkerd' : 'Upgrading Linkerd',
      (deps) => upgradeLinkerd(input, deps));
  }
}
