// `sparc-mesh validate reachability`: the service call graph of validate's inputs.
import {buildReachability, type ReachabilityModel, type ReachabilityOptions} from '../../core/analyze/reachability/index.js';
import type {Finding} from '../../core/analyze/types.js';
import type {ValidateDeps} from './deps.js';
import {gather, type GatherInput} from './gather.js';
import {meshConfigOf} from './mesh-config.js';

/** Everything `validate reachability` needs: validate's inputs plus the model's filters. */
export interface ReachabilityInput extends GatherInput {
  from?: string;
  to?: string;
}

export interface ReachabilityResult {
  model: ReachabilityModel;
  /** YAML syntax errors: the model was built without those documents. */
  problems: Finding[];
}

export async function reachability(input: ReachabilityInput, deps: ValidateDeps): Promise<ReachabilityResult> {
  const meshConfig = await meshConfigOf(input, deps);
  const gathered = await gather(input, deps, meshConfig);
  const namespaces = gathered.objects.filter(({object}) => object.kind === 'Namespace' && object.apiVersion === 'v1').map(({object}) => object.metadata.name ?? '');
  const options: ReachabilityOptions = {};
  if (namespaces.length > 0) options.namespaces = namespaces;
  if (meshConfig) options.meshConfig = meshConfig;
  if (input.from) options.from = input.from;
  if (input.to) options.to = input.to;
  return {model: buildReachability(gathered.objects, options), problems: gathered.inputFindings};
}
