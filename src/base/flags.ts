// Flags declared once and shared, kubectl style (cli-runtime's genericclioptions).
import {Flags} from '@oclif/core';

/** Which cluster: for commands that act on a whole cluster, where a namespace would be ignored. */
export const clusterFlags = {
  kubeconfig: Flags.string({description: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).',
    helpGroup: 'CONNECTION'}),
  context: Flags.string({description: 'Kubeconfig context to use; repeat it to act on several clusters.',
    multiple: true, helpGroup: 'CONNECTION'}),
};

export const connectionFlags = {
  ...clusterFlags,
  namespace: Flags.string({char: 'n', description: 'Namespace to act in.', helpGroup: 'CONNECTION'}),
};

/** For jobs that run on several clusters at once (one result per cluster). */
export const allContextsFlag = Flags.boolean({
  description: 'Run on every context of the kubeconfig, in parallel, with one result per cluster.',
  exclusive: ['context'],
  helpGroup: 'CONNECTION',
});

/** `-o` with a fixed list, so an unknown format is refused with the allowed ones listed; --json is a format of its own. */
export function outputFlag<const T extends string>(formats: readonly T[], defaultFormat: T) {
  return Flags.option({char: 'o', description: 'Output format.', options: formats, default: defaultFormat,
    exclusive: ['json']})();
}

export const dryRunFlag = Flags.option({
  description:
    'Print what would be applied and change nothing. `client` renders locally; `server` asks the API server to validate without persisting.',
  options: ['client', 'server'] as const,
})();

/** What rendering reads. */
export const renderInputFlags = {
  config: Flags.string({description: 'Platform config file (default: ./sparc-mesh.yaml when present).',
    helpGroup: 'INPUT'}),
  templates: Flags.string({description: 'Directory of templates to render instead of the built-in ones.',
    helpGroup: 'INPUT'}),
};

/** Rendering's inputs and its file sink, which a dry run (printing, or asking the server) excludes. */
export const renderFlags = {
  ...renderInputFlags,
  'output-dir': Flags.string({
    description: 'Write one file per object into this directory (the GitOps path) instead of printing.',
    exclusive: ['dry-run'],
    helpGroup: 'OUTPUT',
  }),
  force: Flags.boolean({
    description: 'With --output-dir, overwrite files of the same name that sparc-mesh did not write.',
    dependsOn: ['output-dir'],
    helpGroup: 'OUTPUT',
  }),
};

export const yesFlag = Flags.boolean({char: 'y', description: 'Answer yes to confirmations (for scripts and CI).',
  default: false});

/** Server-side apply's --force-conflicts, as kubectl spells it. */
export const forceConflictsFlag = Flags.boolean({
  description: 'Take over fields that another field manager owns instead of failing with a conflict.',
  default: false,
});

export const waitTimeoutFlag = Flags.string({
  description: 'How long to wait for workloads to become ready, e.g. 90s, 5m.',
  default: '5m',
});
