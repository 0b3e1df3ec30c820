// Status conditions that Istio (or the Gateway API controller) wrote as negative:
// a waypoint that is not bound, a policy ztunnel rejected, a route not accepted
// (istioctl's conditions.ConditionAnalyzer). Only meaningful for objects read back from
// a cluster, which carry their status.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asString, at} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {GATEWAY_API_GROUP, NETWORKING_GROUP, SECURITY_GROUP} from '../../query/lookup.js';
import * as msg from '../../messages.js';

const GATEWAY_API_NEGATIVE = new Set(['Accepted', 'Programmed', 'ResolvedRefs']);

/** Kinds checked, and the condition types whose `False` status is a problem. */
const WATCHED: readonly {kind: string; group: string; negativeWhenFalse: ReadonlySet<string>}[] = [
  {kind: 'Service', group: '', negativeWhenFalse: new Set(['istio.io/WaypointBound'])},
  {kind: 'ServiceEntry', group: NETWORKING_GROUP, negativeWhenFalse: new Set(['istio.io/WaypointBound'])},
  {kind: 'AuthorizationPolicy', group: SECURITY_GROUP,
    negativeWhenFalse: new Set(['ZtunnelAccepted', 'WaypointAccepted'])},
  {kind: 'Gateway', group: GATEWAY_API_GROUP, negativeWhenFalse: GATEWAY_API_NEGATIVE},
  {kind: 'HTTPRoute', group: GATEWAY_API_GROUP, negativeWhenFalse: GATEWAY_API_NEGATIVE},
  {kind: 'GRPCRoute', group: GATEWAY_API_GROUP, negativeWhenFalse: GATEWAY_API_NEGATIVE},
];

/** Routes report conditions per parent; other kinds at the top of their status. */
function conditionsOf(target: SourcedObject): unknown[] {
  const status = at(target.object, 'status');
  if (target.object.kind.endsWith('Route')) {
    return asArray(at(status, 'parents')).flatMap((parent) => asArray(at(parent, 'conditions')));
  }
  return asArray(at(status, 'conditions'));
}

function isNegative(kind: string, negativeWhenFalse: ReadonlySet<string>, condition: unknown): boolean {
  const type = asString(at(condition, 'type')) ?? '';
  const status = at(condition, 'status');
  if (negativeWhenFalse.has(type) && (status === 'False' || status === false)) return true;
  // A waypoint that accepted only part of a policy says so with status True and this reason.
  return kind === 'AuthorizationPolicy' && type === 'WaypointAccepted'
    && at(condition, 'reason') === 'PartiallyInvalid';
}

export const conditionsAnalyzer: IstioAnalyzer = {
  name: 'conditions.ConditionAnalyzer',
  description: 'Negative status conditions Istio or the Gateway API controller wrote.',
  inputs: [...WATCHED.map(({group, kind}) => ({group, kind}))],
  codes: [msg.NegativeConditionStatus],
  analyze(ctx) {
    const findings: Finding[] = [];
    for (const {kind, group, negativeWhenFalse} of WATCHED) {
      for (const target of ctx.byKind(kind, group)) {
        for (const condition of conditionsOf(target)) {
          if (!isNegative(kind, negativeWhenFalse, condition)) continue;
          const type = asString(at(condition, 'type')) ?? '';
          const reason = asString(at(condition, 'reason')) ?? '';
          const message = asString(at(condition, 'message')) || 'no message';
          findings.push(
            istioFinding(msg.NegativeConditionStatus, target,
              `Status condition ${type} is negative (reason ${reason || 'none given'}): ${message}`),
          );
        }
      }
    }
    return findings;
  },
};
