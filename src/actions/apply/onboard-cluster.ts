// The cluster sink of `onboard`: apply the rendered objects (or dry-run or diff them), then
// restart the service's workloads so their pods get the mesh, and wait for them.
import {ToolError} from '../../errors.js';
import type {KubeConnection} from '../../adapters/kube/client.js';
import {displayName, type KubeObject, type ResourceRef} from '../../core/objects.js';
import type {ApplySummary, ObjectResult} from '../../core/apply/results.js';
import type {ActionDeps} from '../deps.js';
import {applyObjects} from './apply.js';
import {diffObjects, type ObjectDiff} from './diff.js';
import {findWorkloads, restartWorkloads, waitForRollouts, type WorkloadStatus} from './rollout.js';

export type ClusterMode = 'apply' | 'server-dry-run' | 'diff';

export interface ClusterOnboardInput {
  objects: readonly KubeObject[];
  service: string;
  namespace: string;
  connection: KubeConnection;
  mode: ClusterMode;
  force: boolean;
  /** Wait for the restarted workloads this long; undefined: --no-wait. */
  waitTimeoutMs?: number;
  /** Value of the restart annotation (the command's clock, so this stays testable). */
  restartedAt: string;
}

export interface ClusterOnboardResult extends Partial<ApplySummary> {
  mode: ClusterMode;
  /** Workloads restarted because something changed (none in a dry run or when nothing changed). */
  restarted: ResourceRef[];
  /** Their rollout status when waited for. */
  workloads: WorkloadStatus[];
  /** With --diff: one entry per object, an empty patch when it would not change. */
  diff?: ObjectDiff[];
}

const describeResult = (result: ObjectResult, dryRun: boolean) =>
  `${displayName(result.ref)} ${result.action}${dryRun && result.action !== 'unchanged' ? ' (server dry run)' : ''}`;

export async function onboardToCluster(input: ClusterOnboardInput,
  deps: Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>): Promise<ClusterOnboardResult>
{
  const client = await deps.connect(input.connection);
  const {progress} = deps;
  if (input.mode === 'diff') {
    const diff = await diffObjects(client, {objects: input.objects, force: input.force});
    return {mode: 'diff', restarted: [], workloads: [], diff,
      notes: diff.flatMap((entry) => (entry.conflict ? [entry.conflict] : []))};
  }
  const dryRun = input.mode === 'server-dry-run';
  // Looked up while the objects are applied: it saves round trips, and the objects do not change which workloads match.
  const workloads = dryRun ? Promise.resolve([]) : findWorkloads(client, input.namespace, input.service);
  workloads.catch(() => undefined); // an apply failure is the error to report; this one is awaited below otherwise
  const applied = await applyObjects(client, {objects: input.objects, force: input.force, dryRun,
    onObject: (result) => progress(describeResult(result, dryRun))});
  const result: ClusterOnboardResult = {mode: input.mode, ...applied, restarted: [], workloads: []};
  if (dryRun || !applied.changed) return result;
  // The objects are in place and correct; a failed restart is reported, not rolled back (see docs/onboarding.md).
  result.restarted = await restartWorkloads(client, await workloads, input.restartedAt).catch((error: unknown) => {
    if (error instanceof ToolError) {
      error.message =
        `the objects were applied (${applied.summary}), but restarting the workloads failed: ${error.message}`;
    }
    throw error;
  });
  for (const ref of result.restarted) progress(`${displayName(ref)} restarted`);
  if (input.waitTimeoutMs !== undefined && result.restarted.length) {
    result.workloads = await waitForRollouts(client, result.restarted, {
      timeoutMs: input.waitTimeoutMs,
      now: deps.now,
      sleep: deps.sleep,
      onStatus: (status) => progress(`${displayName(status.ref)}: ${status.message}`),
    }).catch((error: unknown) => {
      if (error instanceof ToolError) error.message = `the objects were applied, but ${error.message}`;
      throw error;
    });
  }
  return result;
}
