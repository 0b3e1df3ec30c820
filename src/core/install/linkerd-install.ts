// `install linkerd` against a cluster, the parts that are data: which Linkerd release and
// charts, which Kubernetes it needs, whether what the cluster runs allows an install, and
// the order things go in. Linkerd's Helm guide installs two charts, linkerd-crds then
// linkerd-control-plane, into the control plane's namespace; the identity issuer (a Secret)
// and the trust roots (a ConfigMap) are managed outside the chart (identity.externalCA and
// issuer scheme kubernetes.io/tls), so they must exist before the control plane starts.
import yaml from 'js-yaml';
import type {KubeObject} from '../objects.js';
import type {HelmRelease} from './istio-helm.js';
import type {Verdict} from './istio-versions.js';

/** The Linkerd release installed, and where its charts are published: the one place that names them. */
export const LINKERD_RELEASE = {
  version: 'edge-26.8.3',
  /** Helm chart version of that edge release (yyyy.m.n). */
  chartVersion: '2026.8.3',
  repository: 'https://helm.linkerd.io/edge',
  crdsChart: 'linkerd-crds',
  controlPlaneChart: 'linkerd-control-plane',
} as const;

/** The oldest Kubernetes minor (1.x) the release supports: the charts' `kubeVersion: '>=1.31.0-0'`. */
export const LINKERD_MIN_KUBERNETES_MINOR = 31;

export const LINKERD_NAMESPACE = 'linkerd';

export function linkerdKubernetesVerdict(kubernetes: {major: number; minor: number; gitVersion: string}): Verdict {
  if (kubernetes.major !== 1 || kubernetes.minor < LINKERD_MIN_KUBERNETES_MINOR) {
    return {
      problem:
        `Kubernetes ${kubernetes.gitVersion} is too old: Linkerd ${LINKERD_RELEASE.version} needs 1.${LINKERD_MIN_KUBERNETES_MINOR} or newer`,
    };
  }
  return {};
}

/** A Linkerd control plane found in the cluster: its identity Deployment. */
export interface InstalledLinkerd {
  namespace: string;
  /** The controller image's tag, e.g. `edge-26.8.3`; undefined for a digest. */
  version?: string;
}

/** The same release is a re-run (finishing or repeating an install); another one is an upgrade. */
export function linkerdInstallVerdict(installed: readonly InstalledLinkerd[], version: string): Verdict {
  const found = installed[0];
  if (!found) return {};
  if (installed.length > 1) {
    return {
      problem: `Linkerd runs in several namespaces (${
        installed.map((each) => each.namespace).join(', ')
      }); install it into a cluster without one`,
    };
  }
  if (found.namespace !== LINKERD_NAMESPACE) {
    return {
      problem: `Linkerd already runs in namespace ${found.namespace}; this install goes into ${LINKERD_NAMESPACE}`,
    };
  }
  if (!found.version) return {warning: `Linkerd is installed at an unknown version; installing ${version} over it`};
  if (found.version === version) return {};
  return {problem: `Linkerd ${found.version} is already installed; installing ${version} over it would be an upgrade`};
}

/** The controller image tag of a Deployment, when it is a tag. */
export function imageTagOf(deployment: KubeObject): string | undefined {
  const image =
    (deployment.spec as {template?: {spec?: {containers?: {image?: string}[]}}} | undefined)?.template?.spec?.containers
      ?.[0]?.image ?? '';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return image.includes('@') || colon <= slash ? undefined : image.slice(colon + 1);
}

/**
 * The control plane's namespace as `linkerd install` makes it: Linkerd's webhooks skip it
 * (`config.linkerd.io/admission-webhooks: disabled`) and nothing in it is injected.
 */
export function controlPlaneNamespace(labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: LINKERD_NAMESPACE,
      labels: {...labels, 'linkerd.io/is-control-plane': 'true', 'config.linkerd.io/admission-webhooks': 'disabled',
        'linkerd.io/control-plane-ns': LINKERD_NAMESPACE},
      annotations: {'linkerd.io/inject': 'disabled'},
    },
  };
}

