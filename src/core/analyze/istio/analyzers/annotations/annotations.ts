// Istio annotations on Kubernetes objects: unknown names, annotations on the wrong kind
// of object, values the injector would reject, deprecated ones (annotations.K8sAnalyzer).
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asStringMap} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {ANNOTATIONS, isIstioAnnotation} from './known-annotations.js';
import {ANNOTATION_VALUE_CHECKS} from './annotation-values.js';
import {SIDECAR_INJECT} from '../../query/workload.js';
import type {FieldPath} from '../../../../field-line.js';
import * as msg from '../../messages.js';

/** The kinds istioctl checks annotations on, with the API group each lives in. */
export const ANNOTATED_KINDS: readonly [kind: string, group: string][] = [['Namespace', ''], ['Service', ''], ['Pod',
  ''], ['Deployment', 'apps']];

export function* annotatedObjects(ctx: IstioContext): Generator<SourcedObject> {
  for (const [kind, group] of ANNOTATED_KINDS) yield* ctx.byKind(kind, group);
}

export function istioAnnotationsOf(target: SourcedObject): [string, string][] {
  return Object.entries(asStringMap(target.object.metadata.annotations)).filter(([name]) => isIstioAnnotation(name));
}

/** Where istioctl places findings about an annotation: its own line. */
export function annotationField(name: string): FieldPath {
  return ['metadata', 'annotations', name];
}

function checkAnnotation(target: SourcedObject, name: string, value: string): Finding[] {
  const spec = ANNOTATIONS.get(name);
  const field = annotationField(name);
  if (!spec) {
    return [
      istioFinding(msg.UnknownAnnotation, target, `"${name}" is not an annotation Istio knows; check its spelling.`,
        field),
    ];
  }
  const findings: Finding[] = [];
  const {kind} = target.object;
  // Keeping the old annotation next to its replacement label is a deliberate compatibility choice, not an oversight.
  const keptForCompatibility = name === SIDECAR_INJECT
    && Object.hasOwn(asStringMap(target.object.metadata.labels), SIDECAR_INJECT);
  if (spec.deprecated && !keptForCompatibility) {
    const instead = name === SIDECAR_INJECT ? ` (use the "${SIDECAR_INJECT}" label instead)` : '';
    findings.push(
      istioFinding(msg.DeprecatedAnnotation, target,
        `Annotation "${name}" is deprecated${instead}; a future Istio release may ignore it.`, field),
    );
  }
  if (spec.resources.includes('Any')) return findings;
  if (!spec.resources.includes(kind)) {
    findings.push(
      istioFinding(msg.MisplacedAnnotation, target,
        `Annotation "${name}" has no effect on a ${kind}; it belongs on: ${spec.resources.join(', ')}.`, field),
    );
    return findings;
  }
  const problem = ANNOTATION_VALUE_CHECKS.get(name)?.(value);
  if (problem !== undefined) {
    findings.push(
      istioFinding(msg.InvalidAnnotation, target, `Annotation "${name}" has an invalid value: ${problem}.`, field),
    );
  }
  return findings;
}

export const annotationsAnalyzer: IstioAnalyzer = {
  name: 'annotations.K8sAnalyzer',
  description: 'Istio annotations that are unknown, misplaced, deprecated or have invalid values.',
  inputs: [...ANNOTATED_KINDS.map(([kind, group]) => ({group, kind}))],
  codes: [msg.MisplacedAnnotation, msg.UnknownAnnotation, msg.InvalidAnnotation, msg.DeprecatedAnnotation],
  analyze(ctx) {
    const findings: Finding[] = [];
    for (const target of annotatedObjects(ctx)) {
      for (const [name, value] of istioAnnotationsOf(target)) findings.push(...checkAnnotation(target, name, value));
    }
    return findings;
  },
};
