// Istio's validation of PeerAuthentications: port-level mTLS only on a policy that selects
// workloads (mesh- and namespace-wide policies have no ports to speak of), with ports in
// range, and a matchLabels selector.
import {asRecord} from '../query/fields.js';
import {portNumberProblem} from './names.js';
import {matchLabelsProblems} from './policy-target.js';
import {rejected, type Problem} from './problems.js';

export function peerAuthenticationProblems(spec: Record<string, unknown>): Problem[] {
  const ports = asRecord(spec.portLevelMtls);
  const field = ['spec', 'portLevelMtls'];
  const selected = Object.keys(asRecord(asRecord(spec.selector)?.matchLabels) ?? {}).length > 0;
  // Istio also rejects a present but empty map, which YAML cannot express: `{}` reaches it as none.
  const numbers = Object.keys(ports ?? {});
  const problems: Problem[] = numbers.length > 0 && !selected
    ? [rejected('mesh/namespace peer authentication cannot have port level mTLS', field)]
    : [];
  for (const port of numbers) {
    if (portNumberProblem(Number(port))) problems.push(rejected('port must be in range 1..65535', [...field, port]));
  }
  return [...problems, ...matchLabelsProblems(spec.selector, ['spec', 'selector'])];
}
