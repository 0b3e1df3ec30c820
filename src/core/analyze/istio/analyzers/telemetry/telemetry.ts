// Telemetry resources: access logging with no provider, selectors that select nothing
// or overlap, several namespace-wide Telemetries, and the retired Lightstep provider.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asArray, asRecord, asString, asStringMap, at, namespaceOf, specOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {TELEMETRY_GROUP} from '../../query/lookup.js';
import {conflictingSelectors, referenceNotFound} from '../../shared-findings.js';
import {selectorText} from '../../query/selectors.js';
import {byNamespace, fullNames, selectionOf} from '../../query/workload-policies.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

function telemetries(ctx: IstioContext): SourcedObject[] {
  return ctx.byKind('Telemetry', TELEMETRY_GROUP);
}

function selectorOf(telemetry: SourcedObject): Record<string, string> {
  return asStringMap(at(telemetry.object, 'spec', 'selector', 'matchLabels'));
}

const provider: IstioAnalyzer = {
  name: 'telemetry.ProviderAnalyzer',
  description: 'Telemetry access logging without a provider.',
  inputs: [...kinds(TELEMETRY_GROUP, 'Telemetry')],
  codes: [msg.InvalidTelemetryProvider],
  analyze(ctx) {
    // With default access-log providers in the mesh config, an entry without providers uses those.
    if (asArray(at(ctx.meshConfig.raw, 'defaultProviders', 'accessLogging')).length > 0) return [];
    return telemetries(ctx).flatMap((telemetry) =>
      asArray(specOf(telemetry.object).accessLogging)
        .filter((logging) => asArray(at(logging, 'providers')).length === 0 && at(logging, 'disabled') !== true)
        .map(() =>
          istioFinding(msg.InvalidTelemetryProvider, telemetry,
            'An accessLogging entry names no provider and the mesh config sets no default one, so it is ignored.')
        )
    );
  },
};

const selector: IstioAnalyzer = {
  name: 'telemetry.SelectorAnalyzer',
  description: 'Telemetries that select no pod, or pods more than one selects.',
  inputs: [...kinds(TELEMETRY_GROUP, 'Telemetry'), ...kinds('', 'Pod')],
  codes: [msg.ReferencedResourceNotFound, msg.ConflictingTelemetryWorkloadSelectors],
  analyze(ctx) {
    const scoped = telemetries(ctx).filter((telemetry) => Object.keys(selectorOf(telemetry)).length > 0);
    const selection = selectionOf(ctx, scoped, selectorOf);
    const findings: Finding[] = selection.unmatched.map((telemetry) =>
      referenceNotFound(telemetry, 'workload selector', selectorText(selectorOf(telemetry)), undefined, {kind: 'Pod',
        namespace: namespaceOf(telemetry.object)})
    );
    for (const [pod, owners] of selection.byPod) {
      findings.push(...conflictingSelectors(msg.ConflictingTelemetryWorkloadSelectors, 'Telemetries', pod, owners));
    }
    return findings;
  },
};

/** Neither a selector nor a target reference: the Telemetry applies to the whole namespace. */
function isNamespaceWide(telemetry: SourcedObject): boolean {
  const spec = specOf(telemetry.object);
  return spec.selector === undefined && spec.targetRef === undefined && spec.targetRefs === undefined;
}

const defaultSelector: IstioAnalyzer = {
  name: 'telemetry.DefaultSelectorAnalyzer',
  description: 'Namespaces with more than one namespace-wide Telemetry.',
  inputs: [...kinds(TELEMETRY_GROUP, 'Telemetry')],
  codes: [msg.MultipleTelemetriesWithoutWorkloadSelectors],
  analyze(ctx) {
    return [...byNamespace(telemetries(ctx).filter(isNamespaceWide))].flatMap((
      [namespace, group],
    ) => (group.length < 2
      ? []
      : group.map((owner) =>
        istioFinding(msg.MultipleTelemetriesWithoutWorkloadSelectors, owner,
          `Telemetries ${fullNames(group)} in namespace ${namespace} have no selector; which one applies is undefined.`)
      ))
    );
  },
};

const lightstep: IstioAnalyzer = {
  name: 'telemetry.LightstepAnalyzer',
  description: 'Telemetries that use the removed Lightstep provider.',
  inputs: [...kinds(TELEMETRY_GROUP, 'Telemetry')],
  codes: [msg.Deprecated],
  analyze(ctx) {
    const names = new Set(asArray(ctx.meshConfig.raw.extensionProviders)
      .filter((entry) => asRecord(at(entry, 'lightstep')) !== undefined)
      .map((entry) => asString(at(entry, 'name')) ?? ''));
    if (names.size === 0) return [];
    return telemetries(ctx).flatMap((telemetry) =>
      asArray(specOf(telemetry.object).tracing)
        .flatMap((tracing) => asArray(at(tracing, 'providers')))
        .map((entry) => asString(at(entry, 'name')) ?? '')
        .filter((name) => names.has(name))
        .map((name) =>
          istioFinding(msg.Deprecated, telemetry,
            `Tracing provider "${name}" is a Lightstep provider, which Istio has deprecated; move to an OpenTelemetry provider.`)
        )
    );
  },
};

export const telemetryAnalyzers: IstioAnalyzer[] = [provider, selector, defaultSelector, lightstep];
