// Server-side apply of a set of rendered objects, all or nothing: snapshot every target, apply
// in order, and when one apply fails put back what the others changed (see docs/onboarding.md).
import {isDeepStrictEqual} from 'node:util';
import {ToolError} from '../../errors.js';
import {ApplyConflictError, FIELD_MANAGER, type KubeClient} from '../../adapters/kube/client.js';
import {displayName, refOf, type KubeObject, type ResourceRef} from '../../core/objects.js';
import {restoreConfig} from '../../core/apply/managed-fields.js';
import {settleAll} from '../settle-all.js';
import {describeRollback, namespacesToCreate, summarize, withoutServerFields, type ApplySummary, type ObjectAction,
  type ObjectResult, type RollbackStep} from '../../core/apply/results.js';

export interface ApplyRequest {
  objects: readonly KubeObject[];
  /** Take over fields other managers own (--force-conflicts). */
  force: boolean;
  /** Server-side dry run: the API server validates and answers, nothing is persisted. */
  dryRun: boolean;
  /** Called after each object, in completion order (progress output). */
  onObject?: (result: ObjectResult) => void;
}

/** An apply failed; what it changed was rolled back (`rollback` says how far that got). */
export class ApplyError extends ToolError {
  constructor(readonly failed: ResourceRef, readonly reason: Error, readonly rollback: RollbackStep[]) {
    const tool = reason instanceof ToolError ? reason : undefined;
    super(tool?.tool ?? 'kube-apiserver', tool?.args ?? ['PATCH', displayName(failed)], tool?.toolExitCode,
      tool?.stderrTail ?? reason.message,
      `${
        reason.message.startsWith(displayName(failed)) ? '' : `applying ${displayName(failed)} failed: `
      }${reason.message}\n${describeRollback(rollback)}`);
    this.name = reason instanceof ApplyConflictError ? 'ApplyConflictError' : 'ApplyError';
  }
}

function actionOf(before: KubeObject | undefined, after: KubeObject, dryRun: boolean): ObjectAction {
  if (!before) return 'created';
  // A real apply that changed nothing is not written, so resourceVersion stays; a dry run
  // never gets a new resourceVersion, so it is judged on content.
  const same = dryRun
    ? isDeepStrictEqual(withoutServerFields(before), withoutServerFields(after))
    : before.metadata.resourceVersion === after.metadata.resourceVersion;
  return same ? 'unchanged' : 'configured';
}

/**
 * Namespaces that do not exist yet go first, one at a time, so everything in them finds them;
 * the rest goes in parallel, a namespace that exists already with it (nothing waits on it:
 * kubectl's one-by-one order is what this saves a round trip over).
 */
function stagesOf(objects: readonly KubeObject[], exists: (object: KubeObject) => boolean): KubeObject[][] {
  const first = objects.filter((object) => object.kind === 'Namespace' && !exists(object));
  const rest = objects.filter((object) => !first.includes(object));
  return [...first.map((object) => [object]), ...(rest.length ? [rest] : [])];
}

const APPLY_CONCURRENCY = 6;

interface Applied {
  object: KubeObject;
  before: KubeObject | undefined;
  /** Undefined when the outcome is unknown (no answer): rollback reads it again. */
  after: KubeObject | undefined;
}

/** An error with an HTTP answer was refused whole; without one, the write may have happened. */
function mayHaveWritten(error: unknown): boolean {
  return !(error instanceof ToolError && error.toolExitCode !== undefined);
}

async function rollBack(client: KubeClient, applied: readonly Applied[]): Promise<RollbackStep[]> {
  const steps: RollbackStep[] = [];
  let unreachable: string | undefined;
  for (const {object, before, after: known} of [...applied].reverse()) {
    const ref = refOf(object);
    // Once the server does not answer, each further step would only wait for its timeout.
    if (unreachable) {
      steps.push({ref, action: 'failed', error: `not attempted: ${unreachable}`});
      continue;
    }
    try {
      const after = known ?? (await client.get(ref));
      if (!after || (before && after.metadata.resourceVersion === before.metadata.resourceVersion)) continue;
      if (!before) {
        await client.delete(ref, {uid: after.metadata.uid as string | undefined});
        steps.push({ref, action: 'deleted'});
      } else {
        await client.apply(restoreConfig(before, after, FIELD_MANAGER), {force: true});
        steps.push({ref, action: 'restored'});
      }
    } catch (error) {
      steps.push({ref, action: 'failed', error: (error as Error).message});
      if (mayHaveWritten(error)) unreachable = 'the API server did not answer';
    }
  }
  return steps;
}

/**
 * Applies `objects` with server-side apply under the sparc-mesh field manager. Every target is
 * read first (which also checks that the server serves every kind before anything is written);
 * when an apply fails, every object already changed is rolled back and an ApplyError thrown.
 */
export async function applyObjects(client: KubeClient, request: ApplyRequest): Promise<ApplySummary> {
  const snapshots = await Promise.all(request.objects.map((object) => client.get(refOf(object))));
  const beforeOf = new Map(request.objects.map((object, index) => [object, snapshots[index]]));
  const results: ObjectResult[] = [];
  const applied: Applied[] = [];
  const notes: string[] = [];
  const newNamespaces = request.dryRun ? namespacesToCreate(request.objects, snapshots) : new Set<string>();
  const notSent = request.objects.filter((object) => newNamespaces.has(object.metadata.namespace ?? ''));
  if (notSent.length) {
    notes.push(
      `not checked by the API server, because namespace ${[...newNamespaces].join(', ')} does not exist yet: ${
        notSent.map((object) => displayName(refOf(object))).join(', ')
      }`,
    );
  }
  for (const stage of stagesOf(request.objects, (object) => beforeOf.get(object) !== undefined)) {
    const outcomes = await settleAll(stage, APPLY_CONCURRENCY, async (object) => {
      if (notSent.includes(object)) {
        const result: ObjectResult = {ref: refOf(object), action: 'created'};
        request.onObject?.(result);
        return {after: object, result};
      }
      const after = await client.apply(object, {force: request.force, dryRun: request.dryRun});
      const result = {ref: refOf(object), action: actionOf(beforeOf.get(object), after, request.dryRun)};
      request.onObject?.(result);
      return {after, result};
    });
    let failure: {object: KubeObject; error: Error} | undefined;
    outcomes.forEach((outcome, index) => {
      const object = stage[index]!;
      const before = beforeOf.get(object);
      if (outcome.status === 'fulfilled') {
        results.push(outcome.value.result);
        if (outcome.value.result.action !== 'unchanged') applied.push({object, before, after: outcome.value.after});
      } else {
        failure ??= {object, error: outcome.reason as Error};
        if (mayHaveWritten(outcome.reason)) applied.push({object, before, after: undefined});
      }
    });
    if (failure) {
      const rollback = request.dryRun ? [] : await rollBack(client, applied);
      throw new ApplyError(refOf(failure.object), failure.error, rollback);
    }
  }
  const order = new Map(request.objects.map((object, index) => [displayName(refOf(object)), index]));
  results.sort((a, b) => order.get(displayName(a.ref))! - order.get(displayName(b.ref))!);
  return summarize(results, notes);
}
