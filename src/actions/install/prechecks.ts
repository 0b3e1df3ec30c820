// What install checks before it changes anything: the Kubernetes version against the mesh's
// support table, the caller's permissions (SelfSubjectAccessReview, as `kubectl auth can-i`),
// and what is installed already. Every check runs, and all failures are reported at once.
import {PreconditionError} from '../../errors.js';
import {servedType, type AccessCheck, type KubeClient} from '../../adapters/kube/client.js';
import {groupOf, type KubeObject} from '../../core/objects.js';
import {installVerdict, kubernetesVerdict, parseIstioVersion, type InstalledRevision, type IstioVersion,
  type Verdict} from '../../core/install/istio-versions.js';

export interface Precheck {
  name: string;
  ok: boolean;
  message: string;
}

/** What a control plane's install (istioctl, or a mesh's charts) creates: cluster-wide types, and the control plane's own namespace. */
export function controlPlaneAccess(namespace: string): AccessCheck[] {
  const cluster: [string, string][] = [['apiextensions.k8s.io', 'customresourcedefinitions'], [
    'rbac.authorization.k8s.io',
    'clusterroles',
  ], ['rbac.authorization.k8s.io', 'clusterrolebindings'], ['admissionregistration.k8s.io',
    'mutatingwebhookconfigurations'], ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'], ['',
    'namespaces']];
  const namespaced: [string, string][] = [['apps', 'deployments'], ['', 'services'], ['', 'serviceaccounts'], ['',
    'configmaps'], ['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'rolebindings'], ['policy',
    'poddisruptionbudgets'], ['autoscaling', 'horizontalpodautoscalers']];
  return [...cluster.map(([group, resource]) => ({group, resource})),
    ...namespaced.map(([group, resource]) => ({group, resource, namespace}))]
    .flatMap((target) => ['create', 'patch'].map((verb) => ({verb, ...target})));
}

/** Kubernetes' default plural of a kind (the rule CRDs of Istio and Gateway API follow). */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return lower.endsWith('s') ? `${lower}es` : `${lower}s`;
}

/** Server-side apply of each baseline object: create (when new) and patch, where it lives. */
export async function baselineAccess(client: KubeClient, objects: readonly KubeObject[]): Promise<AccessCheck[]> {
  const checks = await Promise.all(objects.map(async (object) => {
    // Kinds whose CRDs istioctl is about to create are not served yet: their plural follows the default rule.
    const resource = (await servedType(client, object.apiVersion, object.kind))?.plural ?? pluralOf(object.kind);
    return ['create', 'patch'].map((verb) => ({verb, group: groupOf(object.apiVersion), resource,
      namespace: object.metadata.namespace})
    );
  }));
  return checks.flat();
}

const describeAccess = (check: AccessCheck) =>
  `${check.verb} ${check.resource}${check.group ? `.${check.group}` : ''}${
    check.namespace ? ` in ${check.namespace}` : ' (cluster-wide)'
  }`;

export async function permissionCheck(client: KubeClient, checks: AccessCheck[]): Promise<Precheck> {
  const unique = [...new Map(checks.map((check) => [describeAccess(check), check])).values()];
  const allowed = await client.canI(unique);
  const denied = unique.filter((_, index) => !allowed[index]).map(describeAccess);
  return denied.length
    ? {name: 'permissions', ok: false, message: `the caller may not ${denied.join(', ')}`}
    : {name: 'permissions', ok: true, message: `${unique.length} permissions checked (SelfSubjectAccessReview)`};
}

/** istiod Deployments in the cluster, with their revision and version. */
export async function installedIstio(client: KubeClient): Promise<InstalledRevision[]> {
  const deployments = await client.list(await client.resourceType('apps/v1', 'Deployment'), {
    labelSelector: 'app=istiod',
  });
  return deployments.map((deployment) => {
    const image =
      (deployment.spec as {template?: {spec?: {containers?: {image?: string}[]}}} | undefined)?.template?.spec
        ?.containers?.[0]?.image ?? '';
    const tag = image.includes('@') ? '' : image.slice(image.lastIndexOf(':') + 1);
    return {revision: deployment.metadata.labels?.['istio.io/rev'] ?? 'default',
      namespace: deployment.metadata.namespace ?? '', version: parseIstioVersion(tag)};
  });
}

export function fromVerdict(name: string, verdict: Verdict, fine: string): Precheck {
  return {name, ok: !verdict.problem, message: verdict.problem ?? verdict.warning ?? fine};
}

export interface IstioPrecheckInput {
  version: IstioVersion;
  revision: string;
  namespace: string;
  baseline: readonly KubeObject[];
}

export interface PrecheckResult {
  checks: Precheck[];
  installed: InstalledRevision[];
}

export async function istioPrechecks(client: KubeClient, input: IstioPrecheckInput): Promise<PrecheckResult> {
  const [kubernetes, accessChecks] = await Promise.all([client.serverVersion(),
    baselineAccess(client, input.baseline)]);
  const checks = [
    fromVerdict('kubernetes-version', kubernetesVerdict(input.version, kubernetes),
      `Kubernetes ${kubernetes.gitVersion} is supported by Istio ${input.version.text}`),
    // Finding an existing install lists Deployments cluster-wide: asked here too, so that a caller without it hears so.
    await permissionCheck(client, [...controlPlaneAccess(input.namespace), {verb: 'list', group: 'apps',
      resource: 'deployments'}, ...accessChecks]),
  ];
  const installed = checks[1]!.ok ? await installedIstio(client) : [];
  if (checks[1]!.ok) {
    checks.push(
      fromVerdict('existing-install', installVerdict(installed, input.revision, input.version),
        installed.length
          ? `installed: ${
            installed.map((found) => `${found.revision} (${found.version?.text ?? 'unknown version'})`).join(', ')
          }`
          : 'no Istio control plane found'),
    );
  }
  refuseFailed('install istio', checks,
    'use `sparc-mesh upgrade istio --to VERSION`, or install a new --revision beside it');
  return {checks, installed};
}

/** Throws, naming every failed check, when one failed; `upgradeHint` is the advice when an existing install was the reason. */
export function refuseFailed(command: string, checks: readonly Precheck[], upgradeHint: string): void {
  const failed = checks.filter((check) => !check.ok);
  if (failed.length) {
    throw new PreconditionError(
      `${command}: ${failed.length} pre-check${failed.length === 1 ? '' : 's'} failed; nothing was changed:\n${
        failed.map((check) => `  ${check.name}: ${check.message}`).join('\n')
      }`,
      failed.some((check) => check.name === 'existing-install') ? upgradeHint : undefined,
    );
  }
}
