// Istio's check of label maps it stores (DestinationRule subsets, WorkloadEntries): keys as
// Kubernetes label names (an optional DNS prefix and `/`, then a qualified name), values
// qualified names or empty. Istio calls them tags in its messages.
import type {FieldPath} from '../../../field-line.js';
import {asRecord} from '../query/fields.js';
import {isDnsLabel} from './names.js';
import {rejected, type Problem} from './problems.js';

const QUALIFIED_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (!QUALIFIED_NAME.test(name) || (prefix !== undefined && !prefix.split('.').every(isDnsLabel))) {
    return `invalid tag key: "${key}"`;
  }
  if (prefix !== undefined && prefix.length > MAX_PREFIX) return `invalid tag key: "${key}" (DNS prefix is too long)`;
  return name.length > MAX_NAME ? `invalid tag key: "${key}" (name is too long)` : undefined;
}

export function labelProblems(labels: unknown, field: FieldPath): Problem[] {
  return Object.entries(asRecord(labels) ?? {}).flatMap(([key, value]) => {
    const text = String(value ?? '');
    const problems: Problem[] = [];
    const ofKey = keyProblem(key);
    if (ofKey) problems.push(rejected(ofKey, [...field, key]));
    if (text !== '' && !QUALIFIED_NAME.test(text)) {
      problems.push(rejected(`invalid tag value: "${text}"`, [...field, key]));
    }
    return problems;
  });
}
