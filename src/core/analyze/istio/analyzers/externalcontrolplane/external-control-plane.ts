// Clusters whose Istio webhooks point at an external control plane by URL
// (istioctl's externalcontrolplane.ExternalControlPlaneAnalyzer): the URL must be usable,
// and should name a host rather than an IP address. istioctl also resolves the host in
// DNS; analysis here is offline and pure, so that check is left to `sparc-mesh debug`.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asString, at, nameOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {ADMISSION_GROUP, webhookName} from '../../query/webhooks.js';
import {isIP} from '../../query/ip.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Istio's webhook configurations, by the names its charts give them. */
function isIstioWebhookConfiguration(target: SourcedObject): boolean {
  const name = nameOf(target.object);
  if (target.object.kind === 'ValidatingWebhookConfiguration') {
    return name === 'istiod-default-validator' || name.startsWith('istio-validator');
  }
  return name.startsWith('istio-sidecar-injector');
}

/** The host of a URL, without IPv6 brackets; undefined when the URL does not parse. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

function checkWebhook(target: SourcedObject, webhook: unknown): Finding | undefined {
  const name = webhookName(webhook);
  const url = asString(at(webhook, 'clientConfig', 'url'));
  if (url === undefined) {
    if (at(webhook, 'clientConfig', 'service') !== undefined) return undefined;
    return istioFinding(msg.InvalidExternalControlPlaneConfig, target,
      `Webhook ${name} has neither a URL nor a service, so the API server cannot reach the external control plane.`);
  }
  const host = hostOf(url);
  if (!host) {
    return istioFinding(msg.InvalidExternalControlPlaneConfig, target,
      `Webhook ${name} has a URL (${url}) with no usable host, so the API server cannot reach the external control plane.`);
  }
  if (isIP(host)) {
    return istioFinding(msg.ExternalControlPlaneAddressIsNotAHostname, target,
      `Webhook ${name} reaches the external control plane at an IP address (${url}); use a hostname in production so the address can move.`);
  }
  return undefined;
}

export const externalControlPlaneAnalyzer: IstioAnalyzer = {
  name: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
  description: 'Istio webhooks that reach an external control plane by a missing or IP address.',
  inputs: [...kinds(ADMISSION_GROUP, 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration')],
  codes: [msg.InvalidExternalControlPlaneConfig, msg.ExternalControlPlaneAddressIsNotAHostname],
  analyze(ctx) {
    const configurations = [...ctx.byKind('ValidatingWebhookConfiguration', ADMISSION_GROUP),
      ...ctx.byKind('MutatingWebhookConfiguration', ADMISSION_GROUP)];
    return configurations.filter(isIstioWebhookConfiguration)
      .flatMap((target) => asArray(target.object.webhooks).flatMap((webhook) => checkWebhook(target, webhook) ?? []));
  },
};
