// The kinds analysers read, declared with each analyser (its `inputs`); the live listing
// fetches their union, so a kind no analyser reads is never fetched.
import type {AnalyzerMetadata, GroupKind} from './types.js';

/** Kinds of one API group ('' for the core group); `*` stands for every kind of the group. */
export function kinds(group: string, ...names: string[]): GroupKind[] {
  return names.map((kind) => ({group, kind}));
}

/** Pods and the controllers that stamp them out from a template. */
export const WORKLOAD_INPUTS: readonly GroupKind[] = [
  ...kinds('', 'Pod'),
  ...kinds('apps', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'),
  ...kinds('batch', 'Job', 'CronJob'),
];

/** Every kind some analyser reads, each once, sorted by group then kind. */
export function inputsOf(analyzers: readonly Pick<AnalyzerMetadata, 'inputs'>[]): GroupKind[] {
  const unique = new Map<string, GroupKind>();
  for (const input of analyzers.flatMap((analyzer) => analyzer.inputs)) {
    unique.set(`${input.group}/${input.kind}`, input);
  }
  return [...unique.values()].sort((a,
    b) => (a.group === b.group ? (a.kind < b.kind ? -1 : 1) : a.group < b.group ? -1 : 1)
  );
}
