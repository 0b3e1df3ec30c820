// The NetworkPolicy layer: the caller's egress and the callee's ingress must both
// admit the connection; a pod no policy isolates for a direction admits everything.
import {refOf} from '../../objects.js';
import type {Inventory, Workload} from '../mesh-policy/inventory.js';
import {networkPolicyIndexOf, peerAdmits, portAdmits, type Direction,
  type ParsedNetworkPolicy} from '../mesh-policy/netpol-model.js';
import {memoOn, type MemoTable} from './memo.js';
import type {Call, LayerResult, Reason} from './model.js';

function policyName(policy: ParsedNetworkPolicy): string {
  return `${policy.namespace}/${policy.target.object.metadata.name ?? ''}`;
}

const subjectReasons: MemoTable<Workload, Reason> = new WeakMap();
const ruleReasons: MemoTable<ParsedNetworkPolicy, Reason> = new WeakMap();

function direction(inventory: Inventory, call: Call, which: Direction): Reason {
  const subject = which === 'ingress' ? call.destination : call.source;
  const peer: Workload = which === 'ingress' ? call.source : call.destination;
  const isolating = networkPolicyIndexOf(inventory).isolating(subject, which);
  const side = () => `${which} of ${subject.namespace}/${subject.name}`;
  if (isolating.length === 0) {
    return memoOn(subjectReasons, subject, `${which} open`,
      () => ({layer: 'network-policy', effect: 'allow', message: `no NetworkPolicy isolates the ${side()}`}));
  }
  for (const policy of isolating) {
    const index = policy.rules[which].findIndex((rule) =>
      (rule.peers === undefined || rule.peers.some((entry) => peerAdmits(inventory, policy.namespace, entry, peer)))
      && portAdmits(rule.ports, call.port)
    );
    if (index !== -1) {
      return memoOn(ruleReasons, policy, `${which}[${index}]`, () => ({
        layer: 'network-policy',
        effect: 'allow',
        message: `NetworkPolicy ${policyName(policy)} ${which}[${index}] admits it`,
        resource: refOf(policy.target.object),
      }));
    }
  }
  return memoOn(subjectReasons, subject, `${which} closed`, () => ({
    layer: 'network-policy',
    effect: 'deny',
    message: `${side()} is isolated by ${isolating.map(policyName).join(', ')} and no rule admits it`,
  }));
}

export function evaluateNetworkPolicy(inventory: Inventory, call: Call): LayerResult {
  const reasons = [direction(inventory, call, 'egress'), direction(inventory, call, 'ingress')];
  return {allowed: reasons.every((reason) => reason.effect === 'allow'), reasons};
}
