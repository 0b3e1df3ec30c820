// `canary promote` with Flagger: sets the Canary's spec.skipAnalysis, Flagger's documented way to
// ship a revision without its checks ("if an analysis is underway, Flagger cancels it and runs
// the promotion"), waits until Flagger reports the promotion, then turns the analysis back on
// so the next revision is checked again. An annotation marks skipAnalysis as set here, so that
// a run interrupted before the reset is finished by the next `canary promote`, and a
// skipAnalysis the Canary's owner set on purpose is never turned off.
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {PROMOTE_ANNOTATION, promoteStep, type FlaggerCanary} from '../../core/canary/flagger-canary.js';
import {PreconditionError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {canaryRef, notNow, readCanary} from './flagger-status.js';
import {pollUntil, type PollOptions} from './flagger-wait.js';

export interface FlaggerPromoteInput extends PollOptions {
  connection: KubeConnection;
  namespace: string;
  name: string;
}

export interface FlaggerPromoteResult {
  canary: FlaggerCanary;
  /** What this run did before Flagger finished: skipped the analysis, or waited for a promotion already running. */
  did: 'skipped the analysis' | 'waited for the promotion under way' | 'turned the analysis back on';
}

function setSkipAnalysis(client: KubeClient, canary: FlaggerCanary, skip: boolean) {
  return client.mergePatch(canaryRef(canary.namespace, canary.name), {
    metadata: {annotations: {[PROMOTE_ANNOTATION]: skip ? 'true' : null}},
    // null removes the field: the Canary is left as its owner wrote it.
    spec: {skipAnalysis: skip ? true : null},
  });
}

const where = (canary: FlaggerCanary) =>
  `Canary ${canary.namespace}/${canary.name} is ${canary.phase || 'not set up by Flagger'} at ${canary.canaryWeight}%`;

export async function flaggerPromote(input: FlaggerPromoteInput,
  deps: Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>): Promise<FlaggerPromoteResult>
{
  const client = await deps.connect(input.connection);
  const read = () => readCanary(client, input.namespace, input.name, deps.now);
  const start = await read();
  const step = promoteStep(start);
  if (step.do === 'refuse') {
    if (!start.skipAnalysisByPromote) {
      throw notNow(input.namespace, input.name, step.reason);
    }
    // An earlier promotion finished without its reset.
    await setSkipAnalysis(client, start, false);
    return {canary: await read(), did: 'turned the analysis back on'};
  }
  if (step.do === 'skip-analysis' && !start.skipAnalysis) {
    deps.progress(`setting spec.skipAnalysis on Canary ${input.namespace}/${input.name}`);
    await setSkipAnalysis(client, start, true);
  }
  deps.progress(`waiting for Flagger to promote ${start.target} (it acts every ${start.interval} or more)`);
  const end = await pollUntil({
    read,
    done: (canary) => canary.state === 'promoted' || canary.state === 'rolled back',
    describe: (canary) => `${where(canary)}, not promoted yet`,
  }, input, deps);
  if (end.skipAnalysisByPromote) await setSkipAnalysis(client, end, false);
  if (end.state === 'rolled back') {
    throw new PreconditionError(
      `Flagger rolled Canary ${input.namespace}/${input.name} back instead of promoting it${
        end.message ? `: ${end.message}` : ''
      }`,
      `kubectl describe canary ${input.name} -n ${input.namespace} lists Flagger's events`,
    );
  }
  return {canary: end,
    did: step.do === 'skip-analysis' ? 'skipped the analysis' : 'waited for the promotion under way'};
}
