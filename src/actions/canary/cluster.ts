// What both canary commands do on the cluster: find the service's primary and its Service,
// refuse services whose canary Flagger runs, read and write the run state, and end a run
// (all traffic to the primary, the canary's objects removed, the state annotation dropped).
import {servedType, type KubeClient} from '../../adapters/kube/client.js';
import {waitForRollouts} from '../apply/rollout.js';
import type {ActionDeps} from '../deps.js';
import type {KubeObject} from '../../core/objects.js';
import type {RouteTarget} from '../../core/canary/routing.js';
import {readRunState, RUN_STATE_ANNOTATION, stateAnnotation, type RunState} from '../../core/canary/run-state.js';
import {canaryName, containersWithImage, deploymentRef, serviceRef,
  trackServiceName} from '../../core/canary/workload.js';
import {PreconditionError, UsageError} from '../../errors.js';
import {existingRoutes, restoreRoutes, setCanaryWeight} from './routes.js';

export type WaitDeps = Pick<ActionDeps, 'now' | 'sleep' | 'progress'>;

/** A service whose Canary object Flagger acts on is Flagger's to roll out and roll back. */
export async function refuseFlaggerCanary(client: KubeClient, target: RouteTarget, command: string): Promise<void> {
  if (!(await servedType(client, 'flagger.app/v1beta1', 'Canary'))) return;
  const canary = await client.get({apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: target.namespace,
    name: target.service});
  if (!canary) return;
  throw new UsageError(
    `${target.namespace}/${target.service} has a Flagger Canary: Flagger runs its rollouts, and ${command} would fight it`,
    `use \`sparc-mesh canary status -s ${target.service} -n ${target.namespace}\`, \`canary promote\` or \`canary abort\``,
    'FlaggerOwnsCanary',
  );
}

export async function primaryDeployment(client: KubeClient, target: RouteTarget): Promise<KubeObject> {
  const primary = await client.get(deploymentRef(target.namespace, target.service));
  if (!primary) {
    throw new PreconditionError(`Deployment ${target.namespace}/${target.service} not found`,
      'a canary runs beside the Deployment named like the service; deploy it first');
  }
  return primary;
}

/** The run state on the primary; an unreadable one stops the command rather than guessing. */
export function recordedState(primary: KubeObject): RunState | undefined {
  const state = readRunState(primary);
  if (typeof state === 'string') {
    throw new PreconditionError(`Deployment ${primary.metadata.namespace}/${primary.metadata.name}: ${state}`,
      `remove the annotation (kubectl annotate deployment ${primary.metadata.name} ${RUN_STATE_ANNOTATION}-) and clean up by hand`);
  }
  return state;
}

export async function recordState(client: KubeClient, target: RouteTarget, state: RunState | null): Promise<void> {
  const annotations = state ? stateAnnotation(state) : {[RUN_STATE_ANNOTATION]: null};
  await client.mergePatch(deploymentRef(target.namespace, target.service), {metadata: {annotations}});
}

export async function waitReady(client: KubeClient, target: RouteTarget, name: string, timeoutMs: number,
  deps: WaitDeps): Promise<void>
{
  await waitForRollouts(client, [deploymentRef(target.namespace, name)], {timeoutMs, now: deps.now, sleep: deps.sleep,
    onStatus: (status) => deps.progress(`${status.ref.name}: ${status.message}`)});
}

/** The primary's container set to `image`, then waited for. */
export async function setPrimaryImage(client: KubeClient, target: RouteTarget, container: string, image: string,
  timeoutMs: number, deps: WaitDeps): Promise<void>
{
  const primary = await primaryDeployment(client, target);
  const containers = containersWithImage(primary, container, image);
  await client.mergePatch(deploymentRef(target.namespace, target.service), {spec: {template: {spec: {containers}}}});
  await waitReady(client, target, target.service, timeoutMs, deps);
}

/**
 * Ends a run whatever step it reached: all traffic to the primary track, the canary
 * Deployment removed, the routes as they were, the track Services removed, the state dropped.
 * Each step is idempotent, so an interrupted end is finished by running it again.
 */
export async function endRun(client: KubeClient, target: RouteTarget, state: RunState | undefined,
  progress: (line: string) => void): Promise<void>
{
  if (state) await setCanaryWeight(client, target, await existingRoutes(client, target, state.routes), 0);
  if (await client.delete(deploymentRef(target.namespace, canaryName(target.service)))) {
    progress(`Deployment ${canaryName(target.service)} deleted`);
  }
  if (state) {
    await restoreRoutes(client, target, await existingRoutes(client, target, state.routes));
    progress(`routes restored: ${state.routes.map((route) => route.name).join(', ')}`);
  }
  for (const track of ['primary', 'canary'] as const) {
    await client.delete(serviceRef(target.namespace, trackServiceName(target.service, track)));
  }
  if (state) await recordState(client, target, null);
}
