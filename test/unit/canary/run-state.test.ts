import {describe, expect, it} from 'vitest';
import {readRunState, RUN_STATE_ANNOTATION, stateAnnotation,
  type RunState} from '../../../src/core/canary/run-state.js';

const state: RunState = {image: 'r:2', previousImage: 'r:1', container: 'r', steps: [25, 50], step: 1, failedChecks: 1,
  phase: 'progressing', match: {name: 'x-canary', value: 'true'},
  routes: [{name: 'r', created: false, rules: [{route: []}]}]};

const deployment = (annotations?: Record<string, string>) => ({apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {name: 'r', ...(annotations ? {annotations} : {})}});

describe('the run state annotation', () => {
  it('reads back what was written', () => {
    expect(readRunState(deployment(stateAnnotation(state)))).toEqual(state);
  });

  it('is absent on a Deployment without a run', () => {
    expect(readRunState(deployment())).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', 'is not JSON'],
    ['a step past the last weight', JSON.stringify({...state, step: 2}), "does not hold a canary run's state"],
    ['an unknown phase', JSON.stringify({...state, phase: 'done'}), "does not hold a canary run's state"],
    ['a route without rules', JSON.stringify({...state, routes: [{name: 'r', created: true}]}),
      "does not hold a canary run's state"],
  ])('reports %s instead of guessing', (_what, text, problem) => {
    expect(readRunState(deployment({[RUN_STATE_ANNOTATION]: text}))).toContain(problem);
  });
});
