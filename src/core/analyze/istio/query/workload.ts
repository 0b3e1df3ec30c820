// Facts about workloads that several analysers share: where a Pod spec lives, whether a
// workload carries (or will get) the Istio sidecar, which namespaces are the cluster's
// own. They follow istioctl's rules so that analysers agree with each other.
import type {KubeObject, SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import {asArray, asRecord, asString, asStringMap, at, namespaceOf} from './fields.js';
import {lookup} from './lookup.js';

export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const SIDECAR_INJECT = 'sidecar.istio.io/inject';
export const PROXY_CONTAINER = 'istio-proxy';

/**
 * Namespaces Kubernetes and local clusters own, as Istio's injector lists them (its
 * IgnoredNamespaces): it never injects there, and no rule judges them. Add-ons that merely
 * start with `kube-` (kube-flannel, kube-prometheus) are workloads like any other.
 */
const KUBERNETES_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export function isKubernetesNamespace(namespace: string): boolean {
  return KUBERNETES_NAMESPACES.has(namespace);
}

/** Istio's own components carry an `istio` label or `release: istio`; user-facing rules skip them. */
export function isControlPlane(object: KubeObject): boolean {
  const labels = asStringMap(object.metadata.labels);
  return Object.hasOwn(labels, 'istio') || labels.release === 'istio';
}

export interface PodTemplate {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Record<string, unknown>;
  /** The spec's `containers`. */
  containers: Container[];
  /** `containers`, then `initContainers` (native sidecars run there). */
  containersWithInit: Container[];
}

/** Controllers that stamp out pods from a template, by API group. */
const POD_CONTROLLERS: readonly [kind: string, group: string][] = [
  ['Deployment', 'apps'],
  ['StatefulSet', 'apps'],
  ['DaemonSet', 'apps'],
  ['ReplicaSet', 'apps'],
  ['Job', 'batch'],
  ['CronJob', 'batch'],
];

/** Every Pod and pod-template controller of the configuration. */
export function workloadObjects(ctx: IstioContext): SourcedObject[] {
  return [ctx.byKind('Pod', ''), ...POD_CONTROLLERS.map(([kind, group]) => ctx.byKind(kind, group))].flat();
}

/** A Pod's own metadata and spec, or a controller's pod template (a CronJob's sits one level deeper). */
function readPodTemplate(object: KubeObject): PodTemplate {
  const pod = object.kind === 'Pod';
  const template = pod
    ? object
    : object.kind === 'CronJob'
    ? at(object, 'spec', 'jobTemplate', 'spec', 'template')
    : at(object, 'spec', 'template');
  const spec = asRecord(at(template, 'spec')) ?? {};
  const containers = containersOf(spec, false);
  return {
    labels: asStringMap(at(template, 'metadata', 'labels')),
    annotations: asStringMap(at(template, 'metadata', 'annotations')),
    spec,
    containers,
    containersWithInit: [...containers, ...toContainers(spec.initContainers)],
  };
}

/** Each context's pod templates, read once per object: a dozen analysers ask for the same workloads'. */
const templates = new WeakMap<IstioContext, Map<KubeObject, PodTemplate>>();

/** The object's pod template as `readPodTemplate` reads it; shared by the context's analysers, so not to be modified. */
export function podTemplateOf(ctx: IstioContext, object: KubeObject): PodTemplate {
  let known = templates.get(ctx);
  if (!known) templates.set(ctx, known = new Map());
  let template = known.get(object);
  if (!template) known.set(object, template = readPodTemplate(object));
  return template;
}

export interface Container {
  name: string;
  image: string;
  raw: Record<string, unknown>;
}

function toContainers(value: unknown): Container[] {
  return asArray(value).flatMap((entry) => {
    const raw = asRecord(entry);
    return raw ? [{name: asString(raw.name) ?? '', image: asString(raw.image) ?? '', raw}] : [];
  });
}

/** `containers`, and with `withInit` also `initContainers` (native sidecars run there). */
export function containersOf(spec: Record<string, unknown>, withInit: boolean): Container[] {
  const main = toContainers(spec.containers);
  return withInit ? [...main, ...toContainers(spec.initContainers)] : main;
}

export function hasProxyContainer(containers: readonly Container[]): boolean {
  return containers.some((container) => container.name === PROXY_CONTAINER);
}

/** The Namespace object of that name, if the configuration holds one. */
export function namespaceObject(ctx: IstioContext, name: string): KubeObject | undefined {
  return lookup(ctx).get('Namespace', '', name, '')?.object;
}

/**
 * Whether the workload runs with a sidecar: it already has one, or its own
 * `sidecar.istio.io/inject` label (then annotation) says so, or else its namespace
 * has automatic injection enabled.
 */
export function inMesh(ctx: IstioContext, object: KubeObject, template: PodTemplate,
  containers: readonly Container[]): boolean
{
  if (hasProxyContainer(containers)) return true;
  const own = template.labels[SIDECAR_INJECT] ?? template.annotations[SIDECAR_INJECT];
  if (own !== undefined) return own === 'true';
  const namespace = namespaceObject(ctx, namespaceOf(object));
  return namespace !== undefined && asStringMap(namespace.metadata.labels)[INJECTION_LABEL] === 'enabled';
}
