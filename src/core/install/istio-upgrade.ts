// Plans an Istio upgrade (or its rollback) from what the cluster holds, as Istio's canary
// upgrade guide runs it: install the new revision beside the old, move the namespaces'
// injection labels to it, restart their workloads so the proxies come from the new control
// plane, verify, then remove the old revision. Pure: the action carries the steps out.
import {DEFAULT_REVISION, minorOf, revisionName, upgradeVerdict, type InstalledRevision, type IstioVersion,
  type UpgradeMethod} from './istio-versions.js';

/** A namespace with sidecar injection, and the revision its label selects. */
export interface InjectedNamespace {
  name: string;
  revision: string;
}

export type UpgradeStep =
  | {step: 'install'; revision: string; version: string}
  | {step: 'relabel'; namespace: string; from: string; to: string}
  | {step: 'restart'; namespace: string}
  | {step: 'verify'; revision: string}
  | {step: 'uninstall'; revision: string};

export interface UpgradeRequest {
  /** Required but for a rollback. */
  to?: IstioVersion;
  method: UpgradeMethod;
  /** The revision to upgrade from, when several are installed. */
  from?: string;
  /** The new revision's name (default: from the version, 1-31-0). */
  revision?: string;
  rollback: boolean;
  /** Leave the old revision installed at the end (for a later --rollback). */
  keepPrevious: boolean;
}

export interface UpgradePlan {
  from: InstalledRevision;
  /** The revision the data plane ends on. */
  target: string;
  steps: UpgradeStep[];
}

export type PlanResult = {plan: UpgradePlan} | {problem: string; hint?: string};

/** The revision a namespace's labels select: istio.io/rev wins, then istio-injection=enabled means the default revision. */
export function injectionRevision(labels: Readonly<Record<string, string>>): string | undefined {
  if (labels['istio.io/rev']) return labels['istio.io/rev'];
  return labels['istio-injection'] === 'enabled' ? DEFAULT_REVISION : undefined;
}

/** The label change that points a namespace at a revision. */
export function injectionLabels(revision: string): Record<string, string | null> {
  return revision === DEFAULT_REVISION
    ? {'istio-injection': 'enabled', 'istio.io/rev': null}
    : {'istio.io/rev': revision, 'istio-injection': null};
}

/**
 * The revision to upgrade from: --from, else the only one installed, else the only one that
 * is not the target (a re-run after the target was installed continues where it stopped).
 */
function pickSource(installed: readonly InstalledRevision[], from: string | undefined, target: string | undefined):
  | InstalledRevision
  | {problem: string; hint?: string}
{
  const names = installed.map((found) => found.revision).join(', ');
  if (from !== undefined) {
    return installed.find((found) => found.revision === from)
      ?? {problem: `revision ${from} is not installed (installed: ${names || 'none'})`};
  }
  if (installed.length === 1) return installed[0]!;
  const others = installed.filter((found) => found.revision !== target);
  if (others.length === 1 && others.length < installed.length) return others[0]!;
  if (installed.length === 0) return {problem: 'no Istio control plane is installed', hint: 'sparc-mesh install istio'};
  return {problem: `several revisions are installed (${names}): say which one to upgrade from`,
    hint: `--from ${installed[0]!.revision}`};
}

function moves(namespaces: readonly InjectedNamespace[], from: string, to: string): UpgradeStep[] {
  const moved = namespaces.filter((namespace) => namespace.revision === from);
  return [
    ...moved.map((namespace): UpgradeStep => ({step: 'relabel', namespace: namespace.name, from, to})),
    ...moved.map((namespace): UpgradeStep => ({step: 'restart', namespace: namespace.name})),
  ];
}

const versionRank = (
  found: InstalledRevision,
) => (found.version ? found.version.major * 1e6 + found.version.minor * 1e3 + found.version.patch : -1);

/**
 * The revision a rollback leaves: --revision, else the one --to named, else the one every
 * injected namespace points at (where the upgrade moved them), else the newest installed.
 */
