// The reachability model: which service may call which, on which port, why, and
// (where policy says) with which HTTP operations. Shared by `validate reachability`
// and `debug`; pure data, printable as a table, JSON, Mermaid or DOT.
import type {ResourceRef} from '../../objects.js';
import type {ContainerPort, MeshMembership, Workload} from '../mesh-policy/inventory.js';

export type Verdict = 'allow' | 'deny' | 'partial';

/** The layer that decided or commented: NetworkPolicy, Istio mTLS, Istio authorization, Linkerd policy. */
export type Layer = 'network-policy' | 'mtls' | 'istio-authz' | 'linkerd';

export interface Reason {
  layer: Layer;
  /** `note` reasons explain without deciding (e.g. a CUSTOM provider that is not evaluated). */
  effect: 'allow' | 'deny' | 'note';
  message: string;
  resource?: ResourceRef;
}

/** A Service with its workloads, or a workload that no Service selects. */
export interface ReachabilityNode {
  /** `namespace/name`. */
  id: string;
  namespace: string;
  name: string;
  kind: string;
  workloads: string[];
  /** SPIFFE identities of the workloads' service accounts. */
  identities: string[];
  mesh: MeshMembership;
}

export interface ReachabilityEdge {
  from: string;
  to: string;
  /** The Service port called, and the container port it lands on. */
  port: number;
  targetPort: number;
  protocol: string;
  verdict: Verdict;
  /** HTTP operations the caller may use; empty when nothing restricts them (or when denied). */
  l7: string[];
  reasons: Reason[];
}

export interface ReachabilityModel {
  nodes: ReachabilityNode[];
  edges: ReachabilityEdge[];
}

export interface ReachabilityOptions {
  /** Namespaces known to exist (from a cluster), for namespace selectors. */
  namespaces?: string[];
  /** Trust domain of SPIFFE identities; the mesh config's, else `cluster.local`. */
  trustDomain?: string;
  /** A MeshConfig the user gave (--mesh-config): root namespace and trust domain, over those among the objects. */
  meshConfig?: Record<string, unknown>;
  /** Linkerd's cluster-wide default inbound policy; the control-plane values' in the input, else `all-unauthenticated`. */
  linkerdDefaultPolicy?: string;
  /**
   * Data plane assumed for workloads whose labels and namespace do not say. Default: Istio when
   * the input holds Istio security policy, else Linkerd when it holds Linkerd policy, else none.
   */
  defaultMesh?: 'istio' | 'linkerd' | 'none';
  /** Only calls from nodes in this namespace, with this name (any namespace), or this `namespace/name`. */
  from?: string;
  /** Only calls to nodes in this namespace, with this name (any namespace), or this `namespace/name`. */
  to?: string;
}

/** One call between two concrete workloads, as the layer evaluators see it. */
export interface Call {
  source: Workload;
  sourceMesh: Exclude<MeshMembership, 'unknown'>;
  destination: Workload;
  destinationMesh: Exclude<MeshMembership, 'unknown'>;
  port: ContainerPort;
}

export interface LayerResult {
  allowed: boolean;
  reasons: Reason[];
  /** Operations the layer restricts the call to; undefined when it does not restrict them. */
  l7?: string[];
}
