// Istio's validation of EnvoyFilters, without the part that needs Envoy's protobuf
// descriptors (the patch value's fields and types): every EnvoyFilter is warned about,
// and each config patch must name what it applies to, carry a patch with an operation and
// a value, and match the class of object it applies to.
import type {FieldPath} from '../../../field-line.js';
import {asArray, asRecord, asString, at} from '../query/fields.js';
import {rejected, warned, type Problem} from './problems.js';
import {checkWorkloadSelector} from './selector.js';

const LISTENER_CLASS = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER']);
const ROUTE_CLASS = new Set(['ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE']);
const HTTP_CONNECTION_MANAGER = new Set(['envoy.filters.network.http_connection_manager',
  'envoy.http_connection_manager']);
/** Istio ignores longer proxyVersion patterns rather than compile them. */
const MAX_PROXY_VERSION = 1024;

const EVERY_FILTER = warned("EnvoyFilter patches Envoy's internal configuration, which can change in any release; "
  + 'prefer a higher-level Istio API where one exists, and retest the filter before every upgrade.');

/** Which of the match's object types (a oneof) is set, if any. */
function matchedObject(match: unknown): 'listener' | 'routeConfiguration' | 'cluster' | undefined {
  return (['listener', 'routeConfiguration', 'cluster'] as const).find((key) => asRecord(at(match, key)) !== undefined);
}

/** The listener's filter-chain filter match, for patches on listener-class objects. */
function listenerFilterProblems(applyTo: string, filter: Record<string, unknown>, field: FieldPath): Problem[] {
  const problems: Problem[] = [];
  if (applyTo === 'LISTENER' || applyTo === 'FILTER_CHAIN') {
    problems.push(warned(`Envoy filter: a filter match does nothing when applyTo is ${applyTo}`, field));
  }
  const name = asString(filter.name) ?? '';
  if (name === '') return [...problems, rejected('Envoy filter: the filter match needs a name', [...field, 'name'])];
  const subFilter = asRecord(filter.subFilter);
  if (!subFilter) return problems;
  if (applyTo !== 'HTTP_FILTER') {
    return [...problems,
      rejected('Envoy filter: a subFilter match works only with applyTo HTTP_FILTER', [...field, 'subFilter'])];
  }
  if (!HTTP_CONNECTION_MANAGER.has(name)) {
    return [...problems,
      rejected(
        'Envoy filter: a subFilter match needs the filter match to name envoy.filters.network.http_connection_manager',
        [...field, 'name'],
      )];
  }
  if ((asString(subFilter.name) ?? '') === '') {
    problems.push(rejected('Envoy filter: the subFilter match needs a name', [...field, 'subFilter']));
  }
  return problems;
}

/** Whether applyTo and the match's object type belong to the same class of Envoy object. */
function classProblems(applyTo: string, match: unknown, field: FieldPath): Problem[] {
  const matched = matchedObject(match);
  if (!matched) return [];
  const matchField = [...field, 'match', matched];
  if (LISTENER_CLASS.has(applyTo)) {
    if (matched !== 'listener') {
      return [rejected('Envoy filter: applyTo for listener class objects cannot have non listener match', matchField)];
    }
    const filter = asRecord(at(match, 'listener', 'filterChain', 'filter'));
    return filter ? listenerFilterProblems(applyTo, filter, [...matchField, 'filterChain', 'filter']) : [];
  }
  if (ROUTE_CLASS.has(applyTo) && matched !== 'routeConfiguration') {
    return [
      rejected('Envoy filter: applyTo for http route class objects cannot have non route configuration match',
        matchField),
    ];
  }
  if (applyTo === 'CLUSTER' && matched !== 'cluster') {
    return [rejected('Envoy filter: applyTo for cluster class objects cannot have non cluster match', matchField)];
  }
  return [];
}

function patchProblems(entry: unknown, index: number): Problem[] {
  const field = ['spec', 'configPatches', index];
  if (!asRecord(entry)) return [rejected('Envoy filter: a config patch is null', field)];
  // Istio does not validate patches for waypoints yet.
  if (at(entry, 'match', 'context') === 'WAYPOINT') return [];
  const applyTo = asString(at(entry, 'applyTo')) ?? 'INVALID';
  if (applyTo === 'INVALID') return [rejected('Envoy filter: missing applyTo', field)];
  const patch = asRecord(at(entry, 'patch'));
  if (!patch) return [rejected('Envoy filter: missing patch', field)];
  const operation = asString(patch.operation) ?? 'INVALID';
  if (operation === 'INVALID') return [rejected('Envoy filter: missing patch operation', [...field, 'patch'])];
  if (operation !== 'REMOVE' && (patch.value === undefined || patch.value === null)) {
    return [rejected('Envoy filter: missing patch value (every operation but REMOVE needs one)', [...field, 'patch'])];
  }
  const proxyVersion = asString(at(entry, 'match', 'proxy', 'proxyVersion')) ?? '';
  const problems: Problem[] = proxyVersion.length > MAX_PROXY_VERSION
    ? [
      warned(`Envoy filter: the proxyVersion match is longer than ${MAX_PROXY_VERSION} characters and is ignored`, [
        ...field,
        'match',
        'proxy',
        'proxyVersion',
      ]),
    ]
    : [];
  return [...problems, ...classProblems(applyTo, at(entry, 'match'), field)];
}

export function envoyFilterProblems(spec: Record<string, unknown>): Problem[] {
  const selector = checkWorkloadSelector(spec, 'Envoy filter');
  if (selector.errors.length > 0) return selector.errors;
  return [EVERY_FILTER, ...selector.warnings, ...asArray(spec.configPatches).flatMap(patchProblems)];
}
