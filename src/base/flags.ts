// Flags declared once and shared, kubectl style (cli-runtime's genericclioptions).
import {Flags} from '@oclif/core';

export const connectionFlags = {
  kubeconfig: Flags.string({description: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).', helpGroup: 'CONNECTION'}),
  context: Flags.string({description: 'Kubeconfig context to use; repeat it to act on several clusters.', multiple: true, helpGroup: 'CONNECTION'}),
  namespace: Flags.string({char: 'n', description: 'Namespace to act in.', helpGroup: 'CONNECTION'}),
};

/** For jobs that run on several clusters at once (one result per cluster). */
export const allContextsFlag = Flags.boolean({description: 'Run on every context of the kubeconfig, in parallel, with one result per cluster.', exclusive: ['context'], helpGroup: 'CONNECTION'});

/** `-o` with a fixed list, so an unknown format is refused with the allowed ones listed. */
export function outputFlag<const T extends string>(formats: readonly T[], defaultFormat: T) {
  return Flags.option({char: 'o', description: 'Output format.', options: formats, default: defaultFormat})();
}

export const dryRunFlag = Flags.option({
  description: 'Print what would be applied and change nothing. `client` renders locally; `server` asks the API server to validate without persisting.',
  options: ['client', 'server'] as const,
})();

export const renderFlags = {
  config: Flags.string({description: 'Platform config file (default: ./sparc-mesh.yaml when present).', helpGroup: 'INPUT'}),
  templates: Flags.string({description: 'Directory of templates to render instead of the built-in ones.', helpGroup: 'INPUT'}),
  'output-dir': Flags.string({description: 'Write one file per object into this directory (the GitOps path) instead of printing.', helpGroup: 'OUTPUT'}),
  force: Flags.boolean({description: 'With --output-dir, overwrite files of the same name that sparc-mesh did not write.', dependsOn: ['output-dir'], helpGroup: 'OUTPUT'}),
};

export const yesFlag = Flags.boolean({char: 'y', description: 'Answer yes to confirmations (for scripts and CI).', default: false});

/** Server-side apply's --force-conflicts, as kubectl spells it. */
export const forceConflictsFlag = Flags.boolean({description: 'Take over fields that another field manager owns instead of failing with a conflict.', default: false});

export const waitTimeoutFlag = Flags.string({description: 'How long to wait for workloads to become ready, e.g. 90s, 5m.', default: '5m'});
