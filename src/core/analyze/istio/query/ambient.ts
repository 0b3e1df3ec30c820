// Ambient mode: workloads without sidecars, where sidecar-only policies have no effect.
import type {KubeObject} from '../../../objects.js';

/** A pod whose traffic the ambient node proxy redirects (istio-cni marks it with this annotation). */
export function podInAmbientMode(pod: KubeObject): boolean {
  return pod.metadata.annotations?.['ambient.istio.io/redirection'] === 'enabled';
}

/** A namespace enrolled in ambient and not also asking for sidecar injection (by label or revision). */
export function namespaceInAmbientMode(namespace: KubeObject | undefined): boolean {
  const labels = namespace?.metadata.labels ?? {};
  if (labels['istio.io/dataplane-mode'] !== 'ambient') return false;
  return labels['istio-injection'] !== 'enabled' && !labels['istio.io/rev'];
}
