// Where a controller-less canary run stands, kept as JSON in one annotation of the primary
// Deployment and rewritten after every step, so that a run killed at any point resumes where
// it was and `canary rollback` knows what to undo. A value that cannot be read is reported,
// never guessed.
import type {KubeObject} from '../objects.js';
import {isRecord} from '../record.js';
import type {HeaderMatch} from './routing.js';

export const RUN_STATE_ANNOTATION = 'sparc-mesh.io/canary-run';

/** A route the run changed: its original rules, to put back; `created` when the run made it and removes it. */
export interface SavedRoute {
  name: string;
  created: boolean;
  rules: unknown[];
}

export interface RunState {
  /** The image being rolled out, and the primary's before the run (what a rollback restores). */
  image: string;
  previousImage: string;
  container: string;
  /** The canary's weight at each step, and the step the run is at. */
  steps: number[];
  step: number;
  failedChecks: number;
  /** `promoting` once every check passed: the primary is taking the new image. */
  phase: 'progressing' | 'promoting';
  match?: HeaderMatch;
  routes: SavedRoute[];
}

export function stateAnnotation(state: RunState): Record<string, string> {
  return {[RUN_STATE_ANNOTATION]: JSON.stringify(state)};
}

const isNumberList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'number');

function isSavedRoute(value: unknown): value is SavedRoute {
  return isRecord(value) && typeof value.name === 'string' && typeof value.created === 'boolean'
    && Array.isArray(value.rules);
}

/** The run state recorded on a Deployment: undefined when there is none, a string saying what is wrong when it cannot be read. */
export function readRunState(deployment: KubeObject): RunState | undefined | string {
  const text = deployment.metadata.annotations?.[RUN_STATE_ANNOTATION];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `annotation ${RUN_STATE_ANNOTATION} is not JSON`;
  }
  const valid = isRecord(value) && typeof value.image === 'string' && typeof value.previousImage === 'string'
    && typeof value.container === 'string' && isNumberList(value.steps) && Number.isInteger(value.step)
    && Number.isInteger(value.failedChecks) && (value.phase === 'progressing' || value.phase === 'promoting')
    && Array.isArray(value.routes) && value.routes.every(isSavedRoute)
    && (value.match === undefined
      || (isRecord(value.match) && typeof value.match.name === 'string' && typeof value.match.value === 'string'))
    && (value.step as number) >= 0 && (value.step as number) < (value.steps as number[]).length;
  return valid ? value as unknown as RunState : `annotation ${RUN_STATE_ANNOTATION} does not hold a canary run's state`;
}
