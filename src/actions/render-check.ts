// Every rendered object passes the schema of its kind before anything prints,
// writes or applies it. A failure here is a bug in a template (or in the user's copy
// of the templates), never something to pass on to the cluster.
import {PreconditionError, UsageError} from '../errors.js';
import {parseManifestStream} from '../core/manifest-stream.js';
import type {KubeObject} from '../core/objects.js';
import {displayName} from '../core/objects.js';
import {checkObjects, schemaNotes} from '../adapters/schemas/index.js';

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
 * Checks every object, throws on any failure; returns notes about what could not be judged
 * (CEL rules the evaluator cannot run; none with the pinned CRDs).
 */
export async function assertSchemas(objects: readonly KubeObject[], customTemplates: boolean): Promise<string[]> {
  const problems = (await checkObjects([...objects])).filter((problem) => {
    const {apiVersion, kind} = problem.object;
    return problem.type !== 'unknown-kind' || !TOOL_VALIDATED_KINDS.has(`${apiVersion}/${kind}`);
  });
  const notes = schemaNotes();
  if (problems.length === 0) return notes;
  const lines = problems.map((problem) =>
    `${displayName(problem.object)}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`
  );
  // A user's own templates are input: their mistakes are usage errors (exit 2).
  if (customTemplates) {
    throw new UsageError(`--templates: rendered objects fail their schemas:\n  ${lines.join('\n  ')}`, undefined,
      'InvalidTemplate');
  }
  throw new RenderedSchemaError(lines);
}

/**
 * A tool's output (helm template, linkerd install) as objects, refused before anything is
 * applied when one of a kind sparc-mesh knows fails its schema: a value of the wrong type or
 * shape. `hint` says which values to fix. With `passUnknownKinds`, kinds without a schema here (a
 * chart's own CRDs' kinds) are left to the API server instead of refused.
 */
export async function checkedToolOutput(source: string, manifest: string, hint: string,
  passUnknownKinds = false): Promise<KubeObject[]>
{
  const objects = parseManifestStream(manifest, source);
  const problems = (await checkObjects(objects)).filter((problem) =>
    !(passUnknownKinds && problem.type === 'unknown-kind')
  );
  if (!problems.length) return objects;
  const lines = problems.map((problem) =>
    `${displayName(problem.object)}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`
  );
  throw new PreconditionError(
    `${source} with these values renders objects that fail their schemas; refused before applying them:\n  ${
      lines.join('\n  ')
    }`,
    hint,
  );
}
