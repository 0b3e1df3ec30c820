// `canary rollback`: ends a controller-less canary run from whatever step it reached (or
// was killed at): the primary keeps, or gets back, the image it had before the run; all
// traffic goes to it; the canary's objects are removed. With nothing recorded it still
// removes canary objects a run left behind, and says so.
import type {KubeConnection} from '../../adapters/kube/client.js';
import type {RouteTarget} from '../../core/canary/routing.js';
import type {Mesh} from '../../core/config/types.js';
import type {ActionDeps} from '../deps.js';
import {endRun, primaryDeployment, recordedState, refuseFlaggerCanary, setPrimaryImage} from './cluster.js';

export interface CanaryRollbackInput {
  connection: KubeConnection;
  service: string;
  namespace: string;
  mesh: Mesh;
  waitTimeoutMs: number;
}

export interface CanaryRollbackResult {
  service: string;
  namespace: string;
  /** Whether a recorded run was ended (false: there was none; leftovers were removed). */
  runEnded: boolean;
  /** The image the primary runs afterwards. */
  image?: string;
  /** Where the run stood when it was rolled back. */
  stoppedAt?: {weight: number; failedChecks: number; phase: 'progressing' | 'promoting'};
}

export async function canaryRollback(input: CanaryRollbackInput,
  deps: Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>): Promise<CanaryRollbackResult>
{
  const target: RouteTarget = {mesh: input.mesh, service: input.service, namespace: input.namespace};
  const client = await deps.connect(input.connection);
  await refuseFlaggerCanary(client, target, 'canary rollback');
  const state = recordedState(await primaryDeployment(client, target));
  const result: CanaryRollbackResult = {service: input.service, namespace: input.namespace, runEnded: !!state};
  if (state) {
    result.stoppedAt = {weight: state.steps[state.step]!, failedChecks: state.failedChecks, phase: state.phase};
    result.image = state.previousImage;
    // Promotion may have given the primary the new image already.
    if (state.phase === 'promoting') {
      deps.progress(`${input.service} goes back to ${state.previousImage}`);
      await setPrimaryImage(client, target, state.container, state.previousImage, input.waitTimeoutMs, deps);
    }
  }
  await endRun(client, target, state, deps.progress);
  return result;
}
