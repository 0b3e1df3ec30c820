// What `validate` and `validate reachability` share: where objects come from (paths, the
// live cluster or both) and how those flags become the actions' input. Here, not under
// src/commands, because every module there is a command.
import {Args, Flags} from '@oclif/core';
import {connectionFlags} from './flags.js';
import {refuseIgnored, singleConnection} from './flag-input.js';
import type {GatherInput} from '../actions/validate/gather.js';

export const pathArgs = {
  path: Args.string({description: 'Files, folders or - (standard input). None: analyse the live cluster.'}),
};

export const inputFlags = {
  ...connectionFlags,
  'all-namespaces': Flags.boolean({char: 'A', description: 'Live: analyse every namespace.', default: false,
    helpGroup: 'CONNECTION'}),
  cluster: Flags.boolean({
    description:
      "With paths: add the live cluster's objects as context for the files (findings are reported for the files).",
    default: false,
    helpGroup: 'CONNECTION',
  }),
  'mesh-config': Flags.string({
    description: 'MeshConfig YAML (as istioctl --meshConfigFile), or the istio ConfigMap holding it.',
  }),
};

export function inputOf(paths: string[],
  flags: {kubeconfig?: string; context?: string[]; namespace?: string; 'all-namespaces': boolean; cluster: boolean;
    'mesh-config'?: string}): GatherInput
{
  if (paths.length > 0 && !flags.cluster) {
    refuseIgnored(flags, ['namespace', 'all-namespaces', 'context', 'kubeconfig'],
      'with paths and no --cluster (only the files are analysed)');
  }
  return {
    paths,
    cluster: flags.cluster,
    connection: singleConnection(flags, 'validate'),
    namespace: flags.namespace,
    allNamespaces: flags['all-namespaces'],
    meshConfigFile: flags['mesh-config'],
  };
}

/** Printed output through the command's log, byte for byte: log adds the final newline. */
export function printed(text: string, log: (line: string) => void): void {
  if (text !== '') log(text.endsWith('\n') ? text.slice(0, -1) : text);
}
