// Sidecar injection set-up (istioctl's injection.Analyzer): namespaces that are not
// enabled for injection, namespaces with conflicting injection labels, and pods in
// injected namespaces that run without the proxy.
import type {KubeObject, SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asStringMap, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding, markAbsent, METADATA_NAME} from '../../finding.js';
import {enablesNamespacesByDefault, injectorConfigMapName, injectorConfigMaps} from './injector-config.js';
import {DATAPLANE_MODE_LABEL, hasProxyContainer, INJECTION_LABEL, isKubernetesNamespace, podTemplateOf, REVISION_LABEL,
  SIDECAR_INJECT} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/**
 * The injection-related labels that compete: the legacy label, the revision label and the
 * ambient data-plane mode. A legacy label set to anything but `enabled` is an explicit
 * opt-out and does not compete with the others.
 */
function competingLabels(labels: Record<string, string>): string[] {
  const legacy = labels[INJECTION_LABEL];
  const found = legacy === undefined ? [] : [`${INJECTION_LABEL}=${legacy}`];
  for (const key of [REVISION_LABEL, DATAPLANE_MODE_LABEL]) {
    if (Object.hasOwn(labels, key) && (legacy === undefined || legacy === 'enabled')) {
      found.push(`${key}=${labels[key]}`);
    }
  }
  return found;
}

interface NamespaceVerdict {
  findings: Finding[];
  injected: boolean;
}

function judgeNamespace(target: SourcedObject, configMaps: Map<string, KubeObject>,
  istioNamespace: string): NamespaceVerdict
{
  const namespace = target.object;
  const name = nameOf(namespace);
  const labels = asStringMap(namespace.metadata.labels);
  const findings: Finding[] = [];
  const competing = competingLabels(labels);
  if (competing.length > 1) {
    findings.push(
      istioFinding(msg.NamespaceMultipleInjectionLabels, target,
        `Namespace ${name} has competing injection labels (${
          competing.join(', ')
        }); which one wins is undefined. Keep exactly one.`),
    );
  }
  if (labels[DATAPLANE_MODE_LABEL] === 'ambient') return {findings, injected: false};
  const legacy = labels[INJECTION_LABEL] ?? '';
  const revision = labels[REVISION_LABEL];
  if (legacy === '' && revision === undefined) {
    const configMap = configMaps.get(injectorConfigMapName(''));
    if (configMap && enablesNamespacesByDefault(configMap)) {
      findings.push(
        istioFinding(msg.NamespaceInjectionEnabledByDefault, target,
          `Namespace ${name} has no injection label, and the injector is installed with enableNamespacesByDefault, so its pods get sidecars.`),
      );
      return {findings, injected: false};
    }
    // Whether an unlabelled namespace is injected is the injector's configuration to say, and it lives in Istio's namespace.
    findings.push(
      markAbsent(
        istioFinding(msg.NamespaceNotInjected, target,
          `Namespace ${name} is not enabled for sidecar injection. Label it istio-injection=enabled to enable it, or istio-injection=disabled to record that it needs none.`,
          METADATA_NAME),
        {kind: 'ConfigMap', namespace: istioNamespace},
      ),
    );
    return {findings, injected: false};
  }
  // Deliberate difference from istioctl 1.31, which only checks pods under the legacy label:
  // a revision label enables injection just as well, so its pods are checked too.
  return {findings, injected: legacy === 'enabled' || (legacy === '' && revision !== undefined)};
}

function podOptsOut(pod: KubeObject): boolean {
  const choice = asStringMap(pod.metadata.labels)[SIDECAR_INJECT]
    ?? asStringMap(pod.metadata.annotations)[SIDECAR_INJECT] ?? '';
  return choice.toLowerCase() === 'false';
}

export const injectionAnalyzer: IstioAnalyzer = {
  name: 'injection.Analyzer',
  description: 'Namespaces and pods without sidecar injection.',
  inputs: [...kinds('', 'Namespace', 'Pod', 'ConfigMap')],
  codes: [msg.NamespaceNotInjected, msg.PodMissingProxy, msg.NamespaceMultipleInjectionLabels,
    msg.NamespaceInjectionEnabledByDefault],
  analyze(ctx) {
    const findings: Finding[] = [];
    const injected = new Set<string>();
    const configMaps = injectorConfigMaps(ctx);
    for (const target of ctx.byKind('Namespace', '')) {
      const name = nameOf(target.object);
      // Istio's own namespace is never injected; kube-system and friends are skipped too (istioctl 1.31
      // would report them as not injected, which no platform team can act on).
      if (name === 'istio-system' || name === ctx.meshConfig.rootNamespace || isKubernetesNamespace(name)) continue;
      const verdict = judgeNamespace(target, configMaps, ctx.meshConfig.rootNamespace);
      findings.push(...verdict.findings);
      if (verdict.injected) injected.add(name);
    }
    for (const target of ctx.byKind('Pod', '')) {
      const pod = target.object;
      if (!injected.has(namespaceOf(pod)) || podOptsOut(pod)) continue;
      const template = podTemplateOf(ctx, pod);
      if (template.spec.hostNetwork === true || hasProxyContainer(template.containersWithInit)) continue;
      findings.push(
        istioFinding(msg.PodMissingProxy, target,
          `Pod ${
            nameOf(pod)
          } runs without the Istio proxy although its namespace is injected; restart or redeploy the workload to get the sidecar.`),
      );
    }
    return findings;
  },
};