function rollbackSource(installed: readonly InstalledRevision[], namespaces: readonly InjectedNamespace[],
  request: UpgradeRequest): string | undefined
{
  if (request.revision) return request.revision;
  if (request.to) return revisionName(request.to);
  const used = new Set(
    namespaces.map((namespace) => namespace.revision).filter((revision) =>
      installed.some((found) => found.revision === revision)
    ),
  );
  if (used.size === 1) return [...used][0];
  const [newest, next] = [...installed].sort((a, b) => versionRank(b) - versionRank(a));
  return newest && (!next || versionRank(newest) > versionRank(next)) ? newest.revision : undefined;
}

function rollbackPlan(installed: readonly InstalledRevision[], namespaces: readonly InjectedNamespace[],
  request: UpgradeRequest): PlanResult
{
  const target = rollbackSource(installed, namespaces, request);
  if (!target) {
    return {problem: 'cannot tell which revision to roll back from', hint: '--revision NAME (the revision to remove)'};
  }
  const current = installed.find((found) => found.revision === target);
  const previous = installed.find((found) =>
    found.revision === (request.from ?? installed.find((other) => other.revision !== target)?.revision)
  );
  if (!current || !previous || current === previous) {
    return {
      problem: `--rollback needs both revisions installed: revision ${target} and the one before it (installed: ${
        installed.map((found) => found.revision).join(', ') || 'none'
      })`,
      hint: 'once the old revision is removed, go back with a new upgrade to the old version',
    };
  }
  return {plan: {from: current, target: previous.revision, steps: [
    {step: 'verify', revision: previous.revision},
    ...moves(namespaces, current.revision, previous.revision),
    {step: 'uninstall', revision: current.revision},
  ]}};
}

export function planIstioUpgrade(installed: readonly InstalledRevision[], namespaces: readonly InjectedNamespace[],
  request: UpgradeRequest): PlanResult
{
  if (request.rollback) return rollbackPlan(installed, namespaces, request);
  const source = pickSource(installed, request.from,
    request.method === 'revision' ? request.revision ?? (request.to && revisionName(request.to)) : undefined);
  if ('problem' in source) return source;
  if (!source.version) {
    return {
      problem: `cannot tell which Istio revision ${source.revision} runs (its istiod image tag is not a version)`,
    };
  }
  if (!request.to) return {problem: 'the version to upgrade to is missing', hint: '--to VERSION'};
  const verdict = upgradeVerdict(source.version, request.to, request.method);
  if (verdict.problem) return {problem: verdict.problem};
  const version = request.to.text;
  if (request.method === 'in-place') {
    return {plan: {from: source, target: source.revision, steps: [
      {step: 'install', revision: source.revision, version},
      {step: 'verify', revision: source.revision},
      ...namespaces.filter((namespace) => namespace.revision === source.revision).map((namespace): UpgradeStep => ({
        step: 'restart',
        namespace: namespace.name,
      })),
    ]}};
  }
  const target = request.revision ?? revisionName(request.to);
  if (target === source.revision) {
    return {problem: `the new revision must differ from the installed one (${target})`, hint: '--revision NAME'};
  }
  const existing = installed.find((found) => found.revision === target);
  if (existing?.version && minorOf(existing.version) !== minorOf(request.to)) {
    return {problem: `revision ${target} already exists and runs Istio ${existing.version.text}, not ${version}`,
      hint: '--revision NAME'};
  }
  return {plan: {from: source, target, steps: [
    {step: 'install', revision: target, version},
    {step: 'verify', revision: target},
    ...moves(namespaces, source.revision, target),
    ...(request.keepPrevious ? [] : [{step: 'uninstall', revision: source.revision} as const]),
  ]}};
}

export function describeStep(step: UpgradeStep): string {
  switch (step.step) {
    case 'install':
      return `install Istio ${step.version} as revision ${step.revision} (istioctl install)`;
    case 'verify':
      return `wait until istiod of revision ${step.revision} is ready`;
    case 'relabel':
      return `point namespace ${step.namespace} at revision ${step.to} (was ${step.from})`;
    case 'restart':
      return `restart the workloads of namespace ${step.namespace} and wait for them`;
    case 'uninstall':
      return `remove revision ${step.revision} (istioctl uninstall --revision)`;
  }
}
