// Admission webhook configurations as the injection analysers read them.
import type {SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import {asArray, asString, at} from './fields.js';

export const ADMISSION_GROUP = 'admissionregistration.k8s.io';

export interface OwnedWebhook {
  owner: SourcedObject;
  webhook: unknown;
}

/** The webhooks of every MutatingWebhookConfiguration, each with the configuration that declares it. */
export function mutatingWebhooks(ctx: IstioContext): OwnedWebhook[] {
  return ctx.byKind('MutatingWebhookConfiguration', ADMISSION_GROUP)
    .flatMap((owner) => asArray(owner.object.webhooks).map((webhook) => ({owner, webhook})));
}

export function webhookName(webhook: unknown): string {
  return asString(at(webhook, 'name')) ?? '';
}

/** Istio names its webhooks `*.istio.io` (e.g. `namespace.sidecar-injector.istio.io`). */
export function isIstioWebhook(webhook: unknown): boolean {
  return webhookName(webhook).endsWith('istio.io');
}
