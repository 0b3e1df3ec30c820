// `debug connectivity`: may this pod call that Service, layer by layer? The verdict and
// the deciding rules come from the reachability model (its edge from the caller's node to
// the Service); the route layer from the traffic rules the Service's calls meet.
import {inventoryOf} from '../analyze/mesh-policy/inventory.js';
import {buildReachability, type Layer, type ReachabilityEdge, type Reason} from '../analyze/reachability/index.js';
import type {KubeObject, SourcedObject} from '../objects.js';
import {trafficRulesOf, type TrafficRuleSummary} from './pod-traffic.js';
import type {ServiceTarget} from './target.js';

export type ConnectivityLayer = Layer | 'route';

export interface LayerVerdict {
  layer: ConnectivityLayer;
  verdict: 'allow' | 'deny' | 'not applicable';
  /** What decides: the denying rules when denied, else the rules that admit (or the default that does). */
  decidedBy: string[];
}

export interface PortVerdict {
  port: number;
  targetPort: number;
  verdict: ReachabilityEdge['verdict'];
  layers: LayerVerdict[];
}

export interface ConnectivityReport {
  /** `namespace/pod`. */
  from: string;
  /** `namespace/service`. */
  to: string;
  ports: PortVerdict[];
}

export interface ConnectivityInput {
  objects: readonly KubeObject[];
  namespaces?: string[];
  caller: KubeObject;
  service: Required<Pick<ServiceTarget, 'name' | 'namespace'>> & Pick<ServiceTarget, 'port'>;
}

/** Why a connectivity question has no answer (no such Service, no such port); the action words it for the user. */
export class ConnectivityTargetError extends Error {
  constructor(message: string, readonly ports: readonly number[] = []) {
    super(message);
    this.name = 'ConnectivityTargetError';
  }
}

const POLICY_LAYERS: readonly Layer[] = ['network-policy', 'mtls', 'istio-authz', 'linkerd'];

function layerVerdict(layer: Layer, reasons: readonly Reason[]): LayerVerdict {
  const own = reasons.filter((reason) => reason.layer === layer);
  if (own.length === 0) return {layer, verdict: 'not applicable', decidedBy: []};
  const denying = own.filter((reason) => reason.effect === 'deny');
  if (denying.length > 0) return {layer, verdict: 'deny', decidedBy: denying.map((reason) => reason.message)};
  return {layer, verdict: 'allow', decidedBy: own.map((reason) => reason.message)};
}

/** The route layer: a route to a subset that selects no pod fails with 503. */
function routeVerdict(rules: readonly TrafficRuleSummary[]): LayerVerdict {
  const routed = new Set(rules.flatMap((rule) => rule.routedSubsets));
  const emptySubsets = rules.flatMap((rule) =>
    rule.subsets.filter((subset) => !subset.selectsPods && routed.has(subset.name)).map((subset) =>
      `subset ${subset.name} of ${rule.resource.kind} ${
        rule.resource.namespace ?? ''
      }/${rule.resource.name} selects no pod, and a route sends to it: 503`
    )
  );
  if (emptySubsets.length > 0) return {layer: 'route', verdict: 'deny', decidedBy: emptySubsets};
  const routes = rules.filter((rule) => rule.resource.kind !== 'DestinationRule');
  return {layer: 'route', verdict: 'allow', decidedBy: routes.length > 0
    ? routes.map((rule) => `${rule.resource.kind} ${rule.resource.namespace ?? ''}/${rule.resource.name} routes it`)
    : ['no route for the Service: Kubernetes balances over its ready pods']};
}

export function connectivity(input: ConnectivityInput): ConnectivityReport {
  const objects: SourcedObject[] = input.objects.map((object) => ({object}));
  const {service} = input;
  const to = `${service.namespace}/${service.name}`;
  const callerName = input.caller.metadata.name ?? '';
  const from = `${input.caller.metadata.namespace ?? ''}/${callerName}`;
  const inventory = inventoryOf({objects, ...(input.namespaces ? {namespaces: input.namespaces} : {})});
  const target = inventory.servicesIn(service.namespace).find((entry) => entry.name === service.name);
  if (!target) throw new ConnectivityTargetError(`Service ${to} does not exist`);
  const known = target.ports.map((port) => port.port);
  if (service.port !== undefined && !known.includes(service.port)) {
    throw new ConnectivityTargetError(`Service ${to} has no port ${service.port}`, known);
  }
  const model = buildReachability(objects, {to, ...(input.namespaces ? {namespaces: input.namespaces} : {})});
  const callerNode = model.nodes.find((node) =>
    node.workloads.includes(`Pod/${callerName}`)
    && node.namespace === input.caller.metadata.namespace && model.edges.some((edge) => edge.from === node.id)
  );
  const route = routeVerdict(trafficRulesOf(inventory, [target]));
  const ports = model.edges.filter((edge) =>
    edge.from === callerNode?.id
    && (service.port === undefined || edge.port === service.port)
  ).map((edge) => {
    const layers = [...POLICY_LAYERS.map((layer) => layerVerdict(layer, edge.reasons)), route];
    const verdict = route.verdict === 'deny' ? 'deny' : edge.verdict;
    return {port: edge.port, targetPort: edge.targetPort, verdict, layers};
  });
  if (ports.length === 0) {
    throw new ConnectivityTargetError(
      `Service ${to} has no pod behind ${
        service.port === undefined ? 'it' : `port ${service.port}`
      }, or the caller is one of them`,
    );
  }
  return {from, to, ports};
}
