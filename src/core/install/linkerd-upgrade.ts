// Plans a Linkerd upgrade (or its rollback) from what the cluster runs, as Linkerd's upgrade
// guide orders it: CRDs first, then the control plane, then whatever the new version no longer
// ships is removed, then the data plane is restarted so its proxies come from the new control
// plane, then `linkerd check`. Which jumps are allowed follows the same guide: Linkerd
// versions (2.x) one at a time, since a data plane may trail its control plane by one version
// only. Edge releases are not semantically versioned; the Releases page names, for each
// version, its corresponding edge release (the `version-2.x` tags), and an edge release
// belongs to the newest version whose corresponding edge release it is not older than.
// Pure: the action carries the steps out.

import {groupOf, type KubeObject} from '../objects.js';

export interface EdgeRelease {
  channel: 'edge';
  /** edge-YY.M.N: the year's last two digits, the month, the release's number in that month. */
  year: number;
  month: number;
  number: number;
  text: string;
}

export interface StableRelease {
  channel: 'stable';
  /** stable-2.X.Y: X is what Linkerd calls the major version. */
  major: number;
  minor: number;
  text: string;
}

export type LinkerdRelease = EdgeRelease | StableRelease;

export function parseLinkerdRelease(text: string): LinkerdRelease | undefined {
  const trimmed = text.trim();
  const edge = /^edge-(\d{2})\.(\d{1,2})\.(\d+)$/.exec(trimmed);
  if (edge) {
    return {channel: 'edge', year: Number(edge[1]), month: Number(edge[2]), number: Number(edge[3]), text: trimmed};
  }
  const stable = /^stable-2\.(\d+)\.(\d+)$/.exec(trimmed);
  if (stable) return {channel: 'stable', major: Number(stable[1]), minor: Number(stable[2]), text: trimmed};
  return undefined;
}

/**
 * Each Linkerd version (2.x) from 2.15 on and its corresponding edge release: linkerd.io's
 * Releases and Versions page (the website's data/versions.yaml) and the linkerd2 repository's
 * `version-2.x` tags. Since 2.15 the project publishes edge releases only; 2.14 was the last
 * stable release series with artifacts (stable-2.14.10).
 */
export const LINKERD_VERSIONS: readonly {major: number; edge: string}[] = [
  {major: 15, edge: 'edge-24.2.4'},
  {major: 16, edge: 'edge-24.8.2'},
  {major: 17, edge: 'edge-24.11.8'},
  {major: 18, edge: 'edge-25.4.4'},
  {major: 19, edge: 'edge-25.10.7'},
  {major: 20, edge: 'edge-26.6.3'},
];

const edgeRank = (release: EdgeRelease) => (release.year * 100 + release.month) * 1000 + release.number;

/** The Linkerd version (2.x) a release belongs to; undefined for an edge release older than this table (before 2.15). */
export function majorOf(release: LinkerdRelease): number | undefined {
  if (release.channel === 'stable') return release.major;
  const rank = edgeRank(release);
  const found = LINKERD_VERSIONS.filter((version) => edgeRank(parseLinkerdRelease(version.edge) as EdgeRelease) <= rank)
    .at(-1);
  return found?.major;
}

/**
 * Whether `a` is older than `b`: by version (an edge release before this table counts as 2.14
 * or older), then within the channel (edge releases by date, stable ones by number). Within
 * one version a stable and an edge release are not ordered.
 */
function older(a: LinkerdRelease, b: LinkerdRelease): boolean {
  const [majorA, majorB] = [majorOf(a) ?? 14, majorOf(b) ?? 14];
  if (majorA !== majorB) return majorA < majorB;
  if (a.channel === 'edge' && b.channel === 'edge') return edgeRank(a) < edgeRank(b);
  if (a.channel === 'stable' && b.channel === 'stable') return a.minor < b.minor;
  return false;
}

export interface JumpVerdict {
  problem?: string;
  hint?: string;
}

