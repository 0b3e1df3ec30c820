// Flags of the cluster sinks turned into typed input: one connection, durations.
import {invalidFlag} from '../../base/errors.js';
import type {KubeConnection} from '../../adapters/kube/client.js';

/** One cluster for now: several --context values are refused until multi-cluster support lands. */
export function singleConnection(flags: {kubeconfig?: string; context?: string[]}, job: string): KubeConnection {
  const contexts = flags.context ?? [];
  if (contexts.length > 1) throw invalidFlag('context', contexts, `can be given once for ${job}: acting on several clusters is not available yet`, 'run the command once per context');
  return {kubeconfig: flags.kubeconfig, context: contexts[0]};
}

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** Go-style durations as kubectl takes them: `90s`, `5m`, `1h30m`, `500ms`. */
export function parseDuration(value: string, flag: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== value) {
    throw invalidFlag(flag, value, 'is not a duration', 'write it as 90s, 5m or 1h30m');
  }
  return parts.reduce((total, part) => total + Number(part[1]) * UNIT_MS[part[2]!]!, 0);
}
