// Kubernetes label selectors: plain maps (Service, Gateway, workloadSelector) and
// metav1.LabelSelector (matchLabels + matchExpressions).
import {asArray, asRecord, asString, asStringMap, asStrings, at} from './fields.js';

/** Every key/value of the selector is among the labels; an empty or absent selector matches everything. */
export function matchesLabels(selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined): boolean
{
  if (!selector) return true;
  // for-in, not entries or keys: called for every workload against the selectors of its namespace.
  for (const key in selector) {
    if (labels?.[key] !== selector[key]) return false;
  }
  return true;
}

/** The canonical text Kubernetes prints for a map selector: sorted `key=value` joined by commas. */
export function selectorText(selector: Record<string, string>): string {
  return Object.keys(selector).sort().map((key) => `${key}=${selector[key]}`).join(',');
}

function matchesExpression(expression: unknown, labels: Record<string, string>): boolean {
  const key = asString(at(expression, 'key')) ?? '';
  const values = asStrings(at(expression, 'values'));
  const present = Object.hasOwn(labels, key);
  switch (asString(at(expression, 'operator'))) {
    case 'In':
      return present && values.includes(labels[key] ?? '');
    case 'NotIn':
      return !present || !values.includes(labels[key] ?? '');
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

/** metav1.LabelSelector semantics: matchLabels AND every matchExpression. */
export function matchesLabelSelector(selector: unknown, labels: Record<string, string>): boolean {
  if (!asRecord(selector)) return true;
  return matchesLabels(asStringMap(at(selector, 'matchLabels')), labels)
    && asArray(at(selector, 'matchExpressions')).every((expression) => matchesExpression(expression, labels));
}
