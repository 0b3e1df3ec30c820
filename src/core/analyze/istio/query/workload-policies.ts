// Policies that pick workloads by label in their own namespace (Sidecar, Telemetry): which
// pods each one selects, which select nothing, and which pods more than one selects.
import type {SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import {nameOf, namespaceOf} from './fields.js';
import {lookup} from './lookup.js';

export interface SelectionReport {
  /** Policies with a selector that matches no pod of their namespace. */
  unmatched: SourcedObject[];
  /** For every pod selected more than once (or at all, for callers that care), the policies selecting it. */
  byPod: Map<SourcedObject, SourcedObject[]>;
}

export function selectionOf(ctx: IstioContext, policies: SourcedObject[],
  selectorOf: (policy: SourcedObject) => Record<string, string>): SelectionReport
{
  const report: SelectionReport = {unmatched: [], byPod: new Map()};
  for (const policy of policies) {
    const pods = lookup(ctx).podsMatching(namespaceOf(policy.object), selectorOf(policy));
    if (pods.length === 0) report.unmatched.push(policy);
    for (const pod of pods) report.byPod.set(pod, [...(report.byPod.get(pod) ?? []), policy]);
  }
  return report;
}

/** Policies grouped by namespace, in input order. */
export function byNamespace(policies: SourcedObject[]): Map<string, SourcedObject[]> {
  const groups = new Map<string, SourcedObject[]>();
  for (const policy of policies) {
    const namespace = namespaceOf(policy.object);
    groups.set(namespace, [...(groups.get(namespace) ?? []), policy]);
  }
  return groups;
}

export function fullNames(policies: SourcedObject[]): string {
  return policies.map((policy) => `${namespaceOf(policy.object)}/${nameOf(policy.object)}`).join(', ');
}
