// Istio's effective mTLS mode for a workload and port, from PeerAuthentication:
// a workload-selecting policy beats the namespace-wide one, which beats the mesh-wide
// one in the root namespace; UNSET inherits; with none at all Istio runs PERMISSIVE.
// Port-level settings count only on workload-selecting policies (as in Istio).
import type {SourcedObject} from '../../objects.js';
import {asRecord, asString, asStringMap, at, namespaceOf} from '../istio/query/fields.js';
import {SECURITY_GROUP} from '../istio/query/lookup.js';
import {SelectorIndex} from '../istio/query/label-index.js';
import type {Inventory, Workload} from './inventory.js';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
export type MtlsLevel = 'default' | 'mesh' | 'namespace' | 'workload' | 'port';

export interface MtlsResolution {
  mode: MtlsMode;
  level: MtlsLevel;
  /** The PeerAuthentication that decided, absent for Istio's default. */
  decidedBy?: SourcedObject;
}

export interface MtlsIndex {
  forNamespace(namespace: string): MtlsResolution;
  /** `port` is the workload (container) port; port-level settings apply only when it is given. */
  forWorkload(workload: Workload, port?: number): MtlsResolution;
}

const MODES = new Set(['STRICT', 'PERMISSIVE', 'DISABLE']);

/** The mode a PeerAuthentication (or one port of it) sets; undefined for UNSET or absent. */
export function declaredMode(mtls: unknown): MtlsMode | undefined {
  const mode = asString(at(mtls, 'mode'));
  return mode !== undefined && MODES.has(mode) ? (mode as MtlsMode) : undefined;
}

export function peerSelector(target: SourcedObject): Record<string, string> | undefined {
  const selector = asRecord(at(target.object, 'spec', 'selector'));
  if (!selector) return undefined;
  const labels = asStringMap(selector.matchLabels);
  return Object.keys(labels).length > 0 ? labels : undefined;
}

const cache = new WeakMap<Inventory, MtlsIndex>();

export function mtlsIndexOf(inventory: Inventory): MtlsIndex {
  const cached = cache.get(inventory);
  if (cached) return cached;
  const wide = new Map<string, SourcedObject>();
  // Workload-selecting policies by namespace, indexed by selector: a namespace may hold one per workload.
  const selecting = new Map<string, SelectorIndex<{order: number; target: SourcedObject}>>();
  const policies = inventory.ctx.byKind('PeerAuthentication', SECURITY_GROUP);
  for (const [order, target] of policies.entries()) {
    const namespace = namespaceOf(target.object);
    const selector = peerSelector(target);
    if (selector) {
      let index = selecting.get(namespace);
      if (!index) selecting.set(namespace, index = new SelectorIndex());
      index.add({order, target}, selector);
    } else if (!wide.has(namespace)) {
      // Istio keeps the oldest of several namespace-wide policies; input order stands in for age.
      wide.set(namespace, target);
    }
  }

  const forNamespace = (namespace: string): MtlsResolution => {
    let resolution: MtlsResolution = {mode: 'PERMISSIVE', level: 'default'};
    const mesh = wide.get(inventory.rootNamespace);
    const meshMode = mesh && declaredMode(at(mesh.object, 'spec', 'mtls'));
    if (mesh && meshMode) resolution = {mode: meshMode, level: 'mesh', decidedBy: mesh};
    const local = namespace === inventory.rootNamespace ? undefined : wide.get(namespace);
    const localMode = local && declaredMode(at(local.object, 'spec', 'mtls'));
    if (local && localMode) resolution = {mode: localMode, level: 'namespace', decidedBy: local};
    return resolution;
  };

  const resolved = new Map<Workload, Map<number | undefined, MtlsResolution>>();
  const resolve = (workload: Workload, port: number | undefined): MtlsResolution => {
    let resolution = forNamespace(workload.namespace);
    // Of several policies selecting the workload, the first in input order.
    const matching = selecting.get(workload.namespace)?.selecting(workload.labels) ?? [];
    const policy = matching.reduce<(typeof matching)[number] | undefined>(
      (first, entry) => (first && first.order < entry.order ? first : entry),
      undefined,
    )?.target;
    if (!policy) return resolution;
    const mode = declaredMode(at(policy.object, 'spec', 'mtls'));
    if (mode) resolution = {mode, level: 'workload', decidedBy: policy};
    const portMode = port === undefined
      ? undefined
      : declaredMode(at(policy.object, 'spec', 'portLevelMtls', String(port)));
    if (portMode) resolution = {mode: portMode, level: 'port', decidedBy: policy};
    return resolution;
  };
  const index: MtlsIndex = {
    forNamespace,
    forWorkload(workload, port) {
      let byPort = resolved.get(workload);
      if (!byPort) {
        byPort = new Map();
        resolved.set(workload, byPort);
      }
      let found = byPort.get(port);
      if (!found) {
        found = resolve(workload, port);
        byPort.set(port, found);
      }
      return found;
    },
  };
  cache.set(inventory, index);
  return index;
}
