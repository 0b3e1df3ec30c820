// Which templates each job renders, in apply order (namespaces and identities before
// the policies that name them). Paths are relative to the template root, so a user's
// copy given with --templates keeps the same layout.
import type {Mesh} from '../config/types.js';

export const NAMESPACE_TEMPLATES: Record<Mesh, string[]> = {
  istio: ['service/namespace.yaml', 'istio/namespace-baseline.yaml', 'policies/namespace-network.yaml'],
  linkerd: ['service/namespace.yaml', 'policies/namespace-network.yaml'],
};

export const SERVICE_TEMPLATES: Record<Mesh, string[]> = {
  istio: ['service/serviceaccount.yaml', 'istio/authorization.yaml', 'istio/traffic.yaml', 'istio/rate-limit.yaml',
    'policies/service-network.yaml', 'policies/canary.yaml'],
  linkerd: ['service/serviceaccount.yaml', 'linkerd/policy.yaml', 'linkerd/traffic.yaml',
    'policies/service-network.yaml', 'policies/canary.yaml'],
};

export const PLATFORM_TEMPLATES: Record<Mesh, string[]> = {
  istio: ['istio/control-plane.yaml', 'istio/mesh-baseline.yaml'],
  linkerd: ['linkerd/control-plane.yaml'],
};
