// What Istio supports, as data, and the decisions made from it before anything is changed:
// which Kubernetes versions a release runs on, what an existing install means for a new
// one, and which upgrades Istio allows. Source: istio.io's support table
// (data/compatibility/supportStatus.yml) and its upgrade guides (canary upgrades across at
// most two minor versions, in-place across one; a data plane never newer than its control plane).

export interface IstioVersion {
  major: number;
  minor: number;
  patch: number;
  /** As the tool printed it, e.g. `1.30.4` or `1.30.4-dev`. */
  text: string;
}

/** Kubernetes minor versions (1.x) each Istio minor supports: [oldest, newest]. */
export const KUBERNETES_SUPPORT: Readonly<Record<string, readonly [number, number]>> = {
  '1.26': [29, 33],
  '1.27': [29, 33],
  '1.28': [30, 34],
  '1.29': [31, 35],
  '1.30': [32, 36],
};

export function parseIstioVersion(text: string): IstioVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][\w.-]*)?$/.exec(text.trim());
  if (!match) return undefined;
  return {major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0),
    text: text.trim().replace(/^v/, '')};
}

export const minorOf = (version: IstioVersion) => `${version.major}.${version.minor}`;

export interface Verdict {
  /** Refuses the command. */
  problem?: string;
  /** Proceeds, but the user should know. */
  warning?: string;
}

export function kubernetesVerdict(istio: IstioVersion,
  kubernetes: {major: number; minor: number; gitVersion: string}): Verdict
{
  const range = KUBERNETES_SUPPORT[minorOf(istio)];
  if (!range) {
    return {
      warning:
        `Istio ${istio.text} is not in sparc-mesh's support table; Kubernetes ${kubernetes.gitVersion} was not checked against it`,
    };
  }
  const [oldest, newest] = range;
  const supported = `Istio ${minorOf(istio)} supports Kubernetes 1.${oldest} to 1.${newest}`;
  if (kubernetes.major !== 1 || kubernetes.minor < oldest) {
    return {problem: `Kubernetes ${kubernetes.gitVersion} is too old: ${supported}`};
  }
  if (kubernetes.minor > newest) {
    return {
      warning: `Kubernetes ${kubernetes.gitVersion} is newer than Istio ${
        minorOf(istio)
      } was released for (${supported})`,
    };
  }
  return {};
}

/** A control plane found in the cluster: one istiod Deployment. */
export interface InstalledRevision {
  /** `default` for an install without a revision. */
  revision: string;
  namespace: string;
  /** From the istiod image tag; undefined when the tag is not a version (a digest, `latest`). */
  version?: IstioVersion;
}

export const DEFAULT_REVISION = 'default';

/**
 * Whether installing `revision` at `version` may go ahead. The same revision at the same
 * version is a re-run (finishing or repeating an install: istioctl is idempotent); at
 * another version it is an upgrade, which has its own command.
 */
export function installVerdict(installed: readonly InstalledRevision[], revision: string,
  version: IstioVersion): Verdict
{
  const same = installed.find((existing) => existing.revision === revision);
  if (!same) return {};
  if (!same.version) {
    return {warning: `revision ${revision} is installed at an unknown version; installing ${version.text} over it`};
  }
  if (minorOf(same.version) === minorOf(version) && same.version.patch === version.patch) return {};
  return {
    problem:
      `revision ${revision} already runs Istio ${same.version.text} (in ${same.namespace}); installing ${version.text} over it would be an in-place upgrade`,
  };
}

export type UpgradeMethod = 'revision' | 'in-place';

/** The version jumps Istio supports: canary (revision) upgrades up to two minors, in place one. */
export function upgradeVerdict(from: IstioVersion, to: IstioVersion, method: UpgradeMethod): Verdict {
  const jump = (to.major - from.major) * 100 + to.minor - from.minor;
  if (jump < 0 || (jump === 0 && to.patch < from.patch)) {
    return {
      problem:
        `Istio ${to.text} is older than the installed ${from.text}: to go back, use --rollback while both revisions exist`,
    };
  }
  // The same version into a new revision is a canary of control-plane configuration; in place it is nothing to do.
  if (jump === 0 && to.patch === from.patch && method === 'in-place') {
    return {problem: `Istio ${from.text} is already installed`};
  }
  const limit = method === 'revision' ? 2 : 1;
  if (to.major !== from.major || jump > limit) {
    return {
      problem:
        `Istio does not support upgrading ${method === 'revision' ? 'by revision' : 'in place'} from ${
          minorOf(from)
        } to ${minorOf(to)} `
        + `(at most ${limit} minor version${limit === 1 ? '' : 's'} at a time): upgrade to ${from.major}.${
          from.minor + limit
        } first`,
    };
  }
  return {};
}

/** A revision name from a version, as Istio's docs spell them: 1.30.4 → 1-30-4. */
export function revisionName(version: IstioVersion): string {
  return `${version.major}-${version.minor}-${version.patch}`;
}