/**
 * The upgrades Linkerd supports: to a release of the same version or of the next one, never
 * back (that is --rollback). The same release again is allowed: it applies new values.
 */
export function linkerdUpgradeVerdict(from: LinkerdRelease, to: LinkerdRelease): JumpVerdict {
  if (from.text === to.text) return {};
  if (older(to, from)) {
    return {problem: `Linkerd ${to.text} is older than the installed ${from.text}`,
      hint: 'to go back to the values before the last upgrade, use --rollback'};
  }
  const [fromMajor, toMajor] = [majorOf(from), majorOf(to)];
  if (fromMajor === undefined) {
    return {
      problem: `cannot tell which Linkerd version ${from.text} belongs to (sparc-mesh knows them from 2.15 on)`,
      hint: `upgrade to 2.15's edge release ${LINKERD_VERSIONS[0]!.edge} first, with Linkerd's own tools`,
    };
  }
  if (toMajor !== undefined && toMajor - fromMajor > 1) {
    const next = LINKERD_VERSIONS.find((version) => version.major === fromMajor + 1);
    return {
      problem: `Linkerd does not support upgrading from 2.${fromMajor} (${from.text}) to 2.${toMajor} (${to.text}) `
        + 'in one step: a data plane may trail its control plane by one version only',
      hint: `upgrade to 2.${fromMajor + 1} first${
        next ? ` (its edge release ${next.edge}, or a later edge release of 2.${fromMajor + 1})` : ''
      }`,
    };
  }
  return {};
}

/** How the installed control plane was put there, and so how it is upgraded: Linkerd's charts through helm, or the linkerd binary's manifests. */
export type LinkerdUpgradeMethod = 'helm' | 'cli';

export type LinkerdUpgradeStep =
  | {step: 'save-values'; configMap: string}
  | {step: 'crds'; method: LinkerdUpgradeMethod; release: string}
  | {step: 'control-plane'; method: LinkerdUpgradeMethod; release: string}
  | {step: 'prune'; namespace: string}
  | {step: 'restart-data-plane'}
  | {step: 'check'};

/** What the cluster runs, as the action found it. */
export interface LinkerdUpgradeSource {
  /** The controller image tag of the installed control plane (edge-26.8.3); undefined when it is not a tag. */
  version?: string;
  namespace: string;
  method: LinkerdUpgradeMethod;
  /** The release whose values were kept by the last upgrade (for --rollback); undefined when none were. */
  previousRelease?: string;
}

export interface LinkerdUpgradeRequest {
  /** The release this sparc-mesh installs (its charts and binary). */
  to: string;
  rollback: boolean;
  /** ConfigMaps of the values: the current ones, and those kept for --rollback. */
  valuesConfigMap: string;
  previousValuesConfigMap: string;
}

export interface LinkerdUpgradePlan {
  from: string;
  to: string;
  method: LinkerdUpgradeMethod;
  rollback: boolean;
  steps: LinkerdUpgradeStep[];
}

export type LinkerdPlanResult = {plan: LinkerdUpgradePlan} | {problem: string; hint?: string};

