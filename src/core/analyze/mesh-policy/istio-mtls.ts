// Istio's effective mTLS mode for a workload and port, from PeerAuthentication:
// a workload-selecting policy beats the namespace-wide one, which beats the mesh-wide
// one in the root namespace; UNSET inherits; with none at all Istio runs PERMISSIVE.
// Port-level settings count only on workload-selecting policies (as in Istio).
import type {SourcedObject} from '../../objects.js';
import {asRecord, asString, asStringMap, at, namespaceOf} from '../istio/query/fields.js';
import {SECURITY_GROUP} from '../istio/query/lookup.js';
import {matchesLabels} from '../istio/query/selectors.js';
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
  // Selectors are read once per policy: every workload of a namespace is matched against all of its policies.
  const selecting = new Map<string, {target: SourcedObject; selector: Record<string, string>}[]>();
  for (const target of inventory.ctx.byKind('PeerAuthentication', SECURITY_GROUP)) {
    const namespace = namespaceOf(target.object);
    const selector = peerSelector(target);
    if (selector) {
      const list = selecting.get(namespace) ?? [];
      list.push({target, selector});
      selecting.set(namespace, list);
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
    const policy = (selecting.get(workload.namespace) ?? []).find(({selector}) =>
      matchesLabels(selector, workload.labels)
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
