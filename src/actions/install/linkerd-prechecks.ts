// What install linkerd checks before it changes anything: the Kubernetes version against
// Linkerd's minimum, the Gateway API CRDs Linkerd's routes build on, the caller's
// permissions (SelfSubjectAccessReview), an existing control plane, and, on a cluster
// without one, `linkerd check --pre` when the linkerd binary is there.
import {servedType, type KubeClient, type KubeConnection} from '../../adapters/kube/client.js';
import {linkerdCheck} from '../../adapters/tools/linkerd.js';
import {UsageError} from '../../errors.js';
import type {CheckRow} from '../../core/install/linkerd-check.js';
import {imageTagOf, LINKERD_NAMESPACE, linkerdInstallVerdict, linkerdKubernetesVerdict,
  type InstalledLinkerd} from '../../core/install/linkerd-install.js';
import type {KubeObject} from '../../core/objects.js';
import {baselineAccess, controlPlaneAccess, fromVerdict, permissionCheck, refuseFailed,
  type Precheck} from './prechecks.js';

/** Linkerd's identity Deployments in the cluster, with their namespace and release. */
export async function installedLinkerd(client: KubeClient): Promise<InstalledLinkerd[]> {
  const deployments = await client.list(await client.resourceType('apps/v1', 'Deployment'), {
    labelSelector: 'linkerd.io/control-plane-component=identity',
  });
  return deployments.map((deployment) => ({namespace: deployment.metadata.namespace ?? '',
    version: imageTagOf(deployment)})
  );
}

export interface LinkerdPrecheckInput {
  version: string;
  /** Every object sparc-mesh applies itself (identity, values, baseline). */
  objects: readonly KubeObject[];
  /** The linkerd binary, for `linkerd check --pre`; absent: that check is skipped. */
  linkerd?: {binary: string; connection: KubeConnection};
}

export interface LinkerdPrecheckResult {
  checks: Precheck[];
  installed: InstalledLinkerd[];
  /** `linkerd check --pre`, when it ran. */
  preRows?: CheckRow[];
}

async function gatewayApiCheck(client: KubeClient): Promise<Precheck> {
  const served = await servedType(client, 'gateway.networking.k8s.io/v1', 'HTTPRoute');
  return served
    ? {name: 'gateway-api', ok: true, message: 'the Gateway API CRDs are installed (HTTPRoute is served)'}
    : {name: 'gateway-api', ok: false,
      message:
        'Linkerd needs the Gateway API CRDs (gateway.networking.k8s.io HTTPRoute is not served): install its standard channel first'};
}

/**
 * `linkerd check --pre`; a binary that is not there skips it. Its failures are reported,
 * not refused: `linkerd install` itself does not refuse them, and some concern only
 * extensions (the tap API of linkerd-viz needs the API server's request-header CA).
 */
async function linkerdPreCheck(
  linkerd: NonNullable<LinkerdPrecheckInput['linkerd']>,
): Promise<{check: Precheck; rows?: CheckRow[]}> {
  try {
    const report = await linkerdCheck(linkerd, {scope: 'pre', waitMs: 30_000});
    const failed = report.rows.filter((row) => row.status === 'error');
    return {
      rows: report.rows,
      check: failed.length
        ? {name: 'linkerd-check-pre', ok: true,
          message: `${failed.length} of ${report.rows.length} checks failed (reported, not refused): ${
            failed.map((row) => `${row.name}: ${row.error ?? 'failed'}`).join('; ')
          }`}
        : {name: 'linkerd-check-pre', ok: true, message: `${report.rows.length} checks of linkerd check --pre passed`},
    };
  } catch (error) {
    if (error instanceof UsageError && error.code === 'ToolNotFound') {
      return {check: {name: 'linkerd-check-pre', ok: true, message: `skipped: ${error.message}`}};
    }
    throw error;
  }
}

export async function linkerdPrechecks(client: KubeClient,
  input: LinkerdPrecheckInput): Promise<LinkerdPrecheckResult>
{
  const [kubernetes, accessChecks, gatewayApi] = await Promise.all([client.serverVersion(),
    baselineAccess(client, input.objects), gatewayApiCheck(client)]);
  const checks = [
    fromVerdict('kubernetes-version', linkerdKubernetesVerdict(kubernetes),
      `Kubernetes ${kubernetes.gitVersion} is supported by Linkerd ${input.version}`),
    gatewayApi,
    await permissionCheck(client, [...controlPlaneAccess(LINKERD_NAMESPACE), {verb: 'list', group: 'apps',
      resource: 'deployments'}, ...accessChecks]),
  ];
  const permitted = checks[2]!.ok;
  const installed = permitted ? await installedLinkerd(client) : [];
  if (permitted) {
    checks.push(
      fromVerdict('existing-install', linkerdInstallVerdict(installed, input.version),
        installed.length
          ? `installed: ${
            installed.map((found) => `${found.version ?? 'unknown version'} in ${found.namespace}`).join(', ')
          }`
          : 'no Linkerd control plane found'),
    );
  }
  // --pre asks whether Linkerd can be installed from scratch: an existing control plane fails it by design.
  const pre = permitted && !installed.length && input.linkerd ? await linkerdPreCheck(input.linkerd) : undefined;
  if (pre) checks.push(pre.check);
  refuseFailed('install linkerd', checks, 'upgrade the installed release instead, or remove it first');
  return {checks, installed, ...(pre?.rows && {preRows: pre.rows})};
}
