import {Args} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {linkerdVizFlags, runLinkerdViz} from '../../base/linkerd-viz.js';

export default class DebugTap extends BaseCommand {
  static override summary = 'Live requests to and from a workload, until interrupted (linkerd viz tap)';
  static override examples = ['<%= config.bin %> debug tap deploy/checkout -n shop'];

  static override args = {
    resource: Args.string({description: 'The workload, e.g. deploy/checkout.', required: true}),
  };

  static override flags = linkerdVizFlags;

  public async run(): Promise<Record<string, never>> {
    const {args, flags} = await this.parse(DebugTap);
    await runLinkerdViz({verb: 'tap', resource: args.resource, flags, onLine: (line) => this.log(line)});
    return {};
  }
}
