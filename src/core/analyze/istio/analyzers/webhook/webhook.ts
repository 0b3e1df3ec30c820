// Istio's injection webhooks must not overlap (a pod matched by two would be injected
// twice) and must point at a Service that exists (istioctl's webhook.Analyzer).
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asArray, asString, asStringMap, asStrings, at, nameOf} from '../../query/fields.js';
import {istioFinding, markAbsent} from '../../finding.js';
import {lookup} from '../../query/lookup.js';
import {matchesLabelSelector} from '../../query/selectors.js';
import {isIstioWebhook, mutatingWebhooks, type OwnedWebhook, webhookName} from '../../query/webhooks.js';
import {INJECTION_LABEL, REVISION_LABEL, SIDECAR_INJECT} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Revisions a webhook configuration serves, from its label and its selectors. */
function revisionsOf(entries: OwnedWebhook[]): Set<string> {
  const revisions = new Set<string>();
  for (const {owner, webhook} of entries) {
    const label = asStringMap(owner.object.metadata.labels)[REVISION_LABEL];
    if (label !== undefined) revisions.add(label);
    for (const selector of [at(webhook, 'namespaceSelector'), at(webhook, 'objectSelector')]) {
      const matched = asStringMap(at(selector, 'matchLabels'))[REVISION_LABEL];
      if (matched !== undefined) revisions.add(matched);
      for (const expression of asArray(at(selector, 'matchExpressions'))) {
        if (asString(at(expression, 'key')) === REVISION_LABEL) {
          for (const value of asStrings(at(expression, 'values'))) {
            revisions.add(value);
          }
        }
      }
    }
  }
  return revisions;
}

/** The label sets that decide injection: none, opted in, opted out; each also with every revision. */
function labelPermutations(key: string, on: string, off: string, revisions: Set<string>): Record<string, string>[] {
  const base: Record<string, string>[] = [{}, {[key]: on}, {[key]: off}];
  return [...base,
    ...[...revisions].flatMap((revision) => base.map((labels) => ({...labels, [REVISION_LABEL]: revision})))];
}

/** Istio's webhooks, grouped by configuration so that a configuration counts once however many of its webhooks are Istio's. */
function istioWebhookConfigurations(ctx: IstioContext): OwnedWebhook[][] {
  const byOwner = new Map<unknown, OwnedWebhook[]>();
  for (const entry of mutatingWebhooks(ctx)) {
    const list = byOwner.get(entry.owner) ?? [];
    list.push(entry);
    byOwner.set(entry.owner, list);
  }
  return [...byOwner.values()].filter((entries) =>
    revisionsOf(entries).size > 0 || entries.some(({webhook}) => isIstioWebhook(webhook))
  );
}

function identity({owner, webhook}: OwnedWebhook): string {
  return `${nameOf(owner.object)}/${webhookName(webhook)}`;
}

function overlapFindings(webhooks: OwnedWebhook[], revisions: Set<string>): Finding[] {
  const namespaceLabels = labelPermutations(INJECTION_LABEL, 'enabled', 'disabled', revisions);
  const objectLabels = labelPermutations(SIDECAR_INJECT, 'true', 'false', revisions);
  const overlaps = new Map<string, {entry: OwnedWebhook; others: Set<string>}>();
  for (const namespace of namespaceLabels) {
    for (const object of objectLabels) {
      const matching = webhooks.filter(({webhook}) =>
        matchesLabelSelector(at(webhook, 'namespaceSelector'), namespace)
        && matchesLabelSelector(at(webhook, 'objectSelector'), object)
      );
      const names = new Set(matching.map(identity));
      if (names.size < 2) continue;
      for (const entry of matching) {
        const others = [...names].filter((name) => name !== identity(entry)).sort();
        const key = `${identity(entry)}\u0000${others.join(',')}`;
        if (!overlaps.has(key)) overlaps.set(key, {entry, others: new Set(others)});
      }
    }
  }
  return [...overlaps.values()].map(({entry, others}) =>
    istioFinding(msg.InvalidWebhook, entry.owner,
      `Webhook ${webhookName(entry.webhook)} selects the same pods as ${
        [...others].join(', ')
      }; such pods would be injected twice. Narrow the selectors so exactly one webhook matches.`)
  );
}

function serviceFindings(ctx: IstioContext, webhooks: OwnedWebhook[]): Finding[] {
  const index = lookup(ctx);
  return webhooks.flatMap(({owner, webhook}) => {
    const service = at(webhook, 'clientConfig', 'service');
    if (service === undefined) return [];
    const name = asString(at(service, 'name')) ?? '';
    const namespace = asString(at(service, 'namespace')) ?? '';
    if (index.get('Service', namespace, name, '')) return [];
    return [
      markAbsent(
        istioFinding(msg.InvalidWebhook, owner,
          `Webhook ${
            webhookName(webhook)
          } calls Service ${namespace}/${name}, which does not exist; injection through it fails.`),
        {kind: 'Service', namespace},
      ),
    ];
  });
}

export const webhookAnalyzer: IstioAnalyzer = {
  name: 'webhook.Analyzer',
  description: 'Istio injection webhooks that overlap or name a missing Service.',
  inputs: [...kinds('admissionregistration.k8s.io', 'MutatingWebhookConfiguration'), ...kinds('', 'Service')],
  codes: [msg.InvalidWebhook],
  analyze(ctx) {
    const configurations = istioWebhookConfigurations(ctx);
    const webhooks = configurations.flat();
    const revisions = new Set(configurations.flatMap((entries) => [...revisionsOf(entries)]));
    return [...overlapFindings(webhooks, revisions), ...serviceFindings(ctx, webhooks)];
  },
};
