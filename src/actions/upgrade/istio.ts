// `upgrade istio`: reads what the cluster runs, plans the upgrade (src/core/install/
// istio-upgrade.ts), and carries the steps out one by one, saying each. When a step fails
// after namespaces were moved, they are moved back and restarted, so the data plane is
// on the control plane it came from; a new revision that was installed stays for --rollback.
import {PreconditionError, ToolError} from '../../errors.js';
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {istioctlInstall, istioctlRelease, istioctlUninstallRevision,
  type Istioctl} from '../../adapters/tools/istioctl.js';
import type {KubeObject} from '../../core/objects.js';
import {describeStep, injectionLabels, injectionRevision, planIstioUpgrade, type InjectedNamespace, type UpgradeRequest,
  type UpgradeStep} from '../../core/install/istio-upgrade.js';
import {DEFAULT_REVISION} from '../../core/install/istio-versions.js';
import {findWorkloads, restartWorkloads, waitForRollouts} from '../apply/rollout.js';
import type {ActionDeps} from '../deps.js';
import {installedIstio} from '../install/prechecks.js';

export interface IstioUpgradeInput {
  request: UpgradeRequest;
  connection: KubeConnection;
  istioctl: string;
  readinessTimeoutMs: number;
  /** Value of the restart annotation (the command's clock). */
  restartedAt: string;
  /** Print the plan only. */
  planOnly: boolean;
  /** The rendered install for a revision (undefined: the default revision): its IstioOperator goes to istioctl. */
  render: (revision: string | undefined) => Promise<readonly KubeObject[]>;
}

export interface IstioUpgradeResult {
  from: {revision: string; version?: string};
  target: string;
  steps: {step: UpgradeStep; description: string}[];
  done: boolean;
}

type UpgradeDeps = Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>;

async function injectedNamespaces(client: KubeClient): Promise<InjectedNamespace[]> {
  const namespaces = await client.list(await client.resourceType('v1', 'Namespace'), {});
  // A namespace being deleted has no future workloads to move.
  return namespaces.filter((namespace) => !namespace.metadata.deletionTimestamp).flatMap((namespace) => {
    const revision = injectionRevision(namespace.metadata.labels ?? {});
    return revision ? [{name: namespace.metadata.name ?? '', revision}] : [];
  });
}

/** istioctl must be the release the plan installs; a rollback installs nothing. */
async function checkIstioctl(binary: string, request: UpgradeRequest): Promise<void> {
  if (request.rollback || !request.to) return;
  const version = await istioctlRelease(binary);
  if (version.text !== request.to.text) {
    throw new PreconditionError(`--to ${request.to.text}: the istioctl given (${binary}) is ${version.text}`,
      `pass --istioctl PATH to istioctl ${request.to.text}`);
  }
}

class StepRunner {
  /** Namespaces relabelled so far, to move back if a later step fails. */
  readonly moved: {namespace: string; from: string}[] = [];

  constructor(private readonly client: KubeClient, private readonly input: IstioUpgradeInput,
    private readonly deps: UpgradeDeps, private readonly istioctl: Istioctl)
  {}

  private wait(refs: Parameters<typeof waitForRollouts>[1]) {
    return waitForRollouts(this.client, refs, {timeoutMs: this.input.readinessTimeoutMs, now: this.deps.now,
      sleep: this.deps.sleep,
      onStatus: (status) => this.deps.progress(`  ${status.ref.namespace}/${status.ref.name}: ${status.message}`)});
  }

  async restart(namespace: string): Promise<void> {
    const restarted = await restartWorkloads(this.client, await findWorkloads(this.client, namespace),
      this.input.restartedAt);
    await this.wait(restarted);
  }

  async relabel(namespace: string, to: string): Promise<void> {
    await this.client.mergePatch({apiVersion: 'v1', kind: 'Namespace', name: namespace}, {
      metadata: {labels: injectionLabels(to)},
    });
  }

