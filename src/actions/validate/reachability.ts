// `sparc-mesh validate reachability`: the service call graph of validate's inputs.
import {invalidFlag} from '../../errors.js';
import {buildReachability, filterProblem, ReachabilityFilterError, type ReachabilityModel,
  type ReachabilityOptions} from '../../core/analyze/reachability/index.js';
import {redactor, secretValuesOf} from '../../core/analyze/redact.js';
import type {Finding} from '../../core/analyze/types.js';
import type {ValidateDeps} from './deps.js';
import {gather, type GatherInput} from './gather.js';
import {meshConfigOf} from './mesh-config.js';
import {schemaFindings} from './run.js';

/** Everything `validate reachability` needs: validate's inputs plus the model's filters. */
export interface ReachabilityInput extends GatherInput {
  from?: string;
  to?: string;
}

export interface ReachabilityResult {
  model: ReachabilityModel;
  /**
   * What `validate` rejects in the input: documents that could not be read (the model was
   * built without them) and objects that break their schema.
   */
  problems: Finding[];
}

/** The namespaces a filter that matched nothing could have named; a long list is cut. */
function knownNamespaces(namespaces: readonly string[]): string {
  const shown = namespaces.slice(0, 10).join(', ');
  return namespaces.length > 10 ? `${shown} and ${namespaces.length - 10} more` : shown || 'none';
}

function modelOf(objects: Parameters<typeof buildReachability>[0], options: ReachabilityOptions): ReachabilityModel {
  try {
    return buildReachability(objects, options);
  } catch (error) {
    if (!(error instanceof ReachabilityFilterError)) throw error;
    throw invalidFlag(error.filter, error.value, 'matches no service of the input',
      `namespaces in the input: ${knownNamespaces(error.namespaces)}`);
  }
}

export async function reachability(input: ReachabilityInput, deps: ValidateDeps): Promise<ReachabilityResult> {
  for (const flag of ['from', 'to'] as const) {
    const problem = input[flag] === undefined ? undefined : filterProblem(input[flag]);
    if (problem) throw invalidFlag(flag, input[flag], problem);
  }
  const meshConfig = await meshConfigOf(input, deps);
  const gathered = await gather(input, deps, meshConfig);
  const namespaces = gathered.objects.filter(({object}) => object.kind === 'Namespace' && object.apiVersion === 'v1')
    .map(({object}) => object.metadata.name ?? '');
  const options: ReachabilityOptions = {};
  if (namespaces.length > 0) options.namespaces = namespaces;
  if (meshConfig) options.meshConfig = meshConfig;
  if (input.from) options.from = input.from;
  if (input.to) options.to = input.to;
  const invalid = (await schemaFindings(gathered.objects, deps.checkSchemas)).filter((finding) =>
    finding.severity === 'error'
  );
  const redact = redactor(secretValuesOf(gathered.objects.map(({object}) => object)));
  return {model: modelOf(gathered.objects, options), problems: [...gathered.inputFindings, ...invalid].map(redact)};
}
