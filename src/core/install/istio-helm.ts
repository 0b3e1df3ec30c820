// Istio's Helm charts as Istio's Helm install guide uses them (base, then istiod, then one
// gateway release per ingress gateway), with their values taken from the same rendered
// IstioOperator istioctl would get: one platform config, either install method.
import type {KubeObject} from '../objects.js';
import {DEFAULT_REVISION} from './istio-versions.js';

export interface HelmRelease {
  name: string;
  namespace: string;
  /** Chart name in a repository (Istio's `base`, `istiod`, `gateway`; Linkerd's `linkerd-crds`, `linkerd-control-plane`). */
  chart: string;
  values: Record<string, unknown>;
}

interface OperatorSpec {
  revision?: string;
  hub?: string;
  tag?: string;
  meshConfig?: Record<string, unknown>;
  values?: Record<string, unknown> & {global?: Record<string, unknown>};
  components?: {
    ingressGateways?: {name: string; namespace?: string; enabled?: boolean;
      k8s?: {replicaCount?: number; resources?: unknown}}[];
  };
}

/**
 * The releases for an IstioOperator. `tag` is the Istio version installed: charts built from
 * source carry no real appVersion, and the image tag is how an install is found again.
 */
export function istioHelmReleases(operator: KubeObject, tag: string): HelmRelease[] {
  const spec = (operator.spec ?? {}) as OperatorSpec;
  const namespace = operator.metadata.namespace ?? 'istio-system';
  const revision = spec.revision && spec.revision !== DEFAULT_REVISION ? spec.revision : undefined;
  const suffix = revision ? `-${revision}` : '';
  const global = {...spec.values?.global, ...(spec.hub ? {hub: spec.hub} : {}), tag: spec.tag ?? tag};
  const istiod: HelmRelease = {name: `istiod${suffix}`, namespace, chart: 'istiod', values: {
    ...spec.values,
    global,
    ...(revision ? {revision} : {}),
    ...(spec.meshConfig ? {meshConfig: spec.meshConfig} : {}),
  }};
  const gateways = (spec.components?.ingressGateways ?? []).filter((gateway) => gateway.enabled !== false).map((
    gateway,
  ): HelmRelease => ({
    name: `${gateway.name}${suffix}`,
    namespace: gateway.namespace ?? namespace,
    chart: 'gateway',
    values: {
      name: gateway.name,
      ...(revision ? {revision} : {}),
      ...(gateway.k8s?.replicaCount ? {replicaCount: gateway.k8s.replicaCount} : {}),
      ...(gateway.k8s?.resources ? {resources: gateway.k8s.resources} : {}),
    },
  }));
  // base holds the CRDs and cluster-wide objects: one per cluster, whatever the revision.
  return [{name: 'istio-base', namespace, chart: 'base', values: {global: {istioNamespace: namespace}}}, istiod,
    ...gateways];
}
