// How the newer policy kinds (AuthorizationPolicy, RequestAuthentication, Telemetry) pick
// their workloads: a `selector` of matchLabels or targetRef(s) to a Service, ServiceEntry
// or Gateway API Gateway/GatewayClass of their own namespace, never both.
import type {FieldPath} from '../../../field-line.js';
import {asArray, asRecord, asString} from '../query/fields.js';
import {rejected, warned, type Problem} from './problems.js';
import {selectorLabelProblems, selectorLabels} from './selector.js';

/** group/kind pairs a targetRef may name; an empty group is the core API group. */
const TARGET_KINDS = new Set(['/Service', 'networking.istio.io/ServiceEntry', 'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass']);

/** Istio's check of a matchLabels selector (`spec.selector`, a DestinationRule's `workloadSelector`). */
export function matchLabelsProblems(selector: unknown, field: FieldPath): Problem[] {
  const labels = selectorLabels(selector, 'matchLabels');
  if (!labels) return [];
  const problems = selectorLabelProblems(labels, field);
  if (Object.keys(labels).length === 0) {
    problems.push(
      warned('the workload selector has no labels, so it applies to every workload in the namespace', field),
    );
  }
  return problems;
}

function targetRefProblems(reference: unknown, field: FieldPath): Problem[] {
  const record = asRecord(reference);
  if (!record) return [];
  const problems: Problem[] = [];
  if ((asString(record.name) ?? '') === '') problems.push(rejected('targetRef name must be set', field));
  if ((asString(record.namespace) ?? '') !== '') {
    problems.push(
      rejected('targetRef namespace must not be set; cross namespace referencing is not supported', [...field,
        'namespace']),
    );
  }
  const group = asString(record.group) ?? '';
  const kind = asString(record.kind) ?? '';
  if (!TARGET_KINDS.has(`${group === 'core' ? '' : group}/${kind}`)) {
    problems.push(
      rejected(`targetRef must be to a Service, ServiceEntry, Gateway or GatewayClass but was ${group}/${kind}`, field),
    );
  }
  return problems;
}

export function policyTargetProblems(spec: Record<string, unknown>): Problem[] {
  const targetRefs = asArray(spec.targetRefs);
  const ways = [asRecord(spec.selector) !== undefined, asRecord(spec.targetRef) !== undefined, targetRefs.length > 0];
  return [
    ...(ways.filter(Boolean).length > 1
      ? [rejected('only one of targetRefs or workloadSelector can be set', ['spec'])]
      : []),
    ...matchLabelsProblems(spec.selector, ['spec', 'selector']),
    ...targetRefProblems(spec.targetRef, ['spec', 'targetRef']),
    ...targetRefs.flatMap((reference, index) => targetRefProblems(reference, ['spec', 'targetRefs', index])),
  ];
}
