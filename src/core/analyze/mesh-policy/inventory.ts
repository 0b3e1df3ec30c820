// One index over an analysis input, shared by every SM rule and by the reachability
// model: workloads with their pod template (labels, service account, container ports),
// Services, namespaces with labels, mesh membership and the mesh configuration found
// among the objects. Built once per object list (cached), so rules never rescan it.
import yaml from 'js-yaml';
import {groupOf, type SourcedObject} from '../../objects.js';
import type {IstioContext} from '../istio/context.js';
import {createIstioContext} from '../istio/create-context.js';
import {asArray, asInteger, asRecord, asString, asStringMap, at, nameOf, namespaceOf} from '../istio/query/fields.js';
import {CORE_GROUP, lookup, type Lookup} from '../istio/query/lookup.js';
import {matchesLabelSelector, matchesLabels} from '../istio/query/selectors.js';
import {servicePorts, type KubeServicePort} from '../istio/query/ports.js';
import {isKubernetesNamespace} from '../istio/query/workload.js';
import type {AnalysisInput, GroupKind} from '../types.js';
import {kinds, WORKLOAD_INPUTS} from '../inputs.js';

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: string;
}

/** A Pod, or a controller standing for the Pods of its template. */
export interface Workload {
  target: SourcedObject;
  kind: string;
  name: string;
  namespace: string;
  /** Pod labels (a controller's template labels). */
  labels: Record<string, string>;
  /** Pod annotations (a controller's template annotations). */
  annotations: Record<string, string>;
  serviceAccount: string;
  ports: ContainerPort[];
}

export interface ServiceInfo {
  target: SourcedObject;
  name: string;
  namespace: string;
  /** Undefined for Services without a selector (their endpoints are managed by hand). */
  selector: Record<string, string> | undefined;
  ports: KubeServicePort[];
  annotations: Record<string, string>;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The Namespace object, when the input holds one (then labels are known, not guessed). */
  target?: SourcedObject;
}

/** Which data plane a workload's pods join; `unknown` when neither labels nor annotations say. */
export type MeshMembership = 'istio' | 'linkerd' | 'none' | 'unknown';

export interface Inventory {
  ctx: IstioContext;
  lookup: Lookup;
  workloads: Workload[];
  workloadsIn(namespace: string): Workload[];
  services: ServiceInfo[];
  servicesIn(namespace: string): ServiceInfo[];
  /** Workloads carrying every label of `labels`, in one namespace or (undefined) in all; found through a label index. */
  workloadsWithLabels(namespace: string | undefined, labels: Record<string, string>): Workload[];
  /** Workloads a metav1.LabelSelector selects in one namespace or (undefined) in all. */
  workloadsSelectedBy(namespace: string | undefined, selector: unknown): Workload[];
  /** Workloads a Service selects (none for selector-less Services). */
  backendsOf(service: ServiceInfo): Workload[];
  /** Known namespaces: input.namespaces, Namespace objects and every namespace an object names. */
  namespaces: Map<string, NamespaceInfo>;
  /** True when the input lists the namespaces that exist (from a cluster), so a name missing from the map does not exist. */
  namespacesComplete: boolean;
  meshOf(workload: Workload): MeshMembership;
  /** Istio's root namespace and trust domain, from a mesh config among the objects or the defaults. */
  rootNamespace: string;
  trustDomain: string;
  /** Every mesh config document found among the objects (istio ConfigMaps, IstioOperators). */
  meshConfigs: {target: SourcedObject; config: Record<string, unknown>}[];
  /** The mesh config the user gave (AnalysisInput.meshConfig), which beats those among the objects. */
  givenMeshConfig?: Record<string, unknown>;
}

export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const WORKLOAD_GROUPS = new Set(['', 'apps', 'batch']);

function containerPorts(podSpec: unknown): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const container of asArray(at(podSpec, 'containers'))) {
    for (const entry of asArray(at(container, 'ports'))) {
      const port = asInteger(at(entry, 'containerPort'));
      if (port === undefined) continue;
      const result: ContainerPort = {port, protocol: asString(at(entry, 'protocol')) ?? 'TCP'};
      const name = asString(at(entry, 'name'));
      if (name !== undefined) result.name = name;
      ports.push(result);
    }
  }
  return ports;
}

