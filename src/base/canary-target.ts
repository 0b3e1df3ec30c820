// Flags of the canary commands that act on one Canary: which one (-s, -n, one cluster), and
// how long to wait for Flagger to act on a request.
import {Flags} from '@oclif/core';
import type {KubeConnection} from '../adapters/kube/client.js';
import {dns1123Label} from '../core/config/checks.js';
import {invalidFlag} from '../errors.js';
import {valueOrPrompt, type Prompt} from '../ui/prompt.js';
import {singleConnection} from './flag-input.js';
import {connectionFlags} from './flags.js';

export const canaryFlags = {
  service: Flags.string({char: 's', description: "Service name: the Canary's name (DNS-1123 label)."}),
  ...connectionFlags,
};

export function canaryTimeoutFlag(defaultValue: string) {
  return Flags.string({description: 'How long to wait for Flagger to act, e.g. 90s, 10m.', default: defaultValue});
}

type CanaryFlagValues = {service?: string; namespace?: string; kubeconfig?: string; context?: string[]};

export interface CanaryScope {
  connection: KubeConnection;
  namespace: string;
  /** One Canary; every Canary of the namespace when absent. */
  name?: string;
}

/** Flags → the Canaries a command reads: one with -s, else every Canary of the namespace. */
export async function canaryScope(flags: CanaryFlagValues, job: string, prompt: Prompt): Promise<CanaryScope> {
  const connection = singleConnection(flags, job);
  const namespace = await valueOrPrompt(flags.namespace, {name: 'namespace', char: 'n', message: 'Namespace',
    validate: dns1123Label}, prompt);
  const namespaceProblem = dns1123Label(namespace);
  if (namespaceProblem) throw invalidFlag('namespace', namespace, namespaceProblem);
  const nameProblem = flags.service === undefined ? undefined : dns1123Label(flags.service);
  if (nameProblem) throw invalidFlag('service', flags.service, nameProblem);
  return {connection, namespace, name: flags.service};
}

/** Flags → the one Canary a command acts on; missing values are asked for at a terminal, refused elsewhere. */
export async function canaryTarget(flags: CanaryFlagValues, job: string,
  prompt: Prompt): Promise<CanaryScope & {name: string}>
{
  const name = await valueOrPrompt(flags.service, {name: 'service', char: 's', message: 'Service name',
    validate: dns1123Label}, prompt);
  return {...await canaryScope({...flags, service: name}, job, prompt), name};
}
