// `canary run` without a controller: the canary Deployment beside the primary, traffic moved
// to it step by step, Prometheus checked once per interval at each weight, promotion when the
// last weight passes, rollback when the failed checks reach the threshold. The state is
// recorded on the primary before each change, so a run killed anywhere resumes when run again
// with the same image, and `canary rollback` can end it from wherever it stopped.
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import type {PrometheusClient} from '../../adapters/prometheus/client.js';
import {nextMove, type MetricVerdict} from '../../core/canary/analysis.js';
import type {RunPlan} from '../../core/canary/plan.js';
import {newRoute, type RouteTarget} from '../../core/canary/routing.js';
import type {RunState} from '../../core/canary/run-state.js';
import {canaryDeployment, canaryName, hasPrimaryTrack, imageWithTag, primaryTrackPatch, rolloutContainer, serviceRef,
  trackService, deploymentRef} from '../../core/canary/workload.js';
import {parseDuration} from '../../core/duration.js';
import type {KubeObject} from '../../core/objects.js';
import {PreconditionError, UsageError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {runCheck} from './check.js';
import {endRun, primaryDeployment, recordedState, recordState, refuseFlaggerCanary, setPrimaryImage,
  waitReady} from './cluster.js';
import {createRoute, currentRoutes, setCanaryWeight} from './routes.js';

/** The new version: an image, or a tag that replaces the primary's. */
export type NewVersion = {image: string} | {tag: string};

export interface CanaryRunInput {
  connection: KubeConnection;
  plan: RunPlan;
  version: NewVersion;
  /** The container to change (default: the one named like the service, else the first). */
  container?: string;
  prometheus: PrometheusClient;
  waitTimeoutMs: number;
}

export interface CheckRecord {
  weight: number;
  passed: boolean;
  failedChecks: number;
  metrics: MetricVerdict[];
}

export interface CanaryRunResult {
  service: string;
  namespace: string;
  image: string;
  outcome: 'promoted' | 'rolled-back';
  /** Where a recorded run was picked up, when it was. */
  resumedAt?: {weight: number; failedChecks: number; phase: RunState['phase']};
  checks: CheckRecord[];
}

function newImage(version: NewVersion, current: string): string {
  return 'image' in version ? version.image : imageWithTag(current, version.tag);
}

function describeVerdict(record: CheckRecord, threshold: number): string {
  const metrics = record.metrics.map((metric) =>
    metric.passed ? `${metric.name} ${round(metric.value)} ok` : `${metric.name}: ${metric.reason}`
  ).join('; ');
  return `weight ${record.weight}%: check ${
    record.passed ? 'passed' : `failed (${record.failedChecks}/${threshold})`
  }: ${metrics}`;
}

const round = (value: number | undefined) => (value === undefined ? '' : Math.round(value * 100) / 100);

/** A fresh state, or the recorded one when it is this rollout's; another rollout's is refused. */
function startingState(primary: KubeObject, input: CanaryRunInput, recorded: RunState | undefined): RunState | string {
  const {plan} = input;
  if (recorded) {
    const image = newImage(input.version, recorded.previousImage);
    if (image !== recorded.image) {
      return `a canary run of ${recorded.image} is recorded on Deployment ${plan.service}; run it again with that image to resume it, or end it with \`sparc-mesh canary rollback\``;
    }
    return recorded;
  }
  const container = rolloutContainer(primary, plan.service, input.container);
  if (typeof container === 'string') return `Deployment ${plan.service} ${container}`;
  const previousImage = container.image ?? '';
  const image = newImage(input.version, previousImage);
  if (image === previousImage) return `Deployment ${plan.service} already runs ${image}`;
  return {image, previousImage, container: container.name, steps: plan.steps, step: 0, failedChecks: 0,
    phase: 'progressing', ...(plan.match ? {match: plan.match} : {}), routes: []};
}

type RunDeps = Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>;

/** The Service NAME's two track Services and first port; a Service that cannot have tracks stops the run. */
async function trackServices(client: KubeClient, plan: RunPlan): Promise<{tracks: KubeObject[]; port: number}> {
  const primaryService = await client.get(serviceRef(plan.namespace, plan.service));
  if (!primaryService) throw new PreconditionError(`Service ${plan.namespace}/${plan.service} not found`);
  const tracks = (['primary', 'canary'] as const).map((track) => trackService(primaryService, plan.service, track));
  const problem = tracks.find((track) => typeof track === 'string');
  if (problem) throw new PreconditionError(`Service ${plan.namespace}/${plan.service} ${problem as string}`);
  const port = Number((primaryService.spec as {ports?: {port?: number}[]}).ports?.[0]?.port ?? 80);
  return {tracks: tracks as KubeObject[], port};
}

/** The primary labelled as its track, the track Services, the canary Deployment ready, a route made if needed. */
async function startTracks(client: KubeClient, target: RouteTarget, primary: KubeObject, state: RunState,
  services: {tracks: KubeObject[]; port: number}, input: CanaryRunInput, deps: RunDeps): Promise<void>
{
  let labelled = primary;
  if (!hasPrimaryTrack(primary)) {
    labelled = await client.mergePatch(deploymentRef(target.namespace, target.service), primaryTrackPatch());
    await waitReady(client, target, target.service, input.waitTimeoutMs, deps);
  }
  for (const track of services.tracks) await client.apply(track);
  await client.apply(canaryDeployment(labelled, target.service, state.container, state.image));
  await waitReady(client, target, canaryName(target.service), input.waitTimeoutMs, deps);
  if (state.routes.some((route) => route.created)) await createRoute(client, newRoute(target, services.port));
}

/** One weight after another until promotion is due (the state says `promoting`) or the rollback is done (undefined). */
async function runSteps(client: KubeClient, target: RouteTarget, state: RunState, input: CanaryRunInput,
  checks: CheckRecord[], deps: RunDeps): Promise<RunState | undefined>
{
  const {plan} = input;
  const intervalMs = parseDuration(plan.interval) ?? 60_000;
  for (;;) {
    const weight = state.steps[state.step]!;
    await setCanaryWeight(client, target, state.routes, weight, state.match);
    deps.progress(`weight ${weight}%: ${100 - weight}% to ${plan.service}-primary, ${weight}% to ${plan.target}`);
    await deps.sleep(intervalMs);
    const verdict = await runCheck(input.prometheus, plan);
    const move = nextMove(state, verdict.passed, state.steps, plan.threshold);
    const failedChecks = 'failedChecks' in move ? move.failedChecks : state.failedChecks;
    const record = {weight, passed: verdict.passed, failedChecks, metrics: verdict.metrics};
    checks.push(record);
    deps.progress(describeVerdict(record, plan.threshold));
    if (move.move === 'rollback') {
      deps.progress(`rolling back: ${failedChecks} failed checks reached the threshold of ${plan.threshold}`);
      await endRun(client, target, state, deps.progress);
      return undefined;
    }
    state = move.move === 'advance'
      ? {...state, step: move.step}
      : move.move === 'retry'
      ? {...state, failedChecks}
      : {...state, phase: 'promoting'};
    await recordState(client, target, state);
    if (state.phase === 'promoting') return state;
  }
}

export async function canaryRun(input: CanaryRunInput, deps: RunDeps): Promise<CanaryRunResult> {
  const {plan} = input;
  const target: RouteTarget = {mesh: plan.mesh, service: plan.service, namespace: plan.namespace};
  const client = await deps.connect(input.connection);
  await refuseFlaggerCanary(client, target, 'canary run');
  const primary = await primaryDeployment(client, target);
  const recorded = recordedState(primary);
  const starting = startingState(primary, input, recorded);
  if (typeof starting === 'string') throw new UsageError(starting, undefined, 'CanaryRunConflict');
  let state: RunState | undefined = starting;
  const services = await trackServices(client, plan);

  const result: CanaryRunResult = {service: plan.service, namespace: plan.namespace, image: state.image,
    outcome: 'promoted', checks: []};
  if (recorded) {
    result.resumedAt = {weight: state.steps[state.step]!, failedChecks: state.failedChecks, phase: state.phase};
    deps.progress(
      `resuming the recorded run at weight ${state.steps[state.step]}% with ${state.failedChecks} failed check(s)`,
    );
  } else {
    state.routes = await currentRoutes(client, target, services.port);
    await recordState(client, target, state);
  }
  if (state.phase === 'progressing') {
    await startTracks(client, target, primary, state, services, input, deps);
    state = await runSteps(client, target, state, input, result.checks, deps);
    if (!state) return {...result, outcome: 'rolled-back'};
  }
  deps.progress(`promoting: ${plan.service} takes ${state.image}`);
  await setPrimaryImage(client, target, state.container, state.image, input.waitTimeoutMs, deps);
  await endRun(client, target, state, deps.progress);
  return result;
}
