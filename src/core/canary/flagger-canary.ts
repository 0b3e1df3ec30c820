// Flagger's Canary (flagger.app/v1beta1) as `canary status`, `promote` and `abort` read it:
// where the rollout stands (Flagger's own phase names), the traffic on the canary, the failed
// checks against the threshold, and each metric with its threshold. Flagger keeps the status
// up to date at every analysis interval; this module only reads it and says what a manual
// promotion or abort may do in each phase (scheduler.go of Flagger v1.44.0 is the reference).
import type {KubeObject} from '../objects.js';
import {durationMs} from '../config/checks.js';
import {isRecord} from '../record.js';

export const CANARY_API_VERSION = 'flagger.app/v1beta1';
/**
 * Set with spec.skipAnalysis by `canary promote`, so that it (or its next run, if this one
 * was interrupted) knows to turn the analysis back on once Flagger has promoted.
 */
export const PROMOTE_ANNOTATION = 'sparc-mesh.io/promote-skips-analysis';

/** Phases in which Flagger is moving traffic, or holding it at a gate: a rollout is under way. */
const ROLLOUT_PHASES = new Set(['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising']);
/** Phases in which Flagger acts on its threshold of failed checks (`rollback` in scheduler.go). */
const ABORTABLE_PHASES = new Set(['Progressing', 'WaitingPromotion']);

/**
 * Where a Canary stands for someone waiting on it: Flagger has not set it up yet, a rollout is
 * under way (or a new revision waits for Flagger to notice it), or it rests after a promotion,
 * a rollback, or with no rollout since it was set up.
 */
export type RolloutState = 'setting up' | 'in progress' | 'promoted' | 'rolled back' | 'idle';

export interface CanaryMetric {
  name: string;
  /** The check passes when the value is at least min and at most max. */
  min?: number;
  max?: number;
  /** Unit of min, max and lastValue: `%` for the success rate, `ms` for the duration, '' for a query's own. */
  unit: string;
  /** The value Flagger measured at its last check, in `unit`; absent when not known. */
  lastValue?: number;
}

export interface FlaggerCanary {
  name: string;
  namespace: string;
  /** The Deployment (or other workload) whose new revisions Flagger rolls out. */
  target: string;
  /** Flagger's phase; '' until Flagger first sees the Canary. */
  phase: string;
  state: RolloutState;
  /** Percent of the traffic on the canary. */
  canaryWeight: number;
  maxWeight: number;
  failedChecks: number;
  /** Failed checks at which Flagger rolls back. */
  threshold: number;
  /** How often Flagger runs a check, as the Canary says it (Flagger runs at least every 10s). */
  interval: string;
  /** When Flagger last changed the status (it does at every step and check). */
  lastTransitionTime?: string;
  /** Flagger's words about the phase, from its Promoted condition. */
  message?: string;
  /** spec.skipAnalysis: Flagger promotes new revisions without checking them. */
  skipAnalysis: boolean;
  /** skipAnalysis was set by `canary promote`, which turns it off again after the promotion. */
  skipAnalysisByPromote: boolean;
  /** spec.suspend: Flagger leaves the Canary alone. */
  suspended: boolean;
  /** A newer revision of the target than Flagger's last status change: a rollout about to start. */
  revisionPending: boolean;
  metrics: CanaryMetric[];
}

/** What a manual promotion does in a phase: skip the analysis, wait for the promotion already running, or nothing. */
export type PromoteStep = {do: 'skip-analysis'} | {do: 'wait'} | {do: 'refuse'; reason: string};
/** What a manual abort does in a phase: fail the checks (Flagger then rolls back), or nothing. */
export type AbortStep = {do: 'fail-checks'} | {do: 'refuse'; reason: string};

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
const stringOr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Flagger's built-in metrics and their units; anything else is a query or a MetricTemplate. */
const BUILTIN_UNITS: Record<string, string> = {'request-success-rate': '%', 'request-duration': 'ms'};

function readMetric(value: unknown): CanaryMetric {
  const metric = record(value);
  const name = stringOr(metric.name) ?? '';
  const range = record(metric.thresholdRange);
  const unit = BUILTIN_UNITS[name] ?? '';
  const read: CanaryMetric = {name, unit};
  if (typeof range.min === 'number') read.min = range.min;
  if (typeof range.max === 'number') read.max = range.max;
  // The legacy single threshold: a floor for the success rate, a ceiling for everything else.
  if (!isRecord(metric.thresholdRange) && typeof metric.threshold === 'number') {
    if (name === 'request-success-rate') read.min = metric.threshold;
    else read.max = metric.threshold;
  }
  return read;
}

function stateOf(phase: string, revisionPending: boolean): RolloutState {
  if (phase === '' || phase === 'Initializing' || phase === 'Terminating') return 'setting up';
  if (ROLLOUT_PHASES.has(phase) || revisionPending) return 'in progress';
  if (phase === 'Succeeded') return 'promoted';
  if (phase === 'Failed') return 'rolled back';
  return 'idle';
}

/** What the target workload says about its revisions. */
export interface TargetRevisions {
  /** When its newest revision was made (a Deployment's newest ReplicaSet). */
  newestAt?: string;
  /** A change its controller has not processed yet (metadata.generation ahead of status.observedGeneration). */
  unobservedChange?: boolean;
  /** When it was read (ms since the epoch): the clock of the run, for a revision whose order is not known. */
  readAt?: number;
}

