// Every rendered object passes the schema of its kind before anything prints,
// writes or applies it. A failure here is a bug in a template (or in the user's copy
// of the templates), never something to pass on to the cluster.
import {UsageError} from '../errors.js';
import type {KubeObject} from '../core/objects.js';
import {displayName, groupOf} from '../core/objects.js';
import {checkObjects, schemaNotes} from '../core/schema/index.js';

export class RenderedSchemaError extends Error {
  constructor(readonly problems: string[]) {
    super(`rendered objects fail their schemas (a template bug):\n  ${problems.join('\n  ')}`);
    this.name = 'RenderedSchemaError';
  }
}

/**
 * Kinds that are never stored in the API server and have no CRD: their schema is the
 * consuming tool's own strict parser (istioctl reads IstioOperator and rejects unknown
 * fields). The e2e tests run the real tool over rendered output.
 */
const TOOL_VALIDATED_KINDS = new Set(['install.istio.io/v1alpha1/IstioOperator']);

/**
 * API groups whose CRDs no registry reachable from here serves (docs/schemas.md says
 * why). Their objects are rendered but cannot be schema-checked, and the user is told.
 */
const SCHEMA_UNAVAILABLE_GROUPS: Record<string, string> = {
  'policy.linkerd.io': "Linkerd's CRDs (github.com/linkerd/linkerd2 is not served by the Go module proxy)",
};

/** Checks every object; returns notes about objects that could not be checked, throws on any failure. */
export async function assertSchemas(objects: readonly KubeObject[], customTemplates: boolean): Promise<string[]> {
  const unchecked = new Map<string, string[]>();
  const problems = (await checkObjects([...objects])).filter((problem) => {
    if (problem.type !== 'unknown-kind') return true;
    const {apiVersion, kind} = problem.object;
    if (TOOL_VALIDATED_KINDS.has(`${apiVersion}/${kind}`)) return false;
    const why = SCHEMA_UNAVAILABLE_GROUPS[groupOf(apiVersion)];
    if (!why) return true;
    unchecked.set(why, [...(unchecked.get(why) ?? []), displayName(problem.object)]);
    return false;
  });
  const notes = [...[...unchecked].map(([why, names]) => `not schema-checked, no schema available for ${why}: ${names.join(', ')}`), ...schemaNotes()];
  if (problems.length === 0) return notes;
  const lines = problems.map((problem) => `${displayName(problem.object)}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  // A user's own templates are input: their mistakes are usage errors (exit 2).
  if (customTemplates) throw new UsageError(`--templates: rendered objects fail their schemas:\n  ${lines.join('\n  ')}`, undefined, 'InvalidTemplate');
  throw new RenderedSchemaError(lines);
}
