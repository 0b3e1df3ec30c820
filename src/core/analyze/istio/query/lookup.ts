// Indexes over a context's objects, built once per context and shared by every
// analyser, so that a run over 10,000 objects does not scan the list per lookup.
import {groupOf, type SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import {nameOf, namespaceOf} from './fields.js';
import {matchesLabels, selectorText} from './selectors.js';

export const NETWORKING_GROUP = 'networking.istio.io';
export const SECURITY_GROUP = 'security.istio.io';
export const TELEMETRY_GROUP = 'telemetry.istio.io';
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const CORE_GROUP = '';

export interface Lookup {
  get(kind: string, namespace: string, name: string, group?: string): SourcedObject | undefined;
  inNamespace(kind: string, namespace: string, group?: string): SourcedObject[];
  /** Namespaces named by any object's metadata, plus Namespace objects, sorted. */
  namespaces(): string[];
  /** Pods whose labels match the selector, in one namespace or (undefined) all of them. The list is shared: do not modify it. */
  podsMatching(namespace: string | undefined, selector: Record<string, string>): SourcedObject[];
}

const cache = new WeakMap<IstioContext, Lookup>();

// Templates, not an array joined: these key every object, and every query.
function key(first: string, second: string): string {
  return `${first}\u0000${second}`;
}

function nameKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function pushTo<T>(map: Map<string, T[]>, at: string, value: T): void {
  const list = map.get(at);
  if (list) list.push(value);
  else map.set(at, [value]);
}

function ofGroup(list: SourcedObject[] | undefined, group: string | undefined): SourcedObject[] {
  if (!list) return [];
  return group === undefined ? list : list.filter((entry) => groupOf(entry.object.apiVersion) === group);
}

/** `find` with its answers kept by the key `keyOf` makes of the arguments. */
export function remembered<A, B, Answer>(keyOf: (a: A, b: B) => string,
  find: (a: A, b: B) => Answer): (a: A, b: B) => Answer
{
  const answers = new Map<string, Answer>();
  return (a, b) => {
    const at = keyOf(a, b);
    let found = answers.get(at);
    if (found === undefined) {
      found = find(a, b);
      answers.set(at, found);
    }
    return found;
  };
}

/** Many policies share a selector (every Gateway on `istio: ingressgateway`), so answers are kept. */
const rememberedPods = (find: Lookup['podsMatching']): Lookup['podsMatching'] =>
  remembered((namespace, selector) => key(namespace ?? '\u0001all', selectorText(selector)), find);

export function buildLookup(objects: readonly SourcedObject[]): Lookup {
  const byName = new Map<string, SourcedObject[]>();
  const byNamespace = new Map<string, SourcedObject[]>();
  const namespaces = new Set<string>();
  const pods: SourcedObject[] = [];
  for (const entry of objects) {
    const {kind} = entry.object;
    const namespace = namespaceOf(entry.object);
    pushTo(byName, nameKey(kind, namespace, nameOf(entry.object)), entry);
    pushTo(byNamespace, key(kind, namespace), entry);
    if (kind === 'Pod') pods.push(entry);
    if (namespace !== '') namespaces.add(namespace);
    if (kind === 'Namespace' && nameOf(entry.object) !== '') namespaces.add(nameOf(entry.object));
  }
  return {
    get: (kind, namespace, name, group) => ofGroup(byName.get(nameKey(kind, namespace, name)), group)[0],
    inNamespace: (kind, namespace, group) => ofGroup(byNamespace.get(key(kind, namespace)), group),
    namespaces: () => [...namespaces].sort(),
    podsMatching: rememberedPods((namespace, selector) => {
      const candidates = namespace === undefined ? pods : byNamespace.get(key('Pod', namespace)) ?? [];
      return candidates.filter((pod) => matchesLabels(selector, pod.object.metadata.labels));
    }),
  };
}

/** The lookup of `base`'s objects followed by `added`'s, from the two lookups. */
export function withAdded(base: Lookup, added: Lookup): Lookup {
  const both = <T>(first: T[], second: T[]): T[] => (second.length === 0 ? first : [...first, ...second]);
  return {
    get: (kind, namespace, name, group) =>
      base.get(kind, namespace, name, group) ?? added.get(kind, namespace, name, group),
    inNamespace: (kind, namespace, group) =>
      both(base.inNamespace(kind, namespace, group), added.inNamespace(kind, namespace, group)),
    namespaces: () => [...new Set([...base.namespaces(), ...added.namespaces()])].sort(),
    podsMatching: rememberedPods((namespace, selector) =>
      both(base.podsMatching(namespace, selector), added.podsMatching(namespace, selector))
    ),
  };
}

/** The shared indexes of a context (any IstioContext, including hand-made ones in tests). */
export function lookup(ctx: IstioContext): Lookup {
  let found = cache.get(ctx);
  if (!found) {
    found = buildLookup(ctx.objects);
    cache.set(ctx, found);
  }
  return found;
}

/** Gives a context the lookup of its objects built beforehand (an index shared by several contexts). */
export function useLookup(ctx: IstioContext, index: Lookup): void {
  cache.set(ctx, index);
}
