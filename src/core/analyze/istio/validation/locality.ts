// Istio's check of locality load balancing: weighted distribution or failover (not both),
// weights of 1..100 that add up to 100 per source, and localities (`region/zone/subzone`,
// at most one trailing `*`) that do not overlap.
import type {FieldPath} from '../../../field-line.js';
import {asArray, asInteger, asRecord, asString, asStrings} from '../query/fields.js';
import {rejected, warned, type Problem} from './problems.js';

const TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
  'topology.istio.io/subzone']);
const WHOLE = '*';

/** Why a locality is malformed or covers one already listed (recording it when not), or undefined. */
function localityProblem(locality: string, seen: Map<string, Map<string, Set<string>>>): string | undefined {
  const wildcards = locality.split(WHOLE).length - 1;
  if (wildcards > 1 || (wildcards === 1 && !locality.endsWith(WHOLE))) {
    return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
  }
  const overlap = `locality ${locality} overlap with previous specified ones`;
  if (seen.has(WHOLE)) return overlap;
  const parts = locality.split('/');
  const [region = '', zone = WHOLE, subzone = WHOLE] = [parts[0], parts[1], parts.slice(2).join('/') || undefined];
  if (parts.slice(0, 3).includes('')) return `locality ${locality} must not contain empty region/zone/subzone info`;
  const zones = seen.get(region);
  if (!zones) {
    seen.set(region, new Map([[zone, new Set([subzone])]]));
    return undefined;
  }
  // A region alone is stored as zone `*`; a zone alone as subzone `*`.
  if (parts.length === 1 || zones.has(WHOLE)) return overlap;
  const subzones = zones.get(zone);
  if (!subzones) {
    zones.set(zone, new Set([subzone]));
    return undefined;
  }
  if (parts.length === 2 || subzones.has(WHOLE) || subzones.has(subzone)) return overlap;
  subzones.add(subzone);
  return undefined;
}

function firstLocalityProblem(localities: string[], field: FieldPath): Problem[] {
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const problem = localityProblem(locality, seen);
    if (problem) return [rejected(problem, field)];
  }
  return [];
}

/** Weights of one `distribute` entry; Istio stops at the first bad entry. */
function distributionProblems(entry: Record<string, unknown>, field: FieldPath): Problem[] | undefined {
  const weights = Object.values(asRecord(entry.to) ?? {}).map((weight) => asInteger(weight) ?? 0);
  if (weights.some((weight) => weight <= 0 || weight > 100)) {
    return [rejected('locality weight must be in range [1, 100]', [...field, 'to'])];
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total !== 100) return [rejected(`total locality weight ${total} != 100`, [...field, 'to'])];
  return undefined;
}

function failoverProblems(failover: unknown[], field: FieldPath): Problem[] {
  return failover.flatMap((entry, index) => {
    const from = asString(asRecord(entry)?.from) ?? '';
    const to = asString(asRecord(entry)?.to) ?? '';
    const at = [...field, 'failover', index];
    const problems: Problem[] = [];
    if (from === to) problems.push(rejected('locality lb failover settings must specify different regions', at));
    if (from.includes('/') || to.includes('/')) problems.push(rejected('locality lb failover only specify region', at));
    if (from.includes(WHOLE) || to.includes(WHOLE)) {
      problems.push(rejected("locality lb failover region should not contain '*' wildcard", at));
    }
    return problems;
  });
}

export function localityLbProblems(setting: Record<string, unknown>, hasOutlierDetection: boolean,
  field: FieldPath): Problem[]
{
  const distribute = asArray(setting.distribute).map((entry) => asRecord(entry) ?? {});
  const failover = asArray(setting.failover);
  const priorities = asStrings(setting.failoverPriority);
  if (distribute.length > 0 && failover.length > 0) {
    return [rejected("can not simultaneously specify 'distribute' and 'failover'", field)];
  }
  const topology = failover.length > 0 ? priorities.find((label) => TOPOLOGY_LABELS.has(label)) : undefined;
  if (topology) {
    return [
      rejected(`can not simultaneously set 'failover' and topology label '${topology}' in 'failover_priority'`, [
        ...field,
        'failoverPriority',
      ]),
    ];
  }
  const problems: Problem[] = [];
  for (const [index, entry] of distribute.entries()) {
    const at = [...field, 'distribute', index];
    const stop = distributionProblems(entry, at);
    if (stop) return [...problems, ...stop];
    problems.push(...firstLocalityProblem(Object.keys(asRecord(entry.to) ?? {}), at));
  }
  problems.push(
    ...firstLocalityProblem(distribute.map((entry) => asString(entry.from) ?? ''), [...field, 'distribute']),
  );
  if ((failover.length > 0 || priorities.length > 0) && !hasOutlierDetection) {
    problems.push(warned('outlier detection policy must be provided for failover', field));
  }
  return [...problems, ...failoverProblems(failover, field)];
}
