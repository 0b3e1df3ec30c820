// What an apply (or an offboard) did to each object, and how it is told: the summary line,
// the account of a rollback, and the comparisons they rest on. Pure: no client, no clock.
import {displayName, type KubeObject, type ResourceRef} from '../objects.js';

export type ObjectAction = 'created' | 'configured' | 'unchanged' | 'deleted';

export interface ObjectResult {
  ref: ResourceRef;
  action: ObjectAction;
}

export interface ApplySummary {
  objects: ObjectResult[];
  /** e.g. `2 created, 1 configured, 7 unchanged`. */
  summary: string;
  /** False when every object was unchanged (a second run). */
  changed: boolean;
  /** Things the user should know, e.g. objects a dry run could not send to the server. */
  notes: string[];
}

export interface RollbackStep {
  ref: ResourceRef;
  action: 'deleted' | 'restored' | 'failed';
  error?: string;
}

export function describeRollback(steps: readonly RollbackStep[]): string {
  if (steps.length === 0) return 'Nothing had been changed before the failure.';
  const failed = steps.filter((step) => step.action === 'failed');
  const done = steps.filter((step) => step.action !== 'failed').map((step) =>
    `${displayName(step.ref)} ${step.action}`
  );
  if (failed.length === 0) return `Rolled back every change: ${done.join(', ')}.`;
  return `Rollback incomplete: could not restore ${
    failed.map((step) => `${displayName(step.ref)} (${step.error})`).join(', ')
  }`
    + `${
      done.length ? `; rolled back ${done.join(', ')}` : ''
    }. Run the same command again to finish, or offboard to remove what is left.`;
}

export function summarize(objects: ObjectResult[], notes: string[] = []): ApplySummary {
  const order: ObjectAction[] = ['created', 'configured', 'deleted', 'unchanged'];
  const counts = order.map((action) => [action, objects.filter((object) => object.action === action).length] as const)
    .filter(([, count]) => count > 0);
  const changed = objects.some((object) => object.action !== 'unchanged');
  const summary = counts.map(([action, count]) => `${count} ${action}`).join(', ') || 'no objects';
  return {objects, summary: changed ? summary : `nothing changed (${summary})`, changed, notes};
}

/** The object without what the API server sets on every write: what a dry run is compared on. */
export function withoutServerFields(object: KubeObject): KubeObject {
  const {managedFields: _m, resourceVersion: _r, generation: _g, creationTimestamp: _c, uid: _u, ...metadata} =
    object.metadata;
  return {...object, metadata};
}

/**
 * Namespaces the objects create. The API server cannot dry-run an object in a namespace that
 * does not exist yet, so a dry run reports those objects as created without asking it.
 */
export function namespacesToCreate(objects: readonly KubeObject[],
  snapshots: readonly (KubeObject | undefined)[]): Set<string>
{
  return new Set(
    objects.filter((object, index) => object.kind === 'Namespace' && !snapshots[index]).map((object) =>
      object.metadata.name ?? ''
    ),
  );
}
