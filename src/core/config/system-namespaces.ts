// Namespaces that belong to the cluster or its mesh. Onboarding renders injection, deny-all
// and STRICT mTLS for the namespace it targets; in one of these it would break the cluster's
// own components (DNS, the control plane, the gateways), so it needs to be asked for explicitly.
import type {Mesh, PlatformSpec} from './types.js';

const KUBERNETES = ['kube-system', 'kube-public', 'kube-node-lease'];
const MESHES = ['istio-system', 'istio-ingress', 'linkerd', 'linkerd-viz', 'linkerd-cni', 'linkerd-jaeger',
  'linkerd-multicluster'];

/** Why `namespace` is a system namespace of this platform, or undefined when it is not one. */
export function systemNamespace(namespace: string, platform: PlatformSpec, mesh: Mesh): string | undefined {
  if (KUBERNETES.includes(namespace)) return 'a Kubernetes system namespace';
  if (MESHES.includes(namespace)) return "a service mesh's system namespace";
  if (mesh === 'istio' && namespace === platform.istio.ingressGateway.namespace) {
    return 'the namespace of the ingress gateway';
  }
  return undefined;
}
