// `image: auto` on an istio-proxy container is a placeholder the injector fills in
// (gateway deployments use it). Without injection it is an image that does not exist
// (istioctl's injection.ImageAutoAnalyzer).
import type {KubeObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {matchesLabelSelector} from '../../query/selectors.js';
import {isIstioWebhook, mutatingWebhooks} from '../../query/webhooks.js';
import {namespaceObject, podTemplateOf, PROXY_CONTAINER} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

function hasAutoImage(ctx: IstioContext, object: KubeObject): boolean {
  return podTemplateOf(ctx, object).containers.some((container) =>
    container.name === PROXY_CONTAINER && container.image === 'auto'
  );
}

export const imageAutoAnalyzer: IstioAnalyzer = {
  name: 'injection.ImageAutoAnalyzer',
  description: 'Workloads with image: auto that the injector does not reach.',
  inputs: [...kinds('admissionregistration.k8s.io', 'MutatingWebhookConfiguration'), ...kinds('', 'Pod', 'Namespace'),
    ...kinds('apps', 'Deployment')],
  codes: [msg.ImageAutoWithoutInjectionWarning, msg.ImageAutoWithoutInjectionError],
  analyze(ctx) {
    const findings: Finding[] = [];
    const istioWebhooks = mutatingWebhooks(ctx).map(({webhook}) => webhook).filter(isIstioWebhook);
    // A Pod already exists, so injection had its one chance: `auto` left in place means it did not happen.
    for (const target of ctx.byKind('Pod', '')) {
      if (hasAutoImage(ctx, target.object)) {
        findings.push(
          istioFinding(msg.ImageAutoWithoutInjectionError, target,
            `Pod ${
              nameOf(target.object)
            } has an istio-proxy container with "image: auto", but no injector filled it in; the pod cannot start that container.`),
        );
      }
    }
    for (const target of ctx.byKind('Deployment', 'apps')) {
      if (!hasAutoImage(ctx, target.object)) continue;
      const namespace = namespaceOf(target.object) || 'default';
      const namespaceLabels = asStringMap(namespaceObject(ctx, namespace)?.metadata.labels);
      const podLabels = podTemplateOf(ctx, target.object).labels;
      const injected = istioWebhooks.some((webhook) =>
        matchesLabelSelector(at(webhook, 'namespaceSelector'), namespaceLabels)
        && matchesLabelSelector(at(webhook, 'objectSelector'), podLabels)
      );
      if (!injected) {
        findings.push(
          istioFinding(msg.ImageAutoWithoutInjectionWarning, target,
            `Deployment ${
              nameOf(target.object)
            } uses "image: auto" for istio-proxy, but no Istio injection webhook selects its pods; label the namespace or pods for injection.`),
        );
      }
    }
    return findings;
  },
};
