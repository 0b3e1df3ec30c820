import {describe, expect, it} from 'vitest';
import {abortStep, allSettled, promoteStep, PROMOTE_ANNOTATION, readFlaggerCanary,
  recordedValue} from '../../../src/core/canary/flagger-canary.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {canaryObject} from './fixtures.js';

const progressing = {phase: 'Progressing', canaryWeight: 20, failedChecks: 1,
  lastTransitionTime: '2026-12-06T15:50:03Z',
  conditions: [{type: 'Promoted', status: 'Unknown', reason: 'Progressing',
    message: 'New revision detected, progressing canary analysis.'}]};

describe('readFlaggerCanary', () => {
  it('reads phase, weights, failed checks against the threshold, and each metric with its threshold', () => {
    expect(readFlaggerCanary(canaryObject(progressing))).toEqual({
      name: 'reports',
      namespace: 'sparc',
      target: 'reports',
      phase: 'Progressing',
      state: 'in progress',
      canaryWeight: 20,
      maxWeight: 30,
      failedChecks: 1,
      threshold: 2,
      interval: '10s',
      lastTransitionTime: '2026-12-06T15:50:03Z',
      message: 'New revision detected, progressing canary analysis.',
      skipAnalysis: false,
      skipAnalysisByPromote: false,
      suspended: false,
      revisionPending: false,
      metrics: [{name: 'request-success-rate', unit: '%', min: 99}, {name: 'request-duration', unit: 'ms', max: 500}],
    });
  });

  it("reads Flagger's defaults: no threshold is 1, no maxWeight is 100, no status is a Canary not set up yet", () => {
    const canary = readFlaggerCanary(canaryObject({}, {analysis: {interval: '1m'}}));
    expect(canary).toMatchObject({phase: '', state: 'setting up', threshold: 1, maxWeight: 100, canaryWeight: 0,
      failedChecks: 0, metrics: []});
  });

  it('reads the legacy single threshold as a floor for the success rate and a ceiling for the rest', () => {
    const canary = readFlaggerCanary(canaryObject({phase: 'Succeeded'}, {analysis: {metrics: [
      {name: 'request-success-rate', threshold: 99},
      {name: 'request-duration', threshold: 500},
      {name: 'error-budget', templateRef: {name: 'budget'}, threshold: 5},
    ]}}));
    expect(canary.metrics).toEqual([{name: 'request-success-rate', unit: '%', min: 99}, {name: 'request-duration',
      unit: 'ms', max: 500}, {name: 'error-budget', unit: '', max: 5}]);
  });

  it('names the state of each phase', () => {
    const stateOf = (phase: string) => readFlaggerCanary(canaryObject({phase})).state;
    expect(
      ['Initializing', 'Initialized', 'Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising',
        'Succeeded', 'Failed', 'Terminating', 'Terminated'].map(stateOf),
    ).toEqual(['setting up', 'idle', 'in progress', 'in progress', 'in progress', 'in progress', 'in progress',
      'promoted', 'rolled back', 'setting up', 'idle']);
  });

  it('counts a revision newer than the last status change of a resting Canary as a rollout about to start', () => {
    const succeeded = canaryObject({phase: 'Succeeded', lastTransitionTime: '2026-12-06T15:50:03Z'});
    expect(readFlaggerCanary(succeeded, {newestAt: '2026-12-06T15:51:00Z'})).toMatchObject({revisionPending: true,
      state: 'in progress'});
    expect(readFlaggerCanary(succeeded, {newestAt: '2026-12-06T15:50:03Z'})).toMatchObject({revisionPending: false,
      state: 'promoted'});
    expect(readFlaggerCanary(canaryObject(progressing), {newestAt: '2026-12-06T15:51:00Z'}).revisionPending)
      .toBe(false);
  });

  it('counts a revision made in the second of the last status change as new until Flagger would have looked', () => {
    // Timestamps are whole seconds, so the order is unknown; the fixture's analysis interval is 10s.
    const succeeded = canaryObject({phase: 'Succeeded', lastTransitionTime: '2026-12-06T15:50:03Z'});
    const sameSecond = (canary: KubeObject, readAt: string) =>
      readFlaggerCanary(canary, {newestAt: '2026-12-06T15:50:03Z', readAt: Date.parse(readAt)});
    expect(sameSecond(succeeded, '2026-12-06T15:50:03.400Z')).toMatchObject({revisionPending: true,
      state: 'in progress'});
    expect(sameSecond(succeeded, '2026-12-06T15:50:13.900Z').revisionPending).toBe(true);
    expect(sameSecond(succeeded, '2026-12-06T15:50:14.000Z')).toMatchObject({revisionPending: false,
      state: 'promoted'});
    const everyMinute = canaryObject({phase: 'Initialized', lastTransitionTime: '2026-12-06T15:50:03Z'}, {
      analysis: {interval: '1m'},
    });
    expect(sameSecond(everyMinute, '2026-12-06T15:51:03.900Z').revisionPending).toBe(true);
    expect(sameSecond(everyMinute, '2026-12-06T15:51:04.000Z')).toMatchObject({revisionPending: false, state: 'idle'});
    // Without the time of the reading, the revision is taken as the one Flagger saw.
    expect(readFlaggerCanary(succeeded, {newestAt: '2026-12-06T15:50:03Z'}).revisionPending).toBe(false);
  });

  it('counts a change the Deployment controller has not processed yet as a revision about to come', () => {
    const succeeded = canaryObject({phase: 'Succeeded', lastTransitionTime: '2026-12-06T15:50:03Z'});
    expect(readFlaggerCanary(succeeded, {newestAt: '2026-12-06T15:40:00Z', unobservedChange: true}))
      .toMatchObject({revisionPending: true, state: 'in progress'});
  });

  it('tells a skipAnalysis set by canary promote from one the owner set', () => {
    expect(readFlaggerCanary(canaryObject(progressing, {skipAnalysis: true}, {[PROMOTE_ANNOTATION]: 'true'})))
      .toMatchObject({skipAnalysis: true, skipAnalysisByPromote: true});
    expect(readFlaggerCanary(canaryObject(progressing, {skipAnalysis: true}))).toMatchObject({skipAnalysis: true,
      skipAnalysisByPromote: false});
  });
});

