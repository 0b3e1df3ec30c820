import {Args} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {linkerdVizFlags, runLinkerdViz} from '../../base/linkerd-viz.js';
import {printed} from '../../base/validate-flags.js';

export default class DebugEdges extends BaseCommand {
  static override summary = 'Which meshed workloads talk to which, with their identities (linkerd viz edges)';
  static override examples = ['<%= config.bin %> debug edges deploy -n shop'];

  static override args = {
    type: Args.string({description: 'The resource type whose edges to show, e.g. deploy or po.', default: 'deploy'}),
  };

  static override flags = linkerdVizFlags;

  public async run(): Promise<{output: string}> {
    const {args, flags} = await this.parse(DebugEdges);
    const text = await runLinkerdViz({verb: 'edges', resource: args.type, flags});
    if (!this.jsonEnabled()) printed(text, (line) => this.log(line));
    return {output: text};
  }
}
