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

function key(...parts: string[]): string {
  return parts.join('\u0000');
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

function buildLookup(objects: readonly SourcedObject[]): Lookup {
  const byName = new Map<string, SourcedObject[]>();
  const byNamespace = new Map<string, SourcedObject[]>();
  const namespaces = new Set<string>();
  const pods: SourcedObject[] = [];
  const podsBySelector = new Map<string, SourcedObject[]>();
  for (const entry of objects) {
    const {kind} = entry.object;
    const namespace = namespaceOf(entry.object);
    pushTo(byName, key(kind, namespace, nameOf(entry.object)), entry);
    pushTo(byNamespace, key(kind, namespace), entry);
    if (kind === 'Pod') pods.push(entry);
    if (namespace !== '') namespaces.add(namespace);
    if (kind === 'Namespace' && nameOf(entry.object) !== '') namespaces.add(nameOf(entry.object));
  }
  return {
    get: (kind, namespace, name, group) => ofGroup(byName.get(key(kind, namespace, name)), group)[0],
    inNamespace: (kind, namespace, group) => ofGroup(byNamespace.get(key(kind, namespace)), group),
    namespaces: () => [...namespaces].sort(),
    podsMatching: (namespace, selector) => {
      // Many policies share a selector (every Gateway on `istio: ingressgateway`), so answers are kept.
      const memoKey = key(namespace ?? '\u0001all', selectorText(selector));
      let found = podsBySelector.get(memoKey);
      if (!found) {
        const candidates = namespace === undefined ? pods : byNamespace.get(key('Pod', namespace)) ?? [];
        found = candidates.filter((pod) => matchesLabels(selector, pod.object.metadata.labels));
        podsBySelector.set(memoKey, found);
      }
      return found;
    },
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
