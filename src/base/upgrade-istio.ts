// What `upgrade istio` and `upgrade plan istio` share: the flags, and turning them into the
// upgrade action's input (the plan command stops after planning).
import {Flags} from '@oclif/core';
import {renderInstall} from '../actions/install/render.js';
import {upgradeIstio, type IstioUpgradeResult} from '../actions/upgrade/istio.js';
import {parseIstioVersion} from '../core/install/istio-versions.js';
import {dns1123Label} from '../core/config/checks.js';
import {invalidFlag, UsageError} from '../errors.js';
import {BaseCommand} from './command.js';
import {durationFlag, singleConnection} from './flag-input.js';
import {clusterFlags, renderInputFlags, waitTimeoutFlag} from './flags.js';

export const istioUpgradeFlags = {
  to: Flags.string({description: 'The Istio version to upgrade to, e.g. 1.31.2 (istioctl must be that release).'}),
  method: Flags.option({
    description:
      'revision: a canary control plane beside the old one (Istio allows two minor versions); in-place: over the old one (one minor version).',
    options: ['revision', 'in-place'] as const,
    default: 'revision',
  })(),
  from: Flags.string({description: 'The revision to upgrade from, when several are installed.'}),
  revision: Flags.string({
    description:
      'Name of the new revision (default: from the version, 1-31-2); with --rollback, the revision to remove.',
  }),
  rollback: Flags.boolean({
    description:
      'Go back: move namespaces to the previous revision, restart them, remove the new one (while both are installed).',
    default: false,
  }),
  'keep-previous': Flags.boolean({
    description: 'Leave the old revision installed at the end, so that --rollback stays possible.',
    default: false,
  }),
  istioctl: Flags.string({description: 'The istioctl executable of the version to install.', default: 'istioctl',
    env: 'SPARC_MESH_ISTIOCTL', helpGroup: 'TOOLS'}),
  'wait-timeout': waitTimeoutFlag,
  ...clusterFlags,
  ...renderInputFlags,
};

type UpgradeFlags = {
  to?: string;
  method: 'revision' | 'in-place';
  from?: string;
  revision?: string;
  rollback: boolean;
  'keep-previous': boolean;
  istioctl: string;
  'wait-timeout': string;
  kubeconfig?: string;
  context?: string[];
  config?: string;
  templates?: string;
};

export abstract class IstioUpgradeCommand extends BaseCommand {
  /** Plans the upgrade (or rollback) the flags ask for and, unless `planOnly`, carries it out under a progress display. */
  protected async upgrade(flags: UpgradeFlags, planOnly: boolean): Promise<IstioUpgradeResult> {
    const to = flags.to === undefined ? undefined : parseIstioVersion(flags.to);
    if (flags.to !== undefined && !to) {
      throw invalidFlag('to', flags.to, 'is not an Istio version', 'write it as 1.31.2');
    }
    if (!to && !flags.rollback) {
      throw new UsageError('--to is required (the Istio version to upgrade to)',
        `sparc-mesh ${planOnly ? 'upgrade plan istio' : 'upgrade istio'} --to 1.31.2`, 'MissingFlag');
    }
    for (const name of ['from', 'revision'] as const) {
      const problem = flags[name] === undefined ? undefined : dns1123Label(flags[name]);
      if (problem) throw invalidFlag(name, flags[name], problem);
    }
    const input = {
      request: {to, method: flags.method, from: flags.from, revision: flags.revision, rollback: flags.rollback,
        keepPrevious: flags['keep-previous']},
      connection: singleConnection(flags, 'upgrade istio'),
      istioctl: flags.istioctl,
      planOnly,
      readinessTimeoutMs: durationFlag(flags['wait-timeout'], 'wait-timeout'),
      restartedAt: new Date(this.deps.now()).toISOString(),
      render: async (revision: string | undefined) =>
        (await renderInstall({mesh: 'istio', revision, config: flags.config, templates: flags.templates})).objects,
    };
    if (planOnly) return upgradeIstio(input, this.deps);
    return this.withProgress(flags.rollback ? 'Rolling back Istio' : 'Upgrading Istio',
      (deps) => upgradeIstio(input, deps));
  }
}
