// Istio's analysers by domain (the first part of Istio's name, its folder in
// pkg/config/analysis/analyzers/), so that tests and benches can run one family.
import type {IstioAnalyzer} from '../../../../src/core/analyze/istio/context.js';
import {istioAnalyzers, optionalIstioAnalyzers} from '../../../../src/core/analyze/istio/index.js';

/** Routing, gateways, telemetry and the VirtualService rule shadowing of schema validation. */
export const TRAFFIC_DOMAINS = ['destinationrule', 'envoyfilter', 'gateway', 'k8sgateway',
  'schema.CollectionValidationAnalyzer(VirtualService)', 'serviceentry', 'sidecar', 'telemetry', 'virtualservice'];

/** Workloads, injection, annotations, policies, webhooks and status conditions. */
export const WORKLOAD_DOMAINS = ['annotations', 'authn', 'authz', 'conditions', 'deployment', 'deprecation',
  'externalcontrolplane', 'injection', 'maturity', 'multicluster', 'service', 'webhook'];

/** The analysers of these domains (a domain, or one analyser's full name), optional ones included. */
export function analyzersIn(domains: readonly string[]): IstioAnalyzer[] {
  return [...istioAnalyzers, ...optionalIstioAnalyzers].filter(({name}) =>
    domains.some((domain) => name === domain || name.startsWith(`${domain}.`))
  );
}
