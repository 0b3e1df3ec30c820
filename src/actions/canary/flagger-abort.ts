// `canary abort` with Flagger: sets the Canary's failed checks to its threshold (a merge patch of
// the status subresource, as `kubectl argo rollouts abort` patches its Rollout's status), so
// that Flagger's next run takes its own rollback path, exactly as when the metrics fail: all
// traffic back to the primary, the canary scaled to zero, phase Failed. Flagger's other manual
// rollback, a `rollback` webhook, needs a service to answer it (its load tester's gate API).
// Flagger may overwrite the count with a check it was running at that moment, so the request
// is made again at each reading until Flagger reports the rollback.
import type {KubeConnection} from '../../adapters/kube/client.js';
import {abortStep, type FlaggerCanary} from '../../core/canary/flagger-canary.js';
import {PreconditionError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {canaryRef, notNow, readCanary} from './flagger-status.js';
import {pollUntil, type PollOptions} from './flagger-wait.js';

export interface FlaggerAbortInput extends PollOptions {
  connection: KubeConnection;
  namespace: string;
  name: string;
}

export interface FlaggerAbortResult {
  canary: FlaggerCanary;
}

export async function flaggerAbort(input: FlaggerAbortInput,
  deps: Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>): Promise<FlaggerAbortResult>
{
  const client = await deps.connect(input.connection);
  const read = () => readCanary(client, input.namespace, input.name, deps.now);
  const start = await read();
  const step = abortStep(start);
  if (step.do === 'refuse') {
    throw notNow(input.namespace, input.name, step.reason);
  }
  deps.progress(
    `setting the failed checks of Canary ${input.namespace}/${input.name} to its threshold (${start.threshold})`,
  );
  const end = await pollUntil({
    read,
    each: async (canary) => {
      if (abortStep(canary).do !== 'fail-checks' || canary.failedChecks >= canary.threshold) return;
      await client.mergePatch(canaryRef(input.namespace, input.name), {status: {failedChecks: canary.threshold}}, {
        subresource: 'status',
      });
    },
    // Flagger may have promoted in the meantime: then there is nothing left to roll back.
    done: (canary) => canary.state === 'rolled back' || canary.state === 'promoted',
    describe: (canary) =>
      `Canary ${canary.namespace}/${canary.name} is ${canary.phase} at ${canary.canaryWeight}% with ${canary.failedChecks}/${canary.threshold} failed checks, not rolled back yet`,
  }, input, deps);
  if (end.state === 'promoted') {
    throw new PreconditionError(`Flagger promoted Canary ${input.namespace}/${input.name} before the abort took effect`,
      `roll the target back to its previous revision; Flagger then rolls that out as a new revision`);
  }
  return {canary: end};
}
