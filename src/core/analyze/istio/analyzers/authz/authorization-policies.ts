// AuthorizationPolicies that select no workload, or name source namespaces that do not
// exist (istioctl's authz.AuthorizationPoliciesAnalyzer). A policy that selects nothing
// protects nothing, which is easy to miss because nothing breaks.
import type {KubeObject, SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asArray, asRecord, asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding, markAbsent} from '../../finding.js';
import {namespaceInAmbientMode, podInAmbientMode} from '../../query/ambient.js';
import {SECURITY_GROUP} from '../../query/lookup.js';
import {referenceNotFound} from '../../shared-findings.js';
import {selectorText} from '../../query/selectors.js';
import {LabelledIndex} from '../../query/label-index.js';
import {inMesh, namespaceObject, podTemplateOf, workloadObjects} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds, WORKLOAD_INPUTS} from '../../../inputs.js';

/**
 * Workloads a policy can act on (with a sidecar or enrolled in ambient), per namespace and
 * mesh-wide. istioctl looks at Pods only; manifests in a repository rarely hold Pods, so the
 * pod templates of Deployments, StatefulSets, Jobs ... count too, or every policy written
 * next to its Deployment would be reported as matching nothing.
 */
class MeshPods {
  private readonly byNamespace = new Map<string, LabelledIndex<KubeObject>>();
  private readonly everywhere = new LabelledIndex<KubeObject>();

  constructor(ctx: IstioContext) {
    for (const {object} of workloadObjects(ctx)) {
      const template = podTemplateOf(ctx, object);
      const ambient = podInAmbientMode(object) || namespaceInAmbientMode(namespaceObject(ctx, namespaceOf(object)));
      if (!ambient && !inMesh(ctx, object, template, template.containersWithInit)) continue;
      let index = this.byNamespace.get(namespaceOf(object));
      if (!index) this.byNamespace.set(namespaceOf(object), index = new LabelledIndex());
      index.add(object, template.labels);
      this.everywhere.add(object, template.labels);
    }
  }

  any(namespace: string | undefined, selector: Record<string, string>): boolean {
    const index = namespace === undefined ? this.everywhere : this.byNamespace.get(namespace);
    return index?.some(selector) ?? false;
  }
}

function noWorkloads(target: SourcedObject, selector: Record<string, string> | undefined,
  namespace: string | undefined): Finding
{
  const selects = selector ? `selector ${selectorText(selector)}` : 'namespace-wide rules';
  const scope = namespace === undefined ? 'anywhere in the mesh' : `in namespace ${namespace}`;
  return markAbsent(
    istioFinding(msg.NoMatchingWorkloadsFound, target,
      `AuthorizationPolicy ${
        nameOf(target.object)
      } (${selects}) matches no workload ${scope}, so it has no effect; check its selector and namespace.`),
    namespace === undefined ? {kind: 'Pod'} : {kind: 'Pod', namespace},
  );
}

function workloadFinding(ctx: IstioContext, pods: MeshPods, target: SourcedObject): Finding | undefined {
  const namespace = namespaceOf(target.object);
  const selectorField = at(target.object, 'spec', 'selector');
  const selector = asRecord(selectorField) ? asStringMap(at(selectorField, 'matchLabels')) : undefined;
  if (namespace === ctx.meshConfig.rootNamespace) {
    // A root-namespace policy applies mesh-wide; without a selector it always has an effect.
    return selector && !pods.any(undefined, selector) ? noWorkloads(target, selector, undefined) : undefined;
  }
  return pods.any(namespace, selector ?? {}) ? undefined : noWorkloads(target, selector, namespace);
}

/** `*`, `prefix*`, `*suffix` or an exact name (case-insensitive), as Istio matches source namespaces. */
function namespacePatternMatches(pattern: string, namespace: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return namespace.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return namespace.startsWith(pattern.slice(0, -1));
  return namespace.toLowerCase() === pattern.toLowerCase();
}

function namespaceFindings(target: SourcedObject, exists: (pattern: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const [ruleIndex, rule] of asArray(at(target.object, 'spec', 'rules')).entries()) {
    for (const [fromIndex, from] of asArray(at(rule, 'from')).entries()) {
      for (const key of ['namespaces', 'notNamespaces']) {
        for (const [index, pattern] of asArray(at(from, 'source', key)).entries()) {
          if (typeof pattern === 'string' && !exists(pattern)) {
            findings.push(
              referenceNotFound(target, 'namespace', pattern, ['spec', 'rules', ruleIndex, 'from', fromIndex, 'source',
                key, index], {kind: 'Namespace'}),
            );
          }
        }
      }
    }
  }
  return findings;
}

export const authorizationPoliciesAnalyzer: IstioAnalyzer = {
  name: 'authz.AuthorizationPoliciesAnalyzer',
  description: 'AuthorizationPolicies that select no workload or name missing namespaces.',
  inputs: [...kinds(SECURITY_GROUP, 'AuthorizationPolicy'), ...kinds('', 'Namespace'), ...WORKLOAD_INPUTS],
  codes: [msg.ReferencedResourceNotFound, msg.NoMatchingWorkloadsFound],
  analyze(ctx) {
    const pods = new MeshPods(ctx);
    const namespaces = ctx.byKind('Namespace', '').map(({object}) => nameOf(object));
    const known = new Map<string, boolean>();
    const exists = (pattern: string): boolean => {
      let found = known.get(pattern);
      if (found === undefined) {
        known.set(pattern, found = namespaces.some((namespace) => namespacePatternMatches(pattern, namespace)));
      }
      return found;
    };
    const findings: Finding[] = [];
    for (const target of ctx.byKind('AuthorizationPolicy', SECURITY_GROUP)) {
      const workloads = workloadFinding(ctx, pods, target);
      if (workloads) findings.push(workloads);
      findings.push(...namespaceFindings(target, exists));
    }
    return findings;
  },
};