/** The two releases in order: CRDs first (the control plane's webhooks and policy controller need them). */
export function linkerdHelmReleases(controlPlaneValues: Record<string, unknown>): HelmRelease[] {
  return [
    {name: LINKERD_RELEASE.crdsChart, namespace: LINKERD_NAMESPACE, chart: LINKERD_RELEASE.crdsChart, values: {}},
    {name: LINKERD_RELEASE.controlPlaneChart, namespace: LINKERD_NAMESPACE, chart: LINKERD_RELEASE.controlPlaneChart,
      values: controlPlaneValues},
  ];
}

/** The objects of a rendered `install linkerd`, by the step that applies them. */
export interface LinkerdInstallParts {
  /** The chart's values as the values ConfigMap carries them. */
  values: Record<string, unknown>;
  /** Applied before the control plane: its namespace, the issuer Secret, trust roots, the values ConfigMap. */
  identity: KubeObject[];
  /** The platform baseline, applied after the control plane. */
  baseline: KubeObject[];
}

/** The names of the identity objects install linkerd renders. */
export interface IdentityNames {
  /** The ConfigMap whose `values.yaml` holds the chart's values. */
  valuesConfigMap: string;
  issuerSecret: string;
  trustRootsConfigMap: string;
}

type ConfigMap = KubeObject & {data?: Record<string, string>};

const inControlPlane = (object: KubeObject) => object.metadata.namespace === LINKERD_NAMESPACE;

function valuesCarrier(objects: readonly KubeObject[], names: IdentityNames): ConfigMap {
  const carrier = objects.find((object) =>
    object.kind === 'ConfigMap' && object.metadata.name === names.valuesConfigMap && inControlPlane(object)
  );
  if (!carrier) {
    throw new Error(`the rendered install has no ConfigMap ${names.valuesConfigMap} in ${LINKERD_NAMESPACE}`);
  }
  return carrier as ConfigMap;
}

/** The chart's values as the values ConfigMap carries them: YAML with sorted keys, so equal values are equal text. */
export const dumpValues = (values: Record<string, unknown>): string => yaml.dump(values, {sortKeys: true});

/** The chart's values with these trust anchors (the proxies' `identityTrustAnchorsPEM`). */
export function withTrustAnchors(values: Record<string, unknown>, anchorsPem: string): Record<string, unknown> {
  return {...values, identityTrustAnchorsPEM: anchorsPem};
}

/** The install with other chart values: the values ConfigMap carries them too. */
export function withChartValues(parts: LinkerdInstallParts, names: IdentityNames,
  values: Record<string, unknown>): LinkerdInstallParts
{
  const carrier = valuesCarrier(parts.identity, names);
  const identity = parts.identity.map((object) =>
    object === carrier ? {...carrier, data: {...carrier.data, 'values.yaml': dumpValues(values)}} : object
  );
  return {...parts, values, identity};
}

/**
 * A cluster that has Linkerd's identity already keeps it: a re-run must not replace the trust
 * anchor under running proxies (that is a rotation, with steps of its own). The generated
 * issuer Secret and trust roots are left out, and the values carry the installed anchors.
 */
export function keepInstalledIdentity(parts: LinkerdInstallParts, names: IdentityNames,
  installedAnchorsPem: string): LinkerdInstallParts
{
  const identity = parts.identity.filter((object) =>
    !(object.kind === 'Secret' && object.metadata.name === names.issuerSecret)
    && !(object.kind === 'ConfigMap' && object.metadata.name === names.trustRootsConfigMap)
  );
  return withChartValues({...parts, identity}, names, withTrustAnchors(parts.values, installedAnchorsPem));
}

/** Splits a rendered install by the step that applies each object. */
export function splitLinkerdInstall(objects: readonly KubeObject[], names: IdentityNames): LinkerdInstallParts {
  const carrier = valuesCarrier(objects, names);
  const platformLabels = carrier.metadata.labels ?? {};
  return {
    values: yaml.load(carrier.data?.['values.yaml'] ?? '') as Record<string, unknown>,
    identity: [controlPlaneNamespace(platformLabels), ...objects.filter(inControlPlane)],
    baseline: objects.filter((object) => !inControlPlane(object)),
  };
}
