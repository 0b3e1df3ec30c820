// Host names as Istio reads them: short names resolve in the namespace of the object
// that names them, and a leading `*` is a wildcard over DNS suffixes.
import type {Absence} from '../../types.js';

export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** `reviews` in `shop` → `reviews.shop.svc.cluster.local`; wildcards and dotted names are kept as written. */
export function toFqdn(host: string, namespace: string): string {
  if (host.startsWith('*') || host.includes('.')) return host;
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** The Service a Kubernetes FQDN names (`name.ns.svc.cluster.local`), or undefined for other hosts. */
export function serviceOfFqdn(host: string): {namespace: string; name: string} | undefined {
  const match = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  return match ? {name: match[1] ?? '', namespace: match[2] ?? ''} : undefined;
}

/** What the configuration lacks when a host resolves to nothing: the Service a Kubernetes name names, else a ServiceEntry anywhere. */
export function absenceOfHost(host: string, namespace: string): Absence {
  // A short name is a Service of the naming object's namespace, also where the YAML gives none.
  if (!host.startsWith('*') && !host.includes('.')) return {kind: 'Service', namespace};
  const service = serviceOfFqdn(host);
  return service ? {kind: 'Service', namespace: service.namespace} : {kind: 'ServiceEntry'};
}

function isWildcard(host: string): boolean {
  return host.startsWith('*');
}

/** Whether some concrete name is matched by both hosts (`*.x.com` and `a.x.com`, `*` and anything). */
export function hostsIntersect(a: string, b: string): boolean {
  if (isWildcard(a) && isWildcard(b)) return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  if (isWildcard(a)) return b.endsWith(a.slice(1));
  if (isWildcard(b)) return a.endsWith(b.slice(1));
  return a === b;
}

/** Whether every name that `host` matches is matched by `pattern`. */
export function hostCovers(pattern: string, host: string): boolean {
  if (!isWildcard(pattern)) return pattern === host;
  const suffix = pattern.slice(1);
  // A wildcard host is covered only by a wildcard at least as broad: `*.a.x.com` by `*.x.com`, not the reverse.
  return host.endsWith(suffix) && (!isWildcard(host) || host.length >= pattern.length);
}

/** `ns/name` → both parts; a bare `name` takes the default namespace. */
export function splitNamespaced(ref: string, defaultNamespace: string): {namespace: string; name: string} {
  const slash = ref.indexOf('/');
  if (slash === -1) return {namespace: defaultNamespace, name: ref};
  return {namespace: ref.slice(0, slash), name: ref.slice(slash + 1)};
}
