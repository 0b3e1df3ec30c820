// `sparc-mesh offboard`: delete exactly what onboarding created for one service, found by its
// labels, and nothing else: never the namespace, never the namespace baseline that other
// services share, never objects sparc-mesh does not manage.
import type {KubeClient, KubeConnection, ResourceType} from '../adapters/kube/client.js';
import {displayName, type KubeObject, type ResourceRef} from '../core/objects.js';
import {summarize, type ApplySummary} from '../core/apply/results.js';
import type {ActionDeps} from './deps.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const SERVICE_LABEL = 'sparc-mesh.io/service';

/**
 * Every kind the service templates render (templates/service, istio, linkerd, policies), by
 * API group; a test renders every profile and mesh and checks that none is missing here.
 */
export const SERVICE_KINDS: Record<string, string[]> = {
  '': ['ServiceAccount'],
  'security.istio.io': ['AuthorizationPolicy', 'RequestAuthentication'],
  'networking.istio.io': ['DestinationRule', 'VirtualService', 'EnvoyFilter'],
  'networking.k8s.io': ['NetworkPolicy'],
  'flagger.app': ['Canary'],
  'policy.linkerd.io': ['Server', 'MeshTLSAuthentication', 'AuthorizationPolicy'],
  'gateway.networking.k8s.io': ['HTTPRoute'],
};

export interface OffboardInput {
  service: string;
  namespace: string;
  connection: KubeConnection;
  /** `client`: list what would be deleted; `server`: also ask the API server to dry-run each delete. */
  dryRun?: 'client' | 'server';
}

export interface OffboardResult extends ApplySummary {
  service: string;
  namespace: string;
  dryRun?: 'client' | 'server';
}

export const serviceSelector = (service: string) => `${MANAGED_BY}=sparc-mesh,${SERVICE_LABEL}=${service}`;

/**
 * An object outside the service's namespace belongs to this service only if it is the egress
 * NetworkPolicy a caller namespace got for it: its egress goes to the service's namespace.
 * (A service of the same name in another namespace carries the same labels.)
 */
function egressTo(object: KubeObject, namespace: string): boolean {
  const egress =
    ((object.spec as {egress?: {to?: {namespaceSelector?: {matchLabels?: Record<string, string>}}[]}[]} | undefined)
      ?.egress) ?? [];
  return egress.some((rule) =>
    (rule.to ?? []).some((peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === namespace)
  );
}

function belongsTo(object: KubeObject, input: Pick<OffboardInput, 'namespace'>): boolean {
  if (object.metadata.namespace === input.namespace) return true;
  return object.kind === 'NetworkPolicy' && egressTo(object, input.namespace);
}

/** The service's objects in the cluster, in the reverse of apply order (policies before identities). */
export async function findServiceObjects(client: KubeClient, service: string,
  namespace: string): Promise<KubeObject[]>
{
  const served = await client.discover(Object.keys(SERVICE_KINDS));
  const types = served.filter((type) => SERVICE_KINDS[type.group]?.includes(type.kind));
  const lists = await Promise.all(types.map((type: ResourceType) =>
    // NetworkPolicies are looked for in every namespace: callers' namespaces get egress rules.
    client.list(type, {namespace: type.kind === 'NetworkPolicy' ? undefined : namespace,
      labelSelector: serviceSelector(service)})
  ));
  const found = lists.flat().filter((object) => belongsTo(object, {namespace}));
  return found.sort((a, b) => Number(a.kind === 'ServiceAccount') - Number(b.kind === 'ServiceAccount'));
}

const refOfLive = (object: KubeObject): ResourceRef => ({apiVersion: object.apiVersion, kind: object.kind,
  name: object.metadata.name ?? '', namespace: object.metadata.namespace});

/** Deletes the service's objects one by one, reporting each as progress. */
export async function offboard(input: OffboardInput,
  deps: Pick<ActionDeps, 'connect' | 'progress'>): Promise<OffboardResult>
{
  const client = await deps.connect(input.connection);
  const objects = await findServiceObjects(client, input.service, input.namespace);
  const results = [];
  for (const object of objects) {
    const ref = refOfLive(object);
    // Deleting only the object we listed (same uid), never a namesake created since.
    const gone = input.dryRun === 'client'
      ? true
      : await client.delete(ref, {uid: object.metadata.uid as string | undefined, dryRun: input.dryRun === 'server'});
    if (!gone) continue;
    results.push({ref, action: 'deleted' as const});
    deps.progress(`${displayName(ref)} deleted${input.dryRun ? ` (dry run: ${input.dryRun})` : ''}`);
  }
  const summary = summarize(results);
  return {...summary,
    summary: results.length
      ? summary.summary
      : `nothing to offboard: no objects of ${input.service} managed by sparc-mesh in ${input.namespace}`,
    service: input.service, namespace: input.namespace, ...(input.dryRun ? {dryRun: input.dryRun} : {})};
}
