// Annotations of alpha-phase Istio features (maturity.AlphaAnalyzer), which istioctl keeps
// out of its default run because default installs set several of them.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {istioFinding} from '../../finding.js';
import * as msg from '../../messages.js';
import {podTemplateOf} from '../../query/workload.js';
import {annotatedObjects, annotationField, ANNOTATED_KINDS, istioAnnotationsOf} from '../annotations/annotations.js';
import {ANNOTATIONS} from '../annotations/known-annotations.js';

/** Set by Istio itself (injector, gateway controller), so never the user's choice. */
const SET_BY_ISTIO = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);

/** Written onto pods by the injector when istio-cni does the traffic redirection. */
const SET_BY_CNI_INJECTION = new Set([
  'sidecar.istio.io/interceptionMode',
  'traffic.sidecar.istio.io/includeInboundPorts',
  'traffic.sidecar.istio.io/excludeInboundPorts',
  'traffic.sidecar.istio.io/includeOutboundIPRanges',
]);

/** Without the `istio-init` container, redirection is istio-cni's job, and the injector set the annotations above. */
function redirectedByCni(ctx: IstioContext, target: SourcedObject): boolean {
  if (target.object.kind !== 'Pod') return false;
  return !podTemplateOf(ctx, target.object).containersWithInit.some((container) => container.name === 'istio-init');
}

export const alphaAnnotationsAnalyzer: IstioAnalyzer = {
  name: 'maturity.AlphaAnalyzer',
  description: 'Annotations of alpha-phase Istio features.',
  inputs: [...ANNOTATED_KINDS.map(([kind, group]) => ({group, kind}))],
  codes: [msg.AlphaAnnotation],
  analyze(ctx) {
    const findings: Finding[] = [];
    for (const target of annotatedObjects(ctx)) {
      const cni = redirectedByCni(ctx, target);
      for (const [name] of istioAnnotationsOf(target)) {
        if (ANNOTATIONS.get(name)?.maturity !== 'Alpha' || SET_BY_ISTIO.has(name)) continue;
        if (cni && SET_BY_CNI_INJECTION.has(name)) continue;
        findings.push(
          istioFinding(msg.AlphaAnnotation, target,
            `Annotation "${name}" belongs to an alpha-phase feature, which may be incomplete or change without notice.`,
            annotationField(name)),
        );
      }
    }
    return findings;
  },
};
