// Istio's own validation of each Istio resource, the checks istiod's validating webhook
// applies on admission, reported as istioctl analyze reports them: what the webhook would
// reject as IST0106 (error), what it would admit with a warning as IST0133. One module per
// kind; each returns problems, which become findings here.
import type {KubeObject, SourcedObject} from '../../../../objects.js';
import type {IstioAnalyzer} from '../../context.js';
import {nameOf, specOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {NETWORKING_GROUP, SECURITY_GROUP, TELEMETRY_GROUP} from '../../query/lookup.js';
import {authorizationPolicyProblems} from '../../validation/authorizationpolicy.js';
import {destinationRuleProblems} from '../../validation/destinationrule.js';
import {envoyFilterProblems} from '../../validation/envoyfilter.js';
import {gatewayProblems} from '../../validation/gateway.js';
import {peerAuthenticationProblems} from '../../validation/peerauthentication.js';
import {policyTargetProblems} from '../../validation/policy-target.js';
import type {Problem} from '../../validation/problems.js';
import {requestAuthenticationProblems} from '../../validation/requestauthentication.js';
import {serviceEntryProblems} from '../../validation/serviceentry.js';
import {sidecarProblems} from '../../validation/sidecar.js';
import {virtualServiceProblems} from '../../validation/virtualservice.js';
import {workloadEntryProblems} from '../../validation/workloadentry.js';
import * as msg from '../../messages.js';

interface KindValidation {
  kind: string;
  group: string;
  problems(object: KubeObject): Problem[];
}

const KINDS: KindValidation[] = [
  {kind: 'Gateway', group: NETWORKING_GROUP, problems: (object) => gatewayProblems(nameOf(object), specOf(object))},
  {kind: 'VirtualService', group: NETWORKING_GROUP, problems: (object) => virtualServiceProblems(specOf(object))},
  {kind: 'ServiceEntry', group: NETWORKING_GROUP, problems: serviceEntryProblems},
  {kind: 'Sidecar', group: NETWORKING_GROUP, problems: (object) => sidecarProblems(specOf(object))},
  {kind: 'EnvoyFilter', group: NETWORKING_GROUP, problems: (object) => envoyFilterProblems(specOf(object))},
  {kind: 'DestinationRule', group: NETWORKING_GROUP, problems: destinationRuleProblems},
  {kind: 'WorkloadEntry', group: NETWORKING_GROUP, problems: (object) => workloadEntryProblems(specOf(object))},
  // Telemetry's provider, metric and tracing settings are not checked, only its targets.
  {kind: 'Telemetry', group: TELEMETRY_GROUP, problems: (object) => policyTargetProblems(specOf(object))},
  {kind: 'AuthorizationPolicy', group: SECURITY_GROUP,
    problems: (object) => authorizationPolicyProblems(specOf(object))},
  {kind: 'PeerAuthentication', group: SECURITY_GROUP, problems: (object) => peerAuthenticationProblems(specOf(object))},
  {kind: 'RequestAuthentication', group: SECURITY_GROUP,
    problems: (object) => requestAuthenticationProblems(specOf(object))},
];

function findingOf(target: SourcedObject, problem: Problem) {
  return problem.level === 'error'
    ? istioFinding(msg.SchemaValidationError, target, `Schema validation error: ${problem.text}`, problem.field)
    : istioFinding(msg.SchemaWarning, target, `Schema validation warning: ${problem.text}`, problem.field);
}

export const validationAnalyzer: IstioAnalyzer = {
  name: 'schema.ValidationAnalyzer',
  description: "What istiod's validating webhook would reject (IST0106) or admit with a warning (IST0133).",
  inputs: [...KINDS.map(({group, kind}) => ({group, kind}))],
  codes: [msg.SchemaValidationError, msg.SchemaWarning],
  analyze(ctx) {
    return KINDS.flatMap(({kind, group, problems}) =>
      ctx.byKind(kind, group).flatMap((target) => problems(target.object).map((problem) => findingOf(target, problem)))
    );
  },
};
