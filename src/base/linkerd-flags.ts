// Flags that install linkerd and upgrade linkerd share: where Linkerd's charts are, the tools
// that install them, and high availability.
import {Flags} from '@oclif/core';
import {LINKERD_RELEASE} from '../core/install/linkerd-install.js';

export const linkerdToolFlags = {
  'chart-dir': Flags.string({
    description:
      `A directory with Linkerd's charts (folders, or archives such as ${LINKERD_RELEASE.controlPlaneChart}-${LINKERD_RELEASE.chartVersion}.tgz), for clusters without access to ${LINKERD_RELEASE.repository}.`,
    helpGroup: 'TOOLS',
  }),
  helm: Flags.string({description: "The helm executable (Linkerd's charts).", default: 'helm', env: 'SPARC_MESH_HELM',
    helpGroup: 'TOOLS'}),
  linkerd: Flags.string({
    description:
      'The linkerd executable: linkerd check, and the manifests of a control plane installed from the linkerd binary (--method cli).',
    default: 'linkerd',
    env: 'SPARC_MESH_LINKERD',
    helpGroup: 'TOOLS',
  }),
};

export const haFlag = Flags.boolean({
  description: 'Run the control plane highly available (3 replicas, anti-affinity, disruption budgets).',
  allowNo: true,
});

/** Where Linkerd's charts come from: --chart-dir, else the release's repository. */
export const linkerdCharts = (flags: {'chart-dir'?: string}) => flags['chart-dir'] ?? LINKERD_RELEASE.repository;