function toWorkload(target: SourcedObject): Workload | undefined {
  const {object} = target;
  const path = POD_TEMPLATE_PATHS[object.kind];
  if (!path || !WORKLOAD_GROUPS.has(groupOf(object.apiVersion))) return undefined;
  const template = path.length === 0 ? object : at(object, ...path);
  const podSpec = at(template, 'spec');
  return {
    target,
    kind: object.kind,
    name: nameOf(object),
    namespace: namespaceOf(object),
    labels: asStringMap(at(template, 'metadata', 'labels')),
    annotations: asStringMap(at(template, 'metadata', 'annotations')),
    serviceAccount: asString(at(podSpec, 'serviceAccountName')) ?? asString(at(podSpec, 'serviceAccount')) ?? 'default',
    ports: containerPorts(podSpec),
  };
}

/** A Pod owned by a ReplicaSet that is itself in the input is the same workload twice: keep the owner only. */
function ownerIsPresent(target: SourcedObject, index: Lookup): boolean {
  const namespace = namespaceOf(target.object);
  return asArray(target.object.metadata.ownerReferences).some((owner) => {
    const kind = asString(at(owner, 'kind'));
    const name = asString(at(owner, 'name'));
    return kind !== undefined && name !== undefined && index.get(kind, namespace, name) !== undefined;
  });
}

/** A YAML document held in a string (ConfigMap data), as a record; undefined when it is not one. */
export function parseYamlRecord(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return asRecord(yaml.load(text));
  } catch {
    return undefined;
  }
}

/** Istio's mesh config lives in the `istio` (or `istio-<revision>`) ConfigMap, or in an IstioOperator's spec.meshConfig. */
function findMeshConfigs(objects: readonly SourcedObject[]): Inventory['meshConfigs'] {
  const found: Inventory['meshConfigs'] = [];
  for (const target of objects) {
    const {object} = target;
    const name = nameOf(object);
    if (object.kind === 'ConfigMap' && (name === 'istio' || name.startsWith('istio-'))) {
      const config = parseYamlRecord(at(object, 'data', 'mesh'));
      if (config) found.push({target, config});
    } else if (object.kind === 'IstioOperator' && groupOf(object.apiVersion) === 'install.istio.io') {
      found.push({target, config: asRecord(at(object, 'spec', 'meshConfig')) ?? {}});
    }
  }
  return found;
}

function label(workload: Workload, key: string): string | undefined {
  return workload.labels[key] ?? workload.annotations[key];
}