/**
 * Whether the newest revision came after Flagger's last status change. Kubernetes timestamps are
 * whole seconds, so a revision made in the very second of that change may be older or newer:
 * such a revision counts as new until Flagger, which looks once per analysis interval, would
 * have picked it up (one interval, plus the second the timestamps lose).
 */
function newerRevision(target: TargetRevisions, lastTransitionTime: string | undefined, interval: string): boolean {
  if (target.newestAt === undefined || lastTransitionTime === undefined) return false;
  const made = Date.parse(target.newestAt);
  const changed = Date.parse(lastTransitionTime);
  if (made !== changed) return made > changed;
  return target.readAt !== undefined && target.readAt - made < durationMs(interval) + 1000;
}

/**
 * A Canary as Flagger left it. A revision of the target newer than Flagger's last status change
 * while the Canary rests, or a change not processed yet, is one Flagger has not picked up yet
 * (it looks once per interval): a rollout about to start.
 */
export function readFlaggerCanary(object: KubeObject, target: TargetRevisions = {}): FlaggerCanary {
  const spec = record(object.spec);
  const analysis = record(spec.analysis ?? spec.canaryAnalysis);
  const status = record(object.status);
  const phase = stringOr(status.phase) ?? '';
  const lastTransitionTime = stringOr(status.lastTransitionTime);
  const resting = stateOf(phase, false);
  const interval = stringOr(analysis.interval) ?? '1m';
  const revisionPending = (resting === 'promoted' || resting === 'rolled back' || resting === 'idle')
    && (newerRevision(target, lastTransitionTime, interval) || target.unobservedChange === true);
  const promoted = (Array.isArray(status.conditions) ? status.conditions : []).map(record)
    .find((condition) => condition.type === 'Promoted');
  const threshold = numberOr(analysis.threshold, 0);
  const canary: FlaggerCanary = {
    name: object.metadata.name ?? '',
    namespace: object.metadata.namespace ?? '',
    target: stringOr(record(spec.targetRef).name) ?? '',
    phase,
    state: stateOf(phase, revisionPending),
    canaryWeight: numberOr(status.canaryWeight, 0),
    maxWeight: numberOr(analysis.maxWeight, 100),
    failedChecks: numberOr(status.failedChecks, 0),
    // Flagger reads a threshold of 0 (or none) as 1.
    threshold: threshold > 0 ? threshold : 1,
    interval,
    skipAnalysis: spec.skipAnalysis === true,
    skipAnalysisByPromote: object.metadata.annotations?.[PROMOTE_ANNOTATION] === 'true',
    suspended: spec.suspend === true,
    revisionPending,
    metrics: (Array.isArray(analysis.metrics) ? analysis.metrics : []).map(readMetric),
  };
  if (lastTransitionTime !== undefined) canary.lastTransitionTime = lastTransitionTime;
  const message = stringOr(promoted?.message);
  if (message !== undefined) canary.message = message;
  return canary;
}

/**
 * The last value Flagger recorded for a metric (its gauge flagger_canary_metric_analysis), in
 * the unit of the metric's thresholds: Flagger records request-duration in seconds.
 */
export function recordedValue(metric: Pick<CanaryMetric, 'name'>, recorded: number): number {
  return metric.name === 'request-duration' ? recorded * 1000 : recorded;
}

/** Whether Flagger is done with every Canary: none is being set up or rolled out. */
export function allSettled(canaries: readonly FlaggerCanary[]): boolean {
  return canaries.every((canary) => canary.state !== 'setting up' && canary.state !== 'in progress');
}

/**
 * A promotion through `spec.skipAnalysis`: "If an analysis is underway, Flagger cancels it and
 * runs the promotion" (Flagger's deployment strategies). It does so past a confirm-promotion
 * gate, but not past a closed confirm-rollout gate (phase Waiting), which Flagger checks first.
 */
export function promoteStep(canary: FlaggerCanary): PromoteStep {
  if (canary.phase === 'Promoting' || canary.phase === 'Finalising') return {do: 'wait'};
  // A revision Flagger has not noticed yet is promoted as soon as it does.
  if (canary.phase === 'Progressing' || canary.phase === 'WaitingPromotion' || canary.revisionPending) {
    return {do: 'skip-analysis'};
  }
  if (canary.phase === 'Waiting') {
    return {do: 'refuse',
      reason:
        'is held at a confirm-rollout gate; Flagger checks that gate before skipping the analysis: open the gate'};
  }
  return {do: 'refuse', reason: `has no rollout under way (phase ${canary.phase || 'not set by Flagger yet'})`};
}

/**
 * An abort through Flagger's own rollback on failed checks: with the failed checks at the
 * threshold, Flagger's next run routes all traffic to the primary, scales the canary to zero
 * and marks the Canary Failed, as when the metrics fail. It acts on that only while
 * progressing or waiting for promotion; once promoting, the new revision is already the primary's.
 */
export function abortStep(canary: FlaggerCanary): AbortStep {
  if (ABORTABLE_PHASES.has(canary.phase)) return {do: 'fail-checks'};
  if (canary.phase === 'Promoting' || canary.phase === 'Finalising') {
    return {do: 'refuse', reason: 'is already being promoted: the primary runs the new revision'};
  }
  if (canary.phase === 'Waiting') {
    return {do: 'refuse', reason: 'is held at a confirm-rollout gate: no traffic has moved, so nothing to roll back'};
  }
  return {do: 'refuse', reason: `has no rollout under way (phase ${canary.phase || 'not set by Flagger yet'})`};
}
