// RequestAuthentication makes istiod fetch JWKS from URIs that users write. Unless istiod
// is told which networks those fetches must not reach (BLOCKED_CIDRS_IN_JWKS_URIS), a
// policy author can point it at internal addresses (istioctl's authn.BlockedCIDRsAnalyzer).
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asString, asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {SECURITY_GROUP} from '../../query/lookup.js';
import {podTemplateOf, type Container} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

const BLOCKED_CIDRS_ENV = 'BLOCKED_CIDRS_IN_JWKS_URIS';
const NAMES_SHOWN = 5;

function restrictsJwksFetches(containers: readonly Container[]): boolean {
  return containers.some((container) =>
    asArray(container.raw.env)
      .some((variable) =>
        asString(at(variable, 'name')) === BLOCKED_CIDRS_ENV && (asString(at(variable, 'value')) ?? '') !== ''
      )
  );
}

function listed(names: string[]): string {
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')} and ${names.length - NAMES_SHOWN} more`;
}

export const blockedCidrsAnalyzer: IstioAnalyzer = {
  name: 'authn.BlockedCIDRsAnalyzer',
  description: 'JWKS fetches istiod makes without BLOCKED_CIDRS_IN_JWKS_URIS.',
  inputs: [...kinds(SECURITY_GROUP, 'RequestAuthentication'), ...kinds('apps', 'Deployment')],
  codes: [msg.JwksUriFetchUnrestricted],
  analyze(ctx) {
    const policies = ctx.byKind('RequestAuthentication', SECURITY_GROUP).map(({object}) =>
      `${namespaceOf(object)}/${nameOf(object)}`
    );
    if (policies.length === 0) return [];
    const findings: Finding[] = [];
    for (const target of ctx.byKind('Deployment', 'apps')) {
      if (asStringMap(target.object.metadata.labels).app !== 'istiod') continue;
      if (restrictsJwksFetches(podTemplateOf(ctx, target.object).containers)) continue;
      findings.push(
        istioFinding(msg.JwksUriFetchUnrestricted, target,
          `istiod has no ${BLOCKED_CIDRS_ENV} setting, yet ${policies.length} RequestAuthentication object(s) make it fetch JWKS URIs (${
            listed(policies)
          }); set it to the networks those fetches must not reach.`),
      );
    }
    return findings;
  },
};
