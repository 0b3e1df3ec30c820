// The mesh CLIs' own checks for `debug bundle`, each as JSON in checks/: for Istio what
// `istioctl bug-report` adds as its analysis (`istioctl analyze -A`, `istioctl version`), for
// Linkerd `linkerd check`. Each runs only when its control plane is there, within a time
// limit; a missing binary, a failure or a time-out is a line of the manifest, not a failure.
import type {KubeConnection} from '../../adapters/kube/client.js';
import {istioctlAnalyzeAll, istioctlVersions} from '../../adapters/tools/istioctl.js';
import {linkerdCheckOutput} from '../../adapters/tools/linkerd.js';
import {ISTIO_NAMESPACE} from '../../core/analyze/istio/create-context.js';
import type {CheckOutput} from '../../core/debug/bundle.js';
import {LINKERD_NAMESPACE} from '../../core/install/linkerd-install.js';
import type {KubeObject} from '../../core/objects.js';
import {ToolError} from '../../errors.js';
import {INSTALL, isMissingTool, missingToolMessage, type MeshTool} from './tools.js';

export interface MeshCheckInput {
  connection: KubeConnection;
  istioctl: string;
  linkerd: string;
  /** Longest wait for one check: a hung check must not hang the bundle. */
  checkTimeoutMs: number;
}

interface Check {
  tool: MeshTool;
  file: string;
  run: () => Promise<string>;
}

function checksFor(input: MeshCheckInput, controlPlane: readonly KubeObject[]): Check[] {
  const installed = (namespace: string) => controlPlane.some((pod) => pod.metadata.namespace === namespace);
  const istioctl = {binary: input.istioctl, connection: input.connection};
  const linkerd = {binary: input.linkerd, connection: input.connection};
  const timeout = input.checkTimeoutMs;
  return [
    ...(installed(ISTIO_NAMESPACE)
      ? [{tool: 'istioctl' as const, file: 'checks/istioctl-analyze.json',
        run: () => istioctlAnalyzeAll(istioctl, timeout)}, {tool: 'istioctl' as const,
        file: 'checks/istioctl-version.json', run: () => istioctlVersions(istioctl, timeout)}]
      : []),
    ...(installed(LINKERD_NAMESPACE)
      ? [{tool: 'linkerd' as const, file: 'checks/linkerd-check.json',
        // linkerd retries a failing check until --wait; half the limit leaves it time to report.
        run: () => linkerdCheckOutput(linkerd, {scope: 'all', waitMs: timeout / 2}, timeout)}]
      : []),
  ];
}

export async function collectChecks(input: MeshCheckInput,
  controlPlane: readonly KubeObject[]): Promise<{checks: CheckOutput[]; notCollected: string[]}>
{
  const checks: CheckOutput[] = [];
  const notCollected: string[] = [];
  await Promise.all(checksFor(input, controlPlane).map(async (check) => {
    try {
      checks.push({file: check.file, text: await check.run()});
    } catch (error) {
      const binary = check.tool === 'istioctl' ? input.istioctl : input.linkerd;
      if (isMissingTool(error)) {
        notCollected.push(`${check.file}: ${missingToolMessage(check.tool, binary)}; ${INSTALL[check.tool]}`);
      } else if (error instanceof ToolError) notCollected.push(`${check.file}: ${error.message}`);
      else throw error;
    }
  }));
  return {checks: checks.sort((a, b) => (a.file < b.file ? -1 : 1)), notCollected: notCollected.sort()};
}
