// Istio's validation of Sidecars, for what it rejects outright: a Sidecar that configures
// nothing (no ingress, no egress, no outbound policy, no inbound pool), and bad selectors.
// Listener details (ports, binds, egress hosts) are not checked here.
import {asArray, asRecord} from '../query/fields.js';
import {rejected, type Problem} from './problems.js';
import {checkWorkloadSelector} from './selector.js';

function isEmpty(spec: Record<string, unknown>): boolean {
  return asArray(spec.egress).length === 0 && asArray(spec.ingress).length === 0
    && asRecord(spec.outboundTrafficPolicy) === undefined && asRecord(spec.inboundConnectionPool) === undefined;
}

export function sidecarProblems(spec: Record<string, unknown>): Problem[] {
  const selector = checkWorkloadSelector(spec, 'sidecar');
  if (selector.errors.length > 0) return selector.errors;
  // Istio reports an empty Sidecar alone, without the selector warning.
  if (isEmpty(spec)) {
    return [
      rejected(
        'sidecar: empty configuration provided (no ingress, egress, outboundTrafficPolicy or inboundConnectionPool)',
        ['spec'],
      ),
    ];
  }
  return selector.warnings;
}
