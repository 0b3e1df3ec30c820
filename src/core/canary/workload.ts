// The objects a controller-less canary adds beside a service, as Flagger names them: the
// Deployment NAME-canary (the primary's spec with the new image) and the Services
// NAME-primary and NAME-canary that routing weighs against each other. Both tracks keep every
// label of the primary's pods, so the service's AuthorizationPolicies, Linkerd Servers and
// NetworkPolicies (which select `app: NAME`) cover the canary too; one label,
// `sparc-mesh.io/track`, tells the tracks apart.
import type {KubeObject, ResourceRef} from '../objects.js';
import {isRecord} from '../record.js';

export const TRACK_LABEL = 'sparc-mesh.io/track';
export type Track = 'primary' | 'canary';

const MANAGED = {'app.kubernetes.io/managed-by': 'sparc-mesh'};

export const canaryName = (service: string) => `${service}-canary`;
export const trackServiceName = (service: string, track: Track) => `${service}-${track}`;

export function deploymentRef(namespace: string, name: string): ResourceRef {
  return {apiVersion: 'apps/v1', kind: 'Deployment', namespace, name};
}

export function serviceRef(namespace: string, name: string): ResourceRef {
  return {apiVersion: 'v1', kind: 'Service', namespace, name};
}

interface Container {
  name: string;
  image?: string;
  [key: string]: unknown;
}

function podSpecOf(deployment: KubeObject): {containers: Container[]} & Record<string, unknown> {
  const spec = deployment.spec as {template?: {spec?: {containers?: Container[]}}} | undefined;
  return (spec?.template?.spec ?? {containers: []}) as {containers: Container[]};
}

/** The container a rollout changes: the one named, else the one named like the service, else the first. */
export function rolloutContainer(deployment: KubeObject, service: string, named?: string): Container | string {
  const containers = podSpecOf(deployment).containers;
  if (named !== undefined) {
    return containers.find((container) => container.name === named)
      ?? `has no container ${JSON.stringify(named)} (it has ${containers.map((c) => c.name).join(', ') || 'none'})`;
  }
  return containers.find((container) => container.name === service) ?? containers[0] ?? 'has no containers';
}

/** `registry:5000/team/app:1.2@sha256:…` with its tag (and digest) replaced by `version`. */
export function imageWithTag(image: string, version: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return `${colon === -1 ? withoutDigest : withoutDigest.slice(0, colon)}:${version}`;
}

/** The pod template's containers with one image changed, for a merge patch (which replaces the whole list). */
export function containersWithImage(deployment: KubeObject, container: string, image: string): Container[] {
  return podSpecOf(deployment).containers.map((entry) => (entry.name === container ? {...entry, image} : entry));
}

/** The primary's pod template, labelled as the primary track (a merge patch). */
export function primaryTrackPatch(): Record<string, unknown> {
  return {spec: {template: {metadata: {labels: {[TRACK_LABEL]: 'primary'}}}}};
}

export function hasPrimaryTrack(deployment: KubeObject): boolean {
  const template = (deployment.spec as {template?: {metadata?: {labels?: Record<string, string>}}} | undefined)
    ?.template;
  return template?.metadata?.labels?.[TRACK_LABEL] === 'primary';
}

/** NAME-canary: the primary's spec, its own selector and track label, and the new image. */
export function canaryDeployment(primary: KubeObject, service: string, container: string, image: string): KubeObject {
  const spec = structuredClone(primary.spec) as Record<string, unknown> & {
    selector?: {matchLabels?: Record<string, string>};
    template?: {metadata?: Record<string, unknown> & {labels?: Record<string, string>}; spec?: unknown};
  };
  const templateMeta = spec.template?.metadata ?? {};
  const {annotations} = templateMeta;
  spec.selector = {...spec.selector, matchLabels: {...spec.selector?.matchLabels, [TRACK_LABEL]: 'canary'}};
  spec.template = {
    ...spec.template,
    metadata: {labels: {...templateMeta.labels, [TRACK_LABEL]: 'canary'}, ...(isRecord(annotations)
      ? {annotations}
      : {})},
    spec: {...podSpecOf(primary), containers: containersWithImage(primary, container, image)},
  };
  delete spec.paused;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: canaryName(service), namespace: primary.metadata.namespace,
      labels: {...primary.metadata.labels, ...MANAGED, [TRACK_LABEL]: 'canary'}},
    spec,
  };
}

/** NAME-primary or NAME-canary: the service's ports and selector, narrowed to one track. */
export function trackService(primaryService: KubeObject, service: string, track: Track): KubeObject | string {
  const spec = primaryService.spec as {selector?: Record<string, string>; ports?: Record<string, unknown>[]}
    | undefined;
  if (!spec?.selector || Object.keys(spec.selector).length === 0) {
    return 'has no selector: the canary cannot be told apart from pods the Service does not pick';
  }
  const ports = (spec.ports ?? []).map(({nodePort: _nodePort, ...port}) => port);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: trackServiceName(service, track), namespace: primaryService.metadata.namespace,
      labels: {...MANAGED, [TRACK_LABEL]: track}},
    spec: {selector: {...spec.selector, [TRACK_LABEL]: track}, ports},
  };
}
