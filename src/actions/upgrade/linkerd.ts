// `upgrade linkerd`: reads what the cluster runs, plans the upgrade (src/core/install/
// linkerd-upgrade.ts) and carries the steps out one by one, saying each. Everything the steps
// apply is rendered and schema-checked first, so a broken value changes nothing. The values
// the control plane ran with are kept (ConfigMap sparc-mesh-linkerd-values-previous) for
// --rollback, which applies them again; the cluster's identity is always kept (the trust
// anchors in the values are the cluster's trust roots). A step that fails is reported with
// where to continue: every step is idempotent, so the same command picks up where it stopped.
import {isDeepStrictEqual} from 'node:util';
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {linkerdClientVersion, linkerdUpgradeManifest, type Linkerd} from '../../adapters/tools/linkerd.js';
import type {ApplySummary} from '../../core/apply/results.js';
import type {LinkerdCheckReport} from '../../core/install/linkerd-check.js';
import {keepInstalledIdentity, LINKERD_NAMESPACE, LINKERD_RELEASE, linkerdHelmReleases, splitLinkerdInstall,
  withChartValues, withTrustAnchors, type LinkerdInstallParts} from '../../core/install/linkerd-install.js';
import {CONTROL_PLANE_LABEL, describeLinkerdStep, LINKERD_PRUNABLE_KINDS, planLinkerdUpgrade, prunable,
  type LinkerdUpgradeMethod, type LinkerdUpgradePlan,
  type LinkerdUpgradeStep} from '../../core/install/linkerd-upgrade.js';
import {displayName, refOf, type KubeObject, type ResourceRef} from '../../core/objects.js';
import {PreconditionError, ToolError} from '../../errors.js';
import {waitForRollouts} from '../apply/rollout.js';
import type {ActionDeps} from '../deps.js';
import {ISSUER_SECRET, PREVIOUS_VALUES_CONFIGMAP, TRUST_ROOTS_CONFIGMAP,
  VALUES_CONFIGMAP} from '../install/linkerd-certs.js';
import {applier, checkedObjects, checkLinkerdReleases, finalCheck, IDENTITY_NAMES, installedTrustAnchors, linkerdHelm,
  upgradeLinkerdRelease} from '../install/linkerd-cluster.js';
import {installedLinkerd} from '../install/linkerd-prechecks.js';
import {readStoredValues, writeStoredValues, type StoredValues} from '../install/linkerd-values.js';
import {meshedWorkloads, restartAndWait} from '../install/linkerd-workloads.js';

export interface LinkerdUpgradeInput {
  connection: KubeConnection;
  /** The rendered `install linkerd` with its identity objects; the cluster's identity replaces the generated one. */
  objects: readonly KubeObject[];
  /** helm and where Linkerd's charts are (a repository URL or --chart-dir), for a control plane installed from them. */
  helm: {binary: string; charts: string};
  /** The linkerd executable: the manifests of a control plane installed with it, and `linkerd check`. */
  linkerd: string;
  rollback: boolean;
  /** Print the plan only. */
  planOnly: boolean;
  force: boolean;
  readinessTimeoutMs: number;
  /** Value of the restart annotation (the command's clock). */
  restartedAt: string;
}

export interface LinkerdUpgradeResult {
  from: string;
  to: string;
  method: LinkerdUpgradeMethod;
  rollback: boolean;
  steps: {step: LinkerdUpgradeStep; description: string}[];
  done: boolean;
  /** The control plane's objects the new manifests no longer have, deleted (CLI installs; helm prunes its own). */
  pruned: ResourceRef[];
  /** The meshed workloads restarted onto the new proxy. */
  restarted: ResourceRef[];
  check?: LinkerdCheckReport;
  notes: string[];
}

type UpgradeDeps = Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>;

/** A control plane installed by helm carries helm's release annotation; one applied from linkerd's manifests does not. */
async function installMethod(client: KubeClient, namespace: string): Promise<LinkerdUpgradeMethod> {
  const identity = await client.get({apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'linkerd-identity'});
  return identity?.metadata.annotations?.['meta.helm.sh/release-name'] ? 'helm' : 'cli';
}

