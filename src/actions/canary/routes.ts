// The service's routes on the cluster during a canary run: found (or made) once, their
// original rules kept in the run state, rewritten with each weight, put back at the end.
import {servedType, type KubeClient, type ResourceType} from '../../adapters/kube/client.js';
import type {KubeObject, ResourceRef} from '../../core/objects.js';
import {isRecord} from '../../core/record.js';
import {newRoute, ROUTE_KIND, routesService, weightedRules, type HeaderMatch,
  type RouteTarget} from '../../core/canary/routing.js';
import type {SavedRoute} from '../../core/canary/run-state.js';
import {PreconditionError} from '../../errors.js';

async function routeType(client: KubeClient, target: RouteTarget): Promise<ResourceType> {
  const {apiVersion, kind} = ROUTE_KIND[target.mesh];
  const type = await servedType(client, apiVersion, kind);
  if (!type) {
    throw new PreconditionError(
      `the API server does not serve ${kind} (${apiVersion}), which ${target.mesh} routing needs`,
      target.mesh === 'istio'
        ? 'install Istio first (sparc-mesh install istio)'
        : "install the Gateway API's CRDs first",
    );
  }
  return type;
}

const routeRef = (target: RouteTarget, name: string): ResourceRef => ({...ROUTE_KIND[target.mesh],
  namespace: target.namespace, name});

/** The service's routes and their rules as they are now; when it has none, the one the run makes (`created`). */
export async function currentRoutes(client: KubeClient, target: RouteTarget, port: number): Promise<SavedRoute[]> {
  const field = ROUTE_KIND[target.mesh].rulesField;
  const rulesOf = (route: KubeObject) => (isRecord(route.spec) && Array.isArray(route.spec[field])
    ? route.spec[field] as unknown[]
    : []);
  const live = (await client.list(await routeType(client, target), {namespace: target.namespace}))
    .filter((route) => routesService(route, target));
  if (live.length) {
    return live.map((route) => ({name: route.metadata.name ?? '', created: false, rules: rulesOf(route)}));
  }
  const made = newRoute(target, port);
  return [{name: made.metadata.name ?? '', created: true, rules: rulesOf(made)}];
}

export async function createRoute(client: KubeClient, route: KubeObject): Promise<void> {
  await client.apply(route);
}

/** The saved routes that are there now (a route the run makes may not be yet; someone may have deleted one). */
export async function existingRoutes(client: KubeClient, target: RouteTarget,
  routes: readonly SavedRoute[]): Promise<SavedRoute[]>
{
  const present = await Promise.all(routes.map((route) => client.get(routeRef(target, route.name))));
  return routes.filter((_route, index) => present[index] !== undefined);
}

/** Every saved route with the canary at `weight` percent. */
export async function setCanaryWeight(client: KubeClient, target: RouteTarget, routes: readonly SavedRoute[],
  weight: number, match?: HeaderMatch): Promise<void>
{
  const field = ROUTE_KIND[target.mesh].rulesField;
  await Promise.all(
    routes.map((route) =>
      client.mergePatch(routeRef(target, route.name), {
        spec: {[field]: weightedRules(route.rules, target, weight, match)},
      })
    ),
  );
}

/** The routes as they were before the run: original rules back, routes the run made removed (give only existing ones). */
export async function restoreRoutes(client: KubeClient, target: RouteTarget,
  routes: readonly SavedRoute[]): Promise<void>
{
  const field = ROUTE_KIND[target.mesh].rulesField;
  await Promise.all(routes.map(async (route) => {
    const ref = routeRef(target, route.name);
    if (route.created) await client.delete(ref);
    else await client.mergePatch(ref, {spec: {[field]: route.rules}});
  }));
}