export function planLinkerdUpgrade(source: LinkerdUpgradeSource | undefined,
  request: LinkerdUpgradeRequest): LinkerdPlanResult
{
  if (!source) return {problem: 'no Linkerd control plane is installed', hint: 'sparc-mesh install linkerd'};
  const from = source.version === undefined ? undefined : parseLinkerdRelease(source.version);
  if (!from) {
    return {
      problem: `cannot tell which Linkerd release runs in ${source.namespace} (its controller image tag is ${
        source.version ?? 'not a tag'
      })`,
    };
  }
  const to = parseLinkerdRelease(request.to);
  if (!to) return {problem: `${request.to} is not a Linkerd release (edge-YY.M.N or stable-2.X.Y)`};
  const {method} = source;
  const save: LinkerdUpgradeStep = {step: 'save-values', configMap: request.previousValuesConfigMap};
  const tail: LinkerdUpgradeStep[] = [
    {step: 'control-plane', method, release: to.text},
    // helm removes what a release no longer ships itself; manifests applied from the CLI leave it behind.
    ...(method === 'cli' ? [{step: 'prune', namespace: source.namespace} as const] : []),
    {step: 'restart-data-plane'},
    {step: 'check'},
  ];
  if (request.rollback) {
    if (!source.previousRelease) {
      return {problem: `no values from before an upgrade are kept (ConfigMap ${request.previousValuesConfigMap})`,
        hint: '--rollback goes back after an upgrade linkerd; there was none here'};
    }
    if (source.previousRelease !== to.text) {
      return {
        problem: `the values kept are those of Linkerd ${source.previousRelease}; this sparc-mesh installs ${to.text}`,
        hint: `roll back with the sparc-mesh that installs ${source.previousRelease}`,
      };
    }
    // The CRDs stay: newer CRDs still serve the versions the older control plane reads.
    return {plan: {from: from.text, to: to.text, method, rollback: true, steps: [save, ...tail]}};
  }
  const verdict = linkerdUpgradeVerdict(from, to);
  if (verdict.problem) return {problem: verdict.problem, hint: verdict.hint};
  return {
    plan: {from: from.text, to: to.text, method, rollback: false,
      steps: [save, {step: 'crds', method, release: to.text}, ...tail]},
  };
}

export function describeLinkerdStep(step: LinkerdUpgradeStep): string {
  switch (step.step) {
    case 'save-values':
      return `keep the values the control plane runs with in ConfigMap ${step.configMap}, for --rollback`;
    case 'crds':
      return step.method === 'helm'
        ? `upgrade Linkerd's CRDs to ${step.release} (helm upgrade linkerd-crds)`
        : `apply Linkerd's CRDs of ${step.release} (linkerd upgrade --crds, server-side apply)`;
    case 'control-plane':
      return step.method === 'helm'
        ? `upgrade the control plane to ${step.release} with the new values (helm upgrade linkerd-control-plane, which removes what the release no longer ships)`
        : `apply the control plane of ${step.release} with the new values (linkerd upgrade, server-side apply)`;
    case 'prune':
      return `delete the control plane's objects in ${step.namespace} and cluster-wide that the new manifests no longer have (as linkerd prune does)`;
    case 'restart-data-plane':
      return 'restart every meshed workload, so that its proxy comes from the new control plane, and wait for it';
    case 'check':
      return 'run linkerd check';
  }
}

/** The label Linkerd puts on every object of its control plane, naming the control plane's namespace. */
export const CONTROL_PLANE_LABEL = 'linkerd.io/control-plane-ns';

/** The kinds `linkerd prune` looks at (linkerd2's pkg/k8s/resource prunable lists), by API group. */
export const LINKERD_PRUNABLE_KINDS: Readonly<Record<string, readonly string[]>> = {
  '': ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'ReplicationController'],
  apps: ['Deployment', 'DaemonSet', 'StatefulSet'],
  batch: ['Job', 'CronJob'],
  policy: ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'admissionregistration.k8s.io': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'policy.linkerd.io': ['Server', 'ServerAuthorization', 'AuthorizationPolicy', 'MeshTLSAuthentication',
    'NetworkAuthentication', 'HTTPRoute'],
  'linkerd.io': ['ServiceProfile'],
};

const identityOf = (object: KubeObject) =>
  [groupOf(object.apiVersion), object.kind, object.metadata.namespace ?? '', object.metadata.name ?? ''].join('/');

/**
 * What `linkerd prune` would delete: objects labelled as the control plane's that no expected
 * object names (by group, kind, namespace and name: a new API version is the same object).
 */
export function prunable(live: readonly KubeObject[], expected: readonly KubeObject[]): KubeObject[] {
  const keep = new Set(expected.map(identityOf));
  return live.filter((object) => !keep.has(identityOf(object)));
}
