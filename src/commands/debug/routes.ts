import {Args} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {linkerdVizFlags, runLinkerdViz} from '../../base/linkerd-viz.js';
import {printed} from '../../base/validate-flags.js';

export default class DebugRoutes extends BaseCommand {
  static override summary = 'Per-route success rate, request rate and latency of a workload (linkerd viz routes)';
  static override examples = ['<%= config.bin %> debug routes deploy/checkout -n shop'];

  static override args = {
    resource: Args.string({description: 'The workload, e.g. deploy/checkout.', required: true}),
  };

  static override flags = linkerdVizFlags;

  public async run(): Promise<{output: string}> {
    const {args, flags} = await this.parse(DebugRoutes);
    const text = await runLinkerdViz({verb: 'routes', resource: args.resource, flags});
    if (!this.jsonEnabled()) printed(text, (line) => this.log(line));
    return {output: text};
  }
}
