// What `debug edges`, `debug routes` and `debug tap` share: their flags and the run that
// hands them to `linkerd viz`. Here, not under src/commands, because every module there is a command.
import {Flags} from '@oclif/core';
import {debugLinkerdViz, type LinkerdVizInput} from '../actions/debug/linkerd-viz.js';
import {connectionFlags} from './flags.js';
import {singleConnection} from './flag-input.js';

export const linkerdVizFlags = {
  ...connectionFlags,
  linkerd: Flags.string({description: 'The linkerd executable (with the viz extension installed in the cluster).',
    default: 'linkerd'}),
};

export interface LinkerdVizRun {
  verb: LinkerdVizInput['verb'];
  resource: string;
  flags: {kubeconfig?: string; context?: string[]; namespace?: string; linkerd: string};
  onLine?: (line: string) => void;
}

export function runLinkerdViz(run: LinkerdVizRun): Promise<string> {
  return debugLinkerdViz({verb: run.verb, resource: run.resource, namespace: run.flags.namespace,
    connection: singleConnection(run.flags, `debug ${run.verb}`), linkerd: run.flags.linkerd,
    ...(run.onLine ? {onLine: run.onLine} : {})});
}
