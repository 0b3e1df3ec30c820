// Deprecated Istio fields and removed Istio types that still appear in configuration
// (istioctl's deprecation.FieldAnalyzer). Istio has no machine-readable list of
// deprecated fields, so this list is kept by hand, like istioctl's.
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asInteger, asString, at} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {NETWORKING_GROUP} from '../../query/lookup.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Custom resource types whose CRDs Istio no longer ships (the old rbac.istio.io API). */
const REMOVED_TYPES = new Set(['rbac.istio.io/ClusterRbacConfig', 'rbac.istio.io/RbacConfig',
  'rbac.istio.io/ServiceRole', 'rbac.istio.io/ServiceRoleBinding']);

export const deprecationAnalyzer: IstioAnalyzer = {
  name: 'deprecation.FieldAnalyzer',
  description: 'Fields and resource types Istio deprecated or removed.',
  inputs: [...kinds(NETWORKING_GROUP, 'VirtualService', 'Sidecar'),
    ...kinds('apiextensions.k8s.io', 'CustomResourceDefinition')],
  codes: [msg.Deprecated],
  analyze(ctx) {
    const findings: Finding[] = [];
    for (const target of ctx.byKind('VirtualService', NETWORKING_GROUP)) {
      const usesPercent = asArray(at(target.object, 'spec', 'http')).some((route) => {
        const percent = asInteger(at(route, 'fault', 'delay', 'percent'));
        return percent !== undefined && percent > 0;
      });
      if (usesPercent) {
        findings.push(
          istioFinding(msg.Deprecated, target,
            'HTTP fault delay "percent" is deprecated; set "percentage.value" instead.'),
        );
      }
    }
    for (const target of ctx.byKind('Sidecar', NETWORKING_GROUP)) {
      if (at(target.object, 'spec', 'outboundTrafficPolicy', 'egressProxy') !== undefined) {
        findings.push(
          istioFinding(msg.Deprecated, target, 'outboundTrafficPolicy.egressProxy is deprecated and Istio ignores it.'),
        );
      }
    }
    for (const target of ctx.byKind('CustomResourceDefinition', 'apiextensions.k8s.io')) {
      const type = `${asString(at(target.object, 'spec', 'group')) ?? ''}/${
        asString(at(target.object, 'spec', 'names', 'kind')) ?? ''
      }`;
      if (REMOVED_TYPES.has(type)) {
        findings.push(
          istioFinding(msg.Deprecated, target,
            `The custom resource type ${
              type.replace('/', ' ')
            } was removed from Istio; delete the CRD and its objects.`),
        );
      }
    }
    return findings;
  },
};
