// install istio and install linkerd differ only in the mesh and a few flags.
import type {KubeObject} from '../core/objects.js';
import {renderInstall, type InstallRenderInput, type InstallRenderResult} from '../actions/install/render.js';
import {dns1123Label} from '../core/config/checks.js';
import {UsageError} from '../errors.js';
import {BaseCommand} from './command.js';
import {emitObjects, type OfflineSinkFlags} from './emit-objects.js';
import {clusterFlags, dryRunFlag, outputFlag, renderFlags, yesFlag} from './flags.js';

export const installFlags = {
  'dry-run': dryRunFlag,
  output: outputFlag(['yaml', 'json'], 'yaml'),
  yes: yesFlag,
  ...clusterFlags,
  ...renderFlags,
};

export abstract class InstallCommand extends BaseCommand {
  /** Renders and schema-checks the control-plane configuration and the baseline; prints the notes. */
  protected async render(input: InstallRenderInput): Promise<InstallRenderResult> {
    const revisionProblem = input.revision === undefined ? undefined : dns1123Label(input.revision);
    if (revisionProblem) {
      throw new UsageError(`--revision: ${JSON.stringify(input.revision)} ${revisionProblem}`,
        'a revision looks like 1-30-4 or canary', 'InvalidInput');
    }
    const result = await renderInstall(input);
    for (const note of result.notes) this.note(`note: ${note}`);
    return result;
  }

  /** The offline sinks: print (--dry-run) or write (--output-dir); `withheld` as in emitObjects. */
  protected emit<R extends InstallRenderResult>(result: R, flags: OfflineSinkFlags,
    withheld?: ReadonlyMap<KubeObject, KubeObject>): R
  {
    emitObjects(result.objects, flags, this.deps.out, withheld);
    return result;
  }
}