function buildInventory(input: AnalysisInput): Inventory {
  const meshConfigs = findMeshConfigs(input.objects);
  const configured = input.meshConfig ?? meshConfigs[0]?.config;
  const ctx = createIstioContext(input.index?.() ?? input.objects,
    configured ? {addDefaultIngressGateway: false, meshConfig: configured} : {addDefaultIngressGateway: false});
  const index = lookup(ctx);

  const workloads: Workload[] = [];
  const workloadsByNamespace = new Map<string, Workload[]>();
  const workloadsByLabel = new Map<string, Workload[]>();
  for (const target of ctx.objects) {
    const workload = toWorkload(target);
    if (!workload || ownerIsPresent(target, index)) continue;
    workloads.push(workload);
    pushTo(workloadsByNamespace, workload.namespace, workload);
    for (const [key, value] of Object.entries(workload.labels)) {
      pushTo(workloadsByLabel, labelKey(workload.namespace, key, value), workload);
      pushTo(workloadsByLabel, labelKey(undefined, key, value), workload);
    }
  }
  const workloadsWithLabels = (namespace: string | undefined, labels: Record<string, string>): Workload[] => {
    const pairs = Object.entries(labels);
    if (pairs.length === 0) return namespace === undefined ? workloads : workloadsByNamespace.get(namespace) ?? [];
    // Start from the rarest label pair, then check the others.
    const candidates = pairs.map(([key, value]) => workloadsByLabel.get(labelKey(namespace, key, value)) ?? [])
      .reduce((smallest, list) => (list.length < smallest.length ? list : smallest));
    return pairs.length === 1 ? candidates : candidates.filter((workload) => matchesLabels(labels, workload.labels));
  };

  const services: ServiceInfo[] = [];
  const servicesByNamespace = new Map<string, ServiceInfo[]>();
  for (const target of ctx.byKind('Service', CORE_GROUP)) {
    const selector = asRecord(at(target.object, 'spec', 'selector'));
    const service: ServiceInfo = {
      target,
      name: nameOf(target.object),
      namespace: namespaceOf(target.object),
      selector: selector && Object.keys(selector).length > 0 ? asStringMap(selector) : undefined,
      ports: servicePorts(target.object),
      annotations: asStringMap(target.object.metadata.annotations),
    };
    services.push(service);
    pushTo(servicesByNamespace, service.namespace, service);
  }

  const namespaces = new Map<string, NamespaceInfo>();
  const ensureNamespace = (name: string): void => {
    if (!namespaces.has(name)) {
      namespaces.set(name, {name, labels: {'kubernetes.io/metadata.name': name}, annotations: {}});
    }
  };
  for (const name of input.namespaces ?? []) ensureNamespace(name);
  for (const name of index.namespaces()) ensureNamespace(name);
  for (const target of ctx.byKind('Namespace', CORE_GROUP)) {
    const name = nameOf(target.object);
    namespaces.set(name, {
      name,
      labels: {...asStringMap(target.object.metadata.labels), 'kubernetes.io/metadata.name': name},
      annotations: asStringMap(target.object.metadata.annotations),
      target,
    });
  }

  const meshOf = (workload: Workload): MeshMembership => {
    const namespace = namespaces.get(workload.namespace);
    const linkerdInject = workload.annotations['linkerd.io/inject'] ?? namespace?.annotations['linkerd.io/inject'];
    if (linkerdInject === 'enabled' || linkerdInject === 'ingress') return 'linkerd';
    const sidecar = label(workload, 'sidecar.istio.io/inject');
    if (sidecar === 'true' || label(workload, 'istio.io/rev') !== undefined) return 'istio';
    if (label(workload, 'istio.io/dataplane-mode') === 'ambient') return 'istio';
    if (sidecar === 'false') return 'none';
    const nsLabels = namespace?.labels ?? {};
    if (nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'] !== undefined) return 'istio';
    if (nsLabels['istio.io/dataplane-mode'] === 'ambient') return 'istio';
    if (nsLabels['istio-injection'] === 'disabled' || linkerdInject === 'disabled') return 'none';
    return 'unknown';
  };

  return {
    ctx,
    lookup: index,
    workloads,
    workloadsIn: (namespace) => workloadsByNamespace.get(namespace) ?? [],
    services,
    servicesIn: (namespace) => servicesByNamespace.get(namespace) ?? [],
    workloadsWithLabels,
    workloadsSelectedBy: (namespace, selector) =>
      workloadsWithLabels(namespace, asStringMap(at(selector, 'matchLabels')))
        .filter((workload) => matchesLabelSelector(selector, workload.labels)),
    backendsOf: (service) => (service.selector ? workloadsWithLabels(service.namespace, service.selector) : []),
    namespaces,
    namespacesComplete: input.namespaces !== undefined,
    meshOf,
    rootNamespace: ctx.meshConfig.rootNamespace,
    trustDomain: asString(ctx.meshConfig.raw.trustDomain) || DEFAULT_TRUST_DOMAIN,
    meshConfigs,
    ...(input.meshConfig ? {givenMeshConfig: input.meshConfig} : {}),
  };
}

function labelKey(namespace: string | undefined, key: string, value: string): string {
  return `${namespace ?? '*'}\u0000${key}\u0000${value}`;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const cache = new WeakMap<object, Map<string, Inventory>>();

/** The inventory of an input, built once per object list, namespace list and given mesh config, and then shared. */
/** What every inventory reads: workloads, Services, namespaces and the mesh configs (ConfigMaps). */
export const INVENTORY_INPUTS: readonly GroupKind[] = [...WORKLOAD_INPUTS,
  ...kinds('', 'ConfigMap', 'Namespace', 'Service')];

export function inventoryOf(input: AnalysisInput): Inventory {
  let byNamespaces = cache.get(input.objects);
  if (!byNamespaces) {
    byNamespaces = new Map();
    cache.set(input.objects, byNamespaces);
  }
  const key = `${(input.namespaces ?? []).join('\u0000')}\u0001${
    input.meshConfig ? JSON.stringify(input.meshConfig) : ''
  }`;
  let found = byNamespaces.get(key);
  if (!found) {
    found = buildInventory(input);
    byNamespaces.set(key, found);
  }
  return found;
}

/** Namespaces that belong to Kubernetes itself or to a mesh control plane: baseline rules leave them alone. */
export function isControlPlaneNamespace(name: string, inventory: Inventory): boolean {
  return isKubernetesNamespace(name) || name === inventory.rootNamespace || name === 'istio-system'
    || name === 'linkerd'
    || name.startsWith('linkerd-');
}

/** The name a namespace-level finding shows; objects without a namespace land in the one `kubectl apply -n` picks. */
export function namespaceLabel(name: string): string {
  return name === '' ? '(no namespace in the YAML)' : name;
}