  async run(step: UpgradeStep): Promise<void> {
    switch (step.step) {
      case 'install': {
        const objects = await this.input.render(step.revision === DEFAULT_REVISION ? undefined : step.revision);
        const operator = objects.find((object) => object.kind === 'IstioOperator');
        if (!operator) throw new Error('the rendered install has no IstioOperator');
        return istioctlInstall(this.istioctl, {operator, dryRun: false,
          readinessTimeoutMs: this.input.readinessTimeoutMs});
      }
      case 'verify': {
        const istiod = await this.istiod(step.revision);
        if (!istiod.length) throw new PreconditionError(`no istiod Deployment of revision ${step.revision} was found`);
        await this.wait(
          istiod.map((deployment) => ({apiVersion: 'apps/v1', kind: 'Deployment',
            namespace: deployment.metadata.namespace, name: deployment.metadata.name ?? ''})
          ),
        );
        return;
      }
      case 'relabel':
        await this.relabel(step.namespace, step.to);
        this.moved.push({namespace: step.namespace, from: step.from});
        return;
      case 'restart':
        return this.restart(step.namespace);
      case 'uninstall':
        await istioctlUninstallRevision(this.istioctl, step.revision);
        return this.waitUntilRemoved(step.revision);
    }
  }

  private async istiod(revision: string): Promise<KubeObject[]> {
    return this.client.list(await this.client.resourceType('apps/v1', 'Deployment'), {
      labelSelector: `app=istiod,istio.io/rev=${revision}`,
    });
  }

  /** istioctl returns once deletion is asked for; the revision is gone when its istiod is. */
  private async waitUntilRemoved(revision: string): Promise<void> {
    const deadline = this.deps.now() + this.input.readinessTimeoutMs;
    while ((await this.istiod(revision)).length) {
      if (this.deps.now() >= deadline) {
        throw new ToolError('kube-apiserver', ['wait', `istiod of revision ${revision}`], undefined, '',
          `istiod of revision ${revision} was still there after ${this.input.readinessTimeoutMs / 1000}s`);
      }
      await this.deps.sleep(1000);
    }
  }

  /** Moves every relabelled namespace back and restarts it; what could not be undone is returned. */
  async moveBack(): Promise<string[]> {
    const failures: string[] = [];
    for (const {namespace, from} of [...this.moved].reverse()) {
      try {
        await this.relabel(namespace, from);
        await this.restart(namespace);
      } catch (error) {
        failures.push(`${namespace}: ${(error as Error).message}`);
      }
    }
    return failures;
  }
}

export async function upgradeIstio(input: IstioUpgradeInput, deps: UpgradeDeps): Promise<IstioUpgradeResult> {
  const {progress} = deps;
  const client = await deps.connect(input.connection);
  const [installed, namespaces] = await Promise.all([installedIstio(client), injectedNamespaces(client)]);
  const planned = planIstioUpgrade(installed, namespaces, input.request);
  if ('problem' in planned) {
    throw new PreconditionError(`upgrade istio: ${planned.problem}; nothing was changed`, planned.hint);
  }
  const {plan} = planned;
  const result: IstioUpgradeResult = {
    from: {revision: plan.from.revision, version: plan.from.version?.text},
    target: plan.target,
    steps: plan.steps.map((step) => ({step, description: describeStep(step)})),
    done: false,
  };
  if (input.planOnly) return result;
  await checkIstioctl(input.istioctl, input.request);

  const runner = new StepRunner(client, input, deps, {binary: input.istioctl, connection: input.connection,
    onLine: (line) => progress(`  ${line}`)});
  for (const [index, {step, description}] of result.steps.entries()) {
    progress(`step ${index + 1}/${result.steps.length}: ${description}`);
    try {
      await runner.run(step);
    } catch (error) {
      const undone = runner.moved.length ? await runner.moveBack() : [];
      const back = runner.moved.length
        ? undone.length
          ? ` Moving namespaces back failed for ${undone.join('; ')}.`
          : ` Namespaces ${
            runner.moved.map((moved) => moved.namespace).join(', ')
          } were moved back to revision ${plan.from.revision} and restarted.`
        : '';
      const installedNew = result.steps.slice(0, index).some((done) => done.step.step === 'install')
        || step.step === 'install';
      const hint = installedNew && plan.target !== plan.from.revision
        ? ` Revision ${plan.target} stays installed: re-run the same command to try again, or remove it with \`upgrade istio --rollback --revision ${plan.target}\`.`
        : ' Re-run the same command to try again.';
      const message = `upgrade istio failed at step ${index + 1} (${description}): ${
        (error as Error).message
      }.${back}${hint}`;
      if (error instanceof ToolError) {
        throw new ToolError(error.tool, error.args, error.toolExitCode, error.stderrTail, message);
      }
      if (error instanceof PreconditionError) throw new PreconditionError(message, error.hint);
      throw error;
    }
  }
  result.done = true;
  return result;
}