describe('what promote and abort do in each phase', () => {
  const inPhase = (phase: string, newestAt?: string) =>
    readFlaggerCanary(canaryObject({phase, lastTransitionTime: '2026-12-06T15:50:03Z'}), newestAt ? {newestAt} : {});

  it('promotes by skipping the analysis while it runs, or for a revision Flagger has not noticed', () => {
    expect(promoteStep(inPhase('Progressing'))).toEqual({do: 'skip-analysis'});
    expect(promoteStep(inPhase('WaitingPromotion'))).toEqual({do: 'skip-analysis'});
    expect(promoteStep(inPhase('Succeeded', '2026-12-06T15:59:00Z'))).toEqual({do: 'skip-analysis'});
    expect(promoteStep(inPhase('Promoting'))).toEqual({do: 'wait'});
    expect(promoteStep(inPhase('Finalising'))).toEqual({do: 'wait'});
  });

  it('refuses to promote at a closed confirm-rollout gate and with no rollout', () => {
    expect(promoteStep(inPhase('Waiting'))).toMatchObject({do: 'refuse', reason: expect.stringContaining('gate')});
    for (const phase of ['Succeeded', 'Failed', 'Initialized', '']) {
      expect(promoteStep(inPhase(phase))).toMatchObject({do: 'refuse',
        reason: expect.stringContaining('no rollout under way')});
    }
  });

  it("aborts through the failed-checks threshold only where Flagger's rollback reads it", () => {
    expect(abortStep(inPhase('Progressing'))).toEqual({do: 'fail-checks'});
    expect(abortStep(inPhase('WaitingPromotion'))).toEqual({do: 'fail-checks'});
    expect(abortStep(inPhase('Promoting'))).toMatchObject({do: 'refuse', reason: expect.stringContaining('promoted')});
    expect(abortStep(inPhase('Waiting'))).toMatchObject({do: 'refuse',
      reason: expect.stringContaining('nothing to roll back')});
    expect(abortStep(inPhase('Succeeded'))).toMatchObject({do: 'refuse',
      reason: expect.stringContaining('no rollout under way')});
  });
});

describe('allSettled and recordedValue', () => {
  it('is settled when no Canary is being set up or rolled out', () => {
    const promoted = readFlaggerCanary(canaryObject({phase: 'Succeeded'}));
    const failed = readFlaggerCanary(canaryObject({phase: 'Failed'}));
    expect(allSettled([promoted, failed])).toBe(true);
    expect(allSettled([promoted, readFlaggerCanary(canaryObject(progressing))])).toBe(false);
    expect(allSettled([readFlaggerCanary(canaryObject({}))])).toBe(false);
  });

  it('turns the seconds Flagger records for request-duration into the milliseconds of its threshold', () => {
    expect(recordedValue({name: 'request-duration'}, 0.049)).toBeCloseTo(49, 9);
    expect(recordedValue({name: 'request-success-rate'}, 99.5)).toBe(99.5);
  });
});
