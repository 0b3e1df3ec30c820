// Istio's validation of DestinationRules: a host name (leading wildcard allowed), subsets
// with unique DNS-label names and valid labels, traffic policies at every level, a
// matchLabels workload selector, and exportTo entries (narrowed to the rule's own
// namespace when it has a selector).
import type {KubeObject} from '../../../objects.js';
import {asArray, asRecord, asString, asStrings, namespaceOf, specOf} from '../query/fields.js';
import {labelProblems} from './labels.js';
import {isDnsLabel, wildcardDomainProblem} from './names.js';
import {matchLabelsProblems} from './policy-target.js';
import {rejected, type Problem} from './problems.js';
import {trafficPolicyProblems} from './traffic-policy.js';

function policyProblems(policy: unknown, field: (string | number)[]): Problem[] {
  const record = asRecord(policy);
  return record ? trafficPolicyProblems(record, field) : [];
}

function subsetProblems(subsets: unknown[]): Problem[] {
  const names = new Set<string>();
  return subsets.flatMap((entry, index) => {
    const field = ['spec', 'subsets', index];
    const subset = asRecord(entry);
    if (!subset) return [rejected('subset may not be null', field)];
    const name = asString(subset.name) ?? '';
    const problems: Problem[] = names.has(name)
      ? [rejected(`duplicate subset names: ${name}`, [...field, 'name'])]
      : [];
    names.add(name);
    if (name === '') problems.push(rejected('subset name cannot be empty', field));
    else if (!isDnsLabel(name)) problems.push(rejected(`subset name is invalid: ${name}`, [...field, 'name']));
    return [...problems, ...labelProblems(subset.labels, [...field, 'labels']),
      ...policyProblems(subset.trafficPolicy, [...field, 'trafficPolicy'])];
  });
}

function exportEntryProblem(key: string): string | undefined {
  if (key === '*' || key === '.') return undefined;
  if (key === '~') return 'exportTo ~ (none) is not allowed for Istio configuration objects';
  return isDnsLabel(key) ? undefined : 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry';
}

/** `.` stands for the rule's namespace, so `[., ns]` names it twice. */
function exportToProblems(exportTo: string[], namespace: string, hasSelector: boolean): Problem[] {
  const field = ['spec', 'exportTo'];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  exportTo.forEach((entry, index) => {
    const key = entry === '.' ? namespace : entry;
    const problem = seen.has(key)
      ? (key === entry
        ? `duplicate entries in exportTo for entry ${entry}`
        : `duplicate entries in exportTo: . and current namespace ${namespace}`)
      : exportEntryProblem(key);
    if (problem) problems.push(rejected(problem, [...field, index]));
    else seen.add(key);
  });
  if (hasSelector && seen.size > 0 && !seen.has(namespace)) {
    problems.push(
      rejected('destination rule with workload selector cannot have exportTo beyond current namespace', field),
    );
  } else if (hasSelector && seen.size > 1) {
    problems.push(rejected('destination rule with workload selector cannot have multiple entries in exportTo', field));
  }
  if (seen.has('*') && exportTo.length > 1) {
    problems.push(rejected('cannot have both public (*) and non-public exportTo values for a resource', field));
  }
  return problems;
}

export function destinationRuleProblems(object: KubeObject): Problem[] {
  const spec = specOf(object);
  const hostProblem = wildcardDomainProblem(asString(spec.host) ?? '');
  const selector = asRecord(spec.workloadSelector);
  return [
    ...(hostProblem ? [rejected(hostProblem, ['spec', 'host'])] : []),
    ...policyProblems(spec.trafficPolicy, ['spec', 'trafficPolicy']),
    ...subsetProblems(asArray(spec.subsets)),
    ...exportToProblems(asStrings(spec.exportTo), namespaceOf(object), selector !== undefined),
    ...matchLabelsProblems(selector, ['spec', 'workloadSelector']),
  ];
}