async function planFor(client: KubeClient, input: LinkerdUpgradeInput): Promise<{
  plan: LinkerdUpgradePlan;
  previous?: StoredValues;
}> {
  const installed = await installedLinkerd(client);
  if (installed.length > 1 || (installed[0] && installed[0].namespace !== LINKERD_NAMESPACE)) {
    throw new PreconditionError(
      `upgrade linkerd: Linkerd runs in ${
        installed.map((found) => found.namespace).join(', ')
      }; sparc-mesh upgrades the one control plane in ${LINKERD_NAMESPACE}; nothing was changed`,
    );
  }
  const found = installed[0];
  const previous = found ? await readStoredValues(client, found.namespace, PREVIOUS_VALUES_CONFIGMAP) : undefined;
  const planned = planLinkerdUpgrade(
    found
      && {version: found.version, namespace: found.namespace, method: await installMethod(client, found.namespace),
        previousRelease: previous?.release},
    {to: LINKERD_RELEASE.version, rollback: input.rollback, valuesConfigMap: VALUES_CONFIGMAP,
      previousValuesConfigMap: PREVIOUS_VALUES_CONFIGMAP},
  );
  if ('problem' in planned) {
    throw new PreconditionError(`upgrade linkerd: ${planned.problem}; nothing was changed`, planned.hint);
  }
  return {plan: planned.plan, previous};
}

/** What the steps apply, rendered and checked before the first of them. */
interface Prepared {
  parts: LinkerdInstallParts;
  /** --method cli: linkerd's manifests of the CRDs and the control plane. */
  crds: KubeObject[];
  controlPlane: KubeObject[];
}

class UpgradeRun {
  readonly pruned: ResourceRef[] = [];
  readonly restarted: ResourceRef[] = [];
  readonly notes: string[] = [];
  check?: LinkerdCheckReport;
  private readonly helm;
  private readonly linkerd: Linkerd;
  private readonly apply;

  constructor(private readonly client: KubeClient, private readonly input: LinkerdUpgradeInput,
    private readonly deps: UpgradeDeps, private readonly plan: LinkerdUpgradePlan)
  {
    this.helm = linkerdHelm(input.connection, {method: 'helm', ...input.helm}, deps.progress);
    this.linkerd = {binary: input.linkerd, connection: input.connection};
    this.apply = applier(client, {mode: 'apply', force: input.force}, deps.progress);
  }

  /** The target values (the rendered ones, or those kept for --rollback) with the cluster's identity, rendered by helm or linkerd and checked. */
  async prepare(previous: StoredValues | undefined): Promise<Prepared> {
    const anchors = await installedTrustAnchors(this.client);
    if (!anchors) {
      throw new PreconditionError(
        `upgrade linkerd: Secret ${LINKERD_NAMESPACE}/${ISSUER_SECRET} or ConfigMap ${LINKERD_NAMESPACE}/${TRUST_ROOTS_CONFIGMAP} is missing; nothing was changed`,
        'sparc-mesh upgrades a control plane whose identity is managed outside the chart, as install linkerd makes it',
      );
    }
    const rendered = keepInstalledIdentity(splitLinkerdInstall(this.input.objects, IDENTITY_NAMES), IDENTITY_NAMES,
      anchors);
    const parts = this.plan.rollback && previous
      ? withChartValues(rendered, IDENTITY_NAMES, withTrustAnchors(previous.values, anchors))
      : rendered;
    const {progress} = this.deps;
    if (this.plan.method === 'helm') {
      await checkLinkerdReleases(this.helm, linkerdHelmReleases(parts.values), progress);
      return {parts, crds: [], controlPlane: []};
    }
    const version = await linkerdClientVersion(this.input.linkerd);
    if (version !== this.plan.to) {
      throw new PreconditionError(`upgrade linkerd: ${this.input.linkerd} is Linkerd ${version}, not ${this.plan.to}`,
        `pass --linkerd PATH to the linkerd ${this.plan.to} binary`);
    }
    progress('linkerd upgrade --crds, linkerd upgrade: rendering and checking their objects');
    const crds = await checkedObjects('linkerd upgrade --crds',
      await linkerdUpgradeManifest(this.linkerd, {crds: true}));
    // The namespace is applied with the identity objects (the same labels): applied twice by one field manager, the second would drop the first's.
    const controlPlane =
      (await checkedObjects('linkerd upgrade', await linkerdUpgradeManifest(this.linkerd, {values: parts.values})))
        .filter((object) => !(object.kind === 'Namespace' && object.metadata.name === LINKERD_NAMESPACE));
    return {parts, crds, controlPlane};
  }

