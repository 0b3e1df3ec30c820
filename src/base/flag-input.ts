// Flags of the cluster sinks turned into typed input: connections (one or several clusters), durations.
import {invalidFlag} from '../errors.js';
import type {KubeConnection} from '../adapters/kube/client.js';
import {contextNames} from '../adapters/kube/kubeconfig.js';
import {parseDuration} from '../core/duration.js';
import {isOfflineSink, type OfflineSinkFlags} from './emit-objects.js';

/** Flags the run would ignore are refused, naming the first, never silently dropped. */
export function refuseIgnored(flags: object, names: readonly string[], when: string): void {
  const values = flags as Record<string, unknown>;
  const given = names.find((name) => values[name] !== undefined && values[name] !== false);
  if (given) throw invalidFlag(given, values[given], `does nothing ${when}`, `leave --${given} out`);
}

/** The flags that only matter when objects go to a cluster. */
const CLUSTER_ONLY = ['kubeconfig', 'context', 'all-contexts', 'force-conflicts'];

/** The clusters the rendered objects go to: none for the offline sinks, which take no cluster flag. */
export function sinkConnections(flags: OfflineSinkFlags & Parameters<typeof clusterConnections>[0]): KubeConnection[] {
  if (!isOfflineSink(flags)) return clusterConnections(flags);
  refuseIgnored(flags, CLUSTER_ONLY, 'with --dry-run (client) or --output-dir, which touch no cluster');
  return [];
}

/** The one cluster of a job that acts on one at a time. */
export function singleConnection(flags: {kubeconfig?: string; context?: string[]}, job: string): KubeConnection {
  const contexts = flags.context ?? [];
  if (contexts.length > 1) {
    throw invalidFlag('context', contexts, `can be given once for ${job}`, 'run the command once per context');
  }
  return {kubeconfig: flags.kubeconfig, context: contexts[0]};
}

/**
 * The clusters a job runs on: each --context given, or every context of the kubeconfig with
 * --all-contexts, or the current context. Names are checked against the kubeconfig before
 * any cluster is touched, so a typo fails the whole command with exit 2.
 */
export function clusterConnections(
  flags: {kubeconfig?: string; context?: string[]; 'all-contexts'?: boolean},
): KubeConnection[] {
  const base = {kubeconfig: flags.kubeconfig};
  if (flags['all-contexts']) {
    const all = contextNames(base);
    if (all.length === 0) throw invalidFlag('all-contexts', true, 'found no context in the kubeconfig');
    return all.map((context) => ({...base, context}));
  }
  const contexts = flags.context ?? [];
  if (contexts.length <= 1) return [{...base, context: contexts[0]}];
  const repeated = contexts.find((context, index) => contexts.indexOf(context) !== index);
  if (repeated) throw invalidFlag('context', repeated, 'is given more than once');
  const known = contextNames(base);
  const unknown = contexts.find((context) => !known.includes(context));
  if (unknown) {
    throw invalidFlag('context', unknown, `is not a context of the kubeconfig (known: ${known.join(', ') || 'none'})`);
  }
  return contexts.map((context) => ({...base, context}));
}

/** A duration flag's value in milliseconds; anything else is refused, naming the flag. */
export function durationFlag(value: string, flag: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw invalidFlag(flag, value, 'is not a duration', 'write it as 90s, 5m or 1h30m');
  return ms;
}
