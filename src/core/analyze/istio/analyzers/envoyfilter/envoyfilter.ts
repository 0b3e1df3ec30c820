// EnvoyFilter patches that Envoy will ignore, or whose effect depends on the order in which
// filters happen to be applied (relative operations without a priority).
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asInteger, asRecord, asString, at, specOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {NETWORKING_GROUP} from '../../query/lookup.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Where ADD and REMOVE are ignored. */
const ROUTE_LEVELS = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
/** Where REPLACE is supported. */
const REPLACEABLE = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'VIRTUAL_HOST']);
/**
 * Operations positioned relative to another filter. MERGE is left out: it changes an object
 * in place, and Istio's own test data expects no warning for a MERGE without priority.
 */
const RELATIVE = new Set(['INSERT_BEFORE', 'INSERT_AFTER', 'REPLACE', 'REMOVE']);

/** The filter a patch is about: the patch value's name, else the filter its listener match names. */
function filterNameOf(patch: unknown): string {
  const valueName = at(patch, 'patch', 'value', 'name');
  if (valueName !== undefined) return String(valueName);
  return asString(at(patch, 'match', 'listener', 'filterChain', 'filter', 'name')) ?? '';
}

function relativeFinding(filter: SourcedObject, versionPinned: boolean): Finding {
  return versionPinned
    ? istioFinding(msg.EnvoyFilterUsesRelativeOperationWithProxyVersion, filter,
      'A relative patch without priority targets a filter that another patch adds only for some proxy versions; on other versions it may not apply. Set spec.priority.')
    : istioFinding(msg.EnvoyFilterUsesRelativeOperation, filter,
      'A relative patch (INSERT_BEFORE/AFTER, REPLACE, REMOVE) without priority depends on the order filters are applied and may not apply. Use INSERT_FIRST or ADD, or set spec.priority.');
}

function patchFindings(filter: SourcedObject, patch: unknown, priority: number,
  versionPinnedNames: ReadonlySet<string>): Finding[]
{
  const applyTo = asString(at(patch, 'applyTo')) ?? '';
  const operation = asString(at(patch, 'patch', 'operation')) ?? '';
  if (operation === 'ADD' && ROUTE_LEVELS.has(applyTo)) {
    return [
      istioFinding(msg.EnvoyFilterUsesAddOperationIncorrectly, filter, `ADD is ignored when applyTo is ${applyTo}.`),
    ];
  }
  if (operation === 'REMOVE' && ROUTE_LEVELS.has(applyTo)) {
    return [
      istioFinding(msg.EnvoyFilterUsesRemoveOperationIncorrectly, filter,
        `REMOVE is ignored when applyTo is ${applyTo}.`),
    ];
  }
  if (operation === 'REPLACE' && !REPLACEABLE.has(applyTo)) {
    return [
      istioFinding(msg.EnvoyFilterUsesReplaceOperationIncorrectly, filter,
        `REPLACE is not supported for applyTo ${applyTo}; it works on HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST.`),
    ];
  }
  if (!RELATIVE.has(operation) || priority !== 0) return [];
  return [relativeFinding(filter, versionPinnedNames.has(filterNameOf(patch)))];
}

const envoyPatch: IstioAnalyzer = {
  name: 'envoyfilter.EnvoyPatchAnalyzer',
  description: 'EnvoyFilter patches whose operation is ignored or depends on ordering.',
  inputs: [...kinds(NETWORKING_GROUP, 'EnvoyFilter')],
  codes: [msg.EnvoyFilterUsesRelativeOperation, msg.EnvoyFilterUsesReplaceOperationIncorrectly,
    msg.EnvoyFilterUsesAddOperationIncorrectly, msg.EnvoyFilterUsesRemoveOperationIncorrectly,
    msg.EnvoyFilterUsesRelativeOperationWithProxyVersion],
  analyze(ctx) {
    // Filter names that earlier patches (in input order, across EnvoyFilters) restrict to some proxy versions.
    const versionPinned = new Set<string>();
    return ctx.byKind('EnvoyFilter', NETWORKING_GROUP).flatMap((filter) => {
      const spec = specOf(filter.object);
      const priority = asInteger(spec.priority) ?? 0;
      const findings: Finding[] = [];
      for (const patch of asArray(spec.configPatches)) {
        // Istio stops reading an EnvoyFilter at the first entry without a patch.
        if (!asRecord(at(patch, 'patch'))) break;
        findings.push(...patchFindings(filter, patch, priority, versionPinned));
        if (asString(at(patch, 'match', 'proxy', 'proxyVersion'))) versionPinned.add(filterNameOf(patch));
      }
      return findings;
    });
  },
};

export const envoyFilterAnalyzers: IstioAnalyzer[] = [envoyPatch];
