// Sidecars running an older (or other) proxy image than the injector would give them
// today (istioctl's injection.ImageAnalyzer): typical after a control-plane upgrade,
// fixed by restarting the pods. Reported once per namespace, listing the pods.
import yaml from 'js-yaml';
import type {KubeObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asString, asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {NETWORKING_GROUP} from '../../query/lookup.js';
import {matchesLabels} from '../../query/selectors.js';
import {injectedProxyImage, injectorConfigMapName, injectorConfigMaps} from './injector-config.js';
import {INJECTION_LABEL, podTemplateOf, PROXY_CONTAINER, REVISION_LABEL} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

function imageTypeOf(proxyConfig: unknown): string | undefined {
  return asString(at(proxyConfig, 'image', 'imageType')) || undefined;
}

/**
 * The image variant (e.g. `distroless`) a pod's proxy should run, resolved the way istiod
 * layers proxy configuration: mesh default, root-namespace ProxyConfig, namespace
 * ProxyConfig, workload ProxyConfig, then the pod's own annotation; `default` means none.
 */
class ImageTypeResolver {
  private readonly meshDefault: string | undefined;
  private root: string | undefined;
  private readonly byNamespace = new Map<string, string>();
  private readonly workloadConfigs = new Map<string, KubeObject[]>();

  constructor(ctx: IstioContext) {
    this.meshDefault = imageTypeOf(at(ctx.meshConfig.raw, 'defaultConfig'));
    for (const {object} of ctx.byKind('ProxyConfig', NETWORKING_GROUP)) {
      const namespace = namespaceOf(object);
      const type = imageTypeOf(object.spec);
      if (namespace === ctx.meshConfig.rootNamespace) {
        this.root = type ?? this.root;
      } else if (at(object, 'spec', 'selector') === undefined) {
        if (type) this.byNamespace.set(namespace, type);
      } else {
        const list = this.workloadConfigs.get(namespace) ?? [];
        list.push(object);
        this.workloadConfigs.set(namespace, list);
      }
    }
  }

  resolve(pod: KubeObject): string {
    let variant = this.root ?? this.meshDefault ?? '';
    variant = this.byNamespace.get(namespaceOf(pod)) ?? variant;
    const labels = asStringMap(pod.metadata.labels);
    for (const config of this.workloadConfigs.get(namespaceOf(pod)) ?? []) {
      if (matchesLabels(asStringMap(at(config, 'spec', 'selector', 'matchLabels')), labels)) {
        variant = imageTypeOf(config.spec) ?? variant;
      }
    }
    const annotation = asStringMap(pod.metadata.annotations)[PROXY_CONFIG_ANNOTATION];
    if (annotation !== undefined) {
      try {
        variant = imageTypeOf(yaml.load(annotation)) ?? variant;
      } catch {
        // An unreadable annotation is IST0125's business; the variant stays as resolved so far.
      }
    }
    return variant === 'default' ? '' : variant;
  }
}

/** Injected namespaces and the revision whose injector serves them. */
function injectedNamespaces(ctx: IstioContext): Map<string, string> {
  const found = new Map<string, string>();
  for (const {object} of ctx.byKind('Namespace', '')) {
    const labels = asStringMap(object.metadata.labels);
    const revision = labels[REVISION_LABEL];
    if (revision !== undefined) found.set(nameOf(object), revision);
    else if (labels[INJECTION_LABEL] === 'enabled') found.set(nameOf(object), 'default');
  }
  return found;
}

export const injectionImageAnalyzer: IstioAnalyzer = {
  name: 'injection.ImageAnalyzer',
  description: "Pods running a proxy image other than the injector's.",
  inputs: [...kinds(NETWORKING_GROUP, 'ProxyConfig'), ...kinds('', 'Namespace', 'Pod', 'ConfigMap')],
  codes: [msg.PodsIstioProxyImageMismatchInNamespace],
  analyze(ctx) {
    const configMaps = injectorConfigMaps(ctx);
    if (configMaps.size === 0) return [];
    const namespaces = injectedNamespaces(ctx);
    const resolver = new ImageTypeResolver(ctx);
    const stale = new Map<string, Set<string>>();
    for (const {object: pod} of ctx.byKind('Pod', '')) {
      const revision = namespaces.get(namespaceOf(pod));
      if (revision === undefined) continue;
      // A pod that names its own proxy image is outside the injector's control.
      if (asStringMap(pod.metadata.annotations)['sidecar.istio.io/proxyImage']) continue;
      const configMap = configMaps.get(injectorConfigMapName(revision));
      const expected = configMap && injectedProxyImage(configMap);
      if (!expected) continue;
      const variant = resolver.resolve(pod);
      const accepted = new Set([expected, `${expected}-${variant}`]);
      const proxies = podTemplateOf(ctx, pod).containersWithInit.filter((container) =>
        container.name === PROXY_CONTAINER
      );
      if (proxies.some((container) => !accepted.has(container.image))) {
        const pods = stale.get(namespaceOf(pod)) ?? new Set<string>();
        pods.add(nameOf(pod));
        stale.set(namespaceOf(pod), pods);
      }
    }
    const findings: Finding[] = [];
    for (const target of ctx.byKind('Namespace', '')) {
      const name = nameOf(target.object);
      const pods = stale.get(name);
      if (!pods) continue;
      findings.push(
        istioFinding(msg.PodsIstioProxyImageMismatchInNamespace, target,
          `Pods in namespace ${name} run a proxy image other than the one the injector now uses (${
            [...pods].sort().join(', ')
          }); restart them to pick up the current sidecar.`),
      );
    }
    return findings;
  },
};
