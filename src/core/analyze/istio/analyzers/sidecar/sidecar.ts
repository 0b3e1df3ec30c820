// Sidecar resources: selectors that select nothing, pods selected by several Sidecars,
// several namespace-wide Sidecars in one namespace, and Sidecars where no sidecar runs.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {namespaceInAmbientMode, podInAmbientMode} from '../../query/ambient.js';
import {asStringMap, at, namespaceOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {NETWORKING_GROUP, lookup} from '../../query/lookup.js';
import {conflictingSelectors, referenceNotFound} from '../../shared-findings.js';
import {selectorText} from '../../query/selectors.js';
import {byNamespace, fullNames, selectionOf} from '../../query/workload-policies.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

function selectorOf(sidecar: SourcedObject): Record<string, string> {
  return asStringMap(at(sidecar.object, 'spec', 'workloadSelector', 'labels'));
}

const ineffective = (sidecar: SourcedObject, why: string) =>
  istioFinding(msg.IneffectivePolicy, sidecar, `This Sidecar has no effect: ${why}.`);

const selector: IstioAnalyzer = {
  name: 'sidecar.SelectorAnalyzer',
  description: 'Sidecars that select no pod, or pods more than one selects.',
  inputs: [...kinds(NETWORKING_GROUP, 'Sidecar'), ...kinds('', 'Pod', 'Namespace')],
  codes: [msg.ReferencedResourceNotFound, msg.ConflictingSidecarWorkloadSelectors,
    msg.MultipleSidecarsWithoutWorkloadSelectors, msg.IneffectivePolicy],
  analyze(ctx) {
    const sidecars = ctx.byKind('Sidecar', NETWORKING_GROUP);
    const scoped = sidecars.filter((sidecar) => Object.keys(selectorOf(sidecar)).length > 0);
    const namespaceWide = sidecars.filter((sidecar) => Object.keys(selectorOf(sidecar)).length === 0);
    const selection = selectionOf(ctx, scoped, selectorOf);
    const findings: Finding[] = selection.unmatched.map((sidecar) =>
      referenceNotFound(sidecar, 'workload selector', selectorText(selectorOf(sidecar)), undefined, {kind: 'Pod',
        namespace: namespaceOf(sidecar.object)})
    );
    const reported = new Set<SourcedObject>();
    for (const [pod, owners] of selection.byPod) {
      if (podInAmbientMode(pod.object)) {
        for (const owner of owners.filter((candidate) => !reported.has(candidate))) {
          reported.add(owner);
          findings.push(ineffective(owner, `the workload it selects runs in ambient mode, without a sidecar`));
        }
        continue;
      }
      findings.push(...conflictingSelectors(msg.ConflictingSidecarWorkloadSelectors, 'Sidecars', pod, owners));
    }
    for (const [namespace, group] of byNamespace(namespaceWide)) {
      if (namespaceInAmbientMode(lookup(ctx).get('Namespace', '', namespace, '')?.object)) {
        for (const owner of group.filter((candidate) => !reported.has(candidate))) {
          reported.add(owner);
          findings.push(ineffective(owner, `namespace ${namespace} runs in ambient mode, without sidecars`));
        }
        continue;
      }
      if (group.length < 2) continue;
      for (const owner of group) {
        findings.push(
          istioFinding(msg.MultipleSidecarsWithoutWorkloadSelectors, owner,
            `Sidecars ${
              fullNames(group)
            } in namespace ${namespace} have no workload selector; which one applies is undefined.`),
        );
      }
    }
    return findings;
  },
};

export const sidecarAnalyzers: IstioAnalyzer[] = [selector];
