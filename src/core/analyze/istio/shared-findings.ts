// Findings that several analysers raise about the same thing. istioctl prints each
// distinct message once, however many analysers found it; building them in one place
// keeps their text identical, so `analyzeIstio` can drop the repeats the same way.
import type {SourcedObject} from '../../objects.js';
import type {Absence, Finding, RuleDoc} from '../types.js';
import type {FieldPath} from '../../field-line.js';
import {istioFinding, markAbsent} from './finding.js';
import * as msg from './messages.js';
import {nameOf, namespaceOf} from './query/fields.js';
import {fullNames} from './query/workload-policies.js';

/**
 * IST0101: the object names something (a selector, a host, a secret ...) that the configuration
 * does not hold. `absent` says which objects it lacks when they may live outside the input
 * (a Service, a pod, a Secret), so that partial input reports it only where it could know.
 */
export function referenceNotFound(target: SourcedObject, what: string, value: string, field?: FieldPath,
  absent?: Absence): Finding
{
  const finding = istioFinding(msg.ReferencedResourceNotFound, target,
    `The ${what} "${value}" does not resolve to anything in the analysed configuration.`, field);
  return absent ? markAbsent(finding, absent) : finding;
}

/**
 * One finding per distinct (code, resource, message, field), first occurrence kept: istioctl
 * keeps the same message at two places of an object (two routes to one missing subset).
 */
export function withoutRepeats(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const ref = finding.resource;
    const identity = [finding.code, ref?.kind, ref?.namespace, ref?.name, finding.message,
      JSON.stringify(finding.field ?? [])].join('\u0000');
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/** One finding on each of the policies (`plural`, e.g. Sidecars) that all select the same pod: which applies is undefined. */
export function conflictingSelectors(message: RuleDoc, plural: string, pod: SourcedObject,
  owners: SourcedObject[]): Finding[]
{
  if (owners.length < 2) return [];
  const text = `${plural} ${fullNames(owners)} all select pod ${namespaceOf(pod.object)}/${
    nameOf(pod.object)
  }; which one applies is undefined.`;
  return owners.map((owner) => istioFinding(message, owner, text));
}
