// install istio and install linkerd differ only in the mesh and a few flags.
import {renderInstall, type InstallRenderInput, type InstallRenderResult} from '../actions/install.js';
import {BaseCommand} from './command.js';
import {assertOfflineSink, emitObjects, type OfflineSinkFlags} from './emit-objects.js';
import {connectionFlags, dryRunFlag, outputFlag, renderFlags, yesFlag} from './flags.js';

export const installFlags = {
  'dry-run': dryRunFlag,
  output: outputFlag(['yaml', 'json'], 'yaml'),
  yes: yesFlag,
  ...connectionFlags,
  ...renderFlags,
};

export abstract class InstallCommand extends BaseCommand {
  protected async renderAndEmit(input: InstallRenderInput, flags: OfflineSinkFlags): Promise<InstallRenderResult> {
    assertOfflineSink(flags, `install ${input.mesh}`);
    const result = await renderInstall(input);
    for (const note of result.notes) this.note(`note: ${note}`);
    emitObjects(result.objects, flags, this.jsonEnabled(), (line) => this.log(line));
    return result;
  }
}