  async run(step: LinkerdUpgradeStep, prepared: Prepared, current: StoredValues | undefined): Promise<void> {
    const namespace = LINKERD_NAMESPACE;
    switch (step.step) {
      case 'save-values':
        // Values already equal to the target: this is a re-run after they were applied, and what is kept is already right.
        if (!current || isDeepStrictEqual(current.values, prepared.parts.values)) return;
        return writeStoredValues(this.client, {namespace, name: step.configMap}, {values: current.values,
          release: this.plan.from}, current.configMap);
      case 'crds':
        if (step.method === 'helm') {
          return upgradeLinkerdRelease(this.helm, linkerdHelmReleases({})[0]!, this.input.readinessTimeoutMs,
            this.deps.progress);
        }
        await this.apply(prepared.crds);
        return;
      case 'control-plane': {
        await this.apply(prepared.parts.identity);
        if (step.method === 'helm') {
          return upgradeLinkerdRelease(this.helm, linkerdHelmReleases(prepared.parts.values)[1]!,
            this.input.readinessTimeoutMs, this.deps.progress);
        }
        const applied = await this.apply(prepared.controlPlane);
        return this.waitForControlPlane(applied);
      }
      case 'prune':
        return this.prune([...prepared.crds, ...prepared.controlPlane, ...prepared.parts.identity]);
      case 'restart-data-plane': {
        const {data} = await meshedWorkloads(this.client, namespace);
        await restartAndWait(this.client, data, {restartedAt: this.input.restartedAt,
          timeoutMs: this.input.readinessTimeoutMs}, this.deps);
        this.restarted.push(...data);
        return;
      }
      case 'check':
        this.check = await finalCheck(this.linkerd, this.input.readinessTimeoutMs, this.notes);
        return;
    }
  }

  /** helm waits for its releases; manifests applied by hand are waited for here, as `linkerd upgrade | kubectl apply` is followed by `linkerd check`. */
  private async waitForControlPlane(applied: ApplySummary): Promise<void> {
    const workloads = applied.objects.map((result) => result.ref).filter((ref) =>
      ref.kind === 'Deployment' || ref.kind === 'StatefulSet'
    );
    await waitForRollouts(this.client, workloads, {timeoutMs: this.input.readinessTimeoutMs, now: this.deps.now,
      sleep: this.deps.sleep,
      onStatus: (status) => this.deps.progress(`  ${displayName(status.ref)}: ${status.message}`)});
  }

  /**
   * Deletes what is labelled as this control plane's and not among the objects just applied, as
   * `linkerd prune` does; namespaced objects only in the control plane's namespace, and the
   * values kept for --rollback stay.
   */
  private async prune(expected: readonly KubeObject[]): Promise<void> {
    const namespace = LINKERD_NAMESPACE;
    const kept = [...expected, ...[ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP, PREVIOUS_VALUES_CONFIGMAP].map((name) => ({
      apiVersion: 'v1',
      kind: name === ISSUER_SECRET ? 'Secret' : 'ConfigMap',
      metadata: {namespace, name},
    }))];
    const types = (await this.client.discover(Object.keys(LINKERD_PRUNABLE_KINDS))).filter((type) =>
      LINKERD_PRUNABLE_KINDS[type.group]?.includes(type.kind)
    );
    const live = (await Promise.all(
      types.map((type) =>
        this.client.list(type, {namespace: type.namespaced ? namespace : undefined,
          labelSelector: `${CONTROL_PLANE_LABEL}=${namespace}`})
      ),
    )).flat();
    for (const object of prunable(live, kept)) {
      const ref = refOf(object);
      await this.client.delete(ref);
      this.deps.progress(`${displayName(ref)} deleted`);
      this.pruned.push(ref);
    }
  }
}

export async function upgradeLinkerd(input: LinkerdUpgradeInput, deps: UpgradeDeps): Promise<LinkerdUpgradeResult> {
  const client = await deps.connect(input.connection);
  const {plan, previous} = await planFor(client, input);
  const result: LinkerdUpgradeResult = {from: plan.from, to: plan.to, method: plan.method, rollback: plan.rollback,
    steps: plan.steps.map((step) => ({step, description: describeLinkerdStep(step)})), done: false, pruned: [],
    restarted: [], notes: []};
  if (input.planOnly) return result;

  const run = new UpgradeRun(client, input, deps, plan);
  const prepared = await run.prepare(previous);
  const current = await readStoredValues(client, LINKERD_NAMESPACE, VALUES_CONFIGMAP);
  for (const [index, {step, description}] of result.steps.entries()) {
    deps.progress(`step ${index + 1}/${result.steps.length}: ${description}`);
    try {
      await run.run(step, prepared, current);
    } catch (error) {
      const message = `upgrade linkerd failed at step ${index + 1} (${description}): ${
        (error as Error).message
      }. Re-run the same command to continue${
        index > 0 ? ', or go back to the values kept with upgrade linkerd --rollback' : ''
      }.`;
      if (error instanceof ToolError) {
        throw new ToolError(error.tool, error.args, error.toolExitCode, error.stderrTail, message);
      }
      if (error instanceof PreconditionError) throw new PreconditionError(message, error.hint);
      throw error;
    }
  }
  return {...result, done: true, pruned: run.pruned, restarted: run.restarted, notes: run.notes,
    ...(run.check && {check: run.check})};
}
