// Clusters whose Istio webhooks point at an external control plane by URL
// (istioctl's externalcontrolplane.ExternalControlPlaneAnalyzer): the URL must be usable,
// and should name a host rather than an IP address. istioctl also resolves the host in
// DNS; analysis here is offline and pure, so that check is left to `sparc-mesh debug`.
import type {SourcedObject} from '../../../objects.js';
import type {Finding} from '../../types.js';
import type {IstioAnalyzer} from '../context.js';
import {asArray, asString, at, nameOf} from '../fields.js';
import {istioFinding} from '../finding.js';
import {ADMISSION_GROUP, webhookName} from './admission.js';
import {isIP} from './ip.js';

/** Istio's webhook configurations, by the names its charts give them. */
function isIstioWebhookConfiguration(target: SourcedObject): boolean {
  const name = nameOf(target.object);
  if (target.object.kind === 'ValidatingWebhookConfiguration') return name === 'istiod-default-validator' || name.startsWith('istio-validator');
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
    return istioFinding('IST0163', 'warning', target, `Webhook ${name} has neither a URL nor a service, so the API server cannot reach the external control plane.`);
  }
  const host = hostOf(url);
  if (!host) return istioFinding('IST0163', 'warning', target, `Webhook ${name} has a URL (${url}) with no usable host, so the API server cannot reach the external control plane.`);
  if (isIP(host)) {
    return istioFinding('IST0164', 'info', target, `Webhook ${name} reaches the external control plane at an IP address (${url}); use a hostname in production so the address can move.`);
  }
  return undefined;
}

export const externalControlPlaneAnalyzer: IstioAnalyzer = {
  name: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
  codes: ['IST0163', 'IST0164'],
  analyze(ctx) {
    const configurations = [...ctx.byKind('ValidatingWebhookConfiguration', ADMISSION_GROUP), ...ctx.byKind('MutatingWebhookConfiguration', ADMISSION_GROUP)];
    return configurations.filter(isIstioWebhookConfiguration)
      .flatMap((target) => asArray(target.object.webhooks).flatMap((webhook) => checkWebhook(target, webhook) ?? []));
  },
};
