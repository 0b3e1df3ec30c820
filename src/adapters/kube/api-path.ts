// Where the API server serves a group version, a resource type or one object: the core group
// lives under /api, every named group under /apis/<group>.
import type {ResourceType} from './contract.js';

/** Which objects of a type: one namespace's (all namespaces when absent, or for cluster-scoped types), and one by name. */
export interface PathScope {
  namespace?: string;
  name?: string;
}

/** `/api/v1`, `/apis/apps/v1`: the discovery path of a group version. */
export function groupVersionPath({group, version}: Pick<ResourceType, 'group' | 'version'>): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** `/apis/apps/v1/namespaces/pay/deployments/api`; the namespace only for namespaced types, the name only when given. */
export function resourcePath(type: Pick<ResourceType, 'group' | 'version' | 'plural' | 'namespaced'>,
  scope: PathScope = {}): string
{
  const namespace = type.namespaced && scope.namespace ? `/namespaces/${encodeURIComponent(scope.namespace)}` : '';
  const name = scope.name === undefined ? '' : `/${encodeURIComponent(scope.name)}`;
  return `${groupVersionPath(type)}${namespace}/${type.plural}${name}`;
}
