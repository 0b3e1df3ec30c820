// The traffic rules that apply to a workload's Services: Istio DestinationRules (timeouts
// live in the VirtualService; connection pool, outlier detection, load balancing and TLS in
// the DestinationRule, with its subsets) and routes, Istio's VirtualServices and Gateway
// API HTTPRoutes attached to the Service (as Linkerd reads them).
import {refOf, type KubeObject, type ResourceRef} from '../objects.js';
import {asArray, asRecord, asString, asStringMap, asStrings, at, namespaceOf} from '../analyze/istio/query/fields.js';
import {hostCovers, toFqdn} from '../analyze/istio/query/hosts.js';
import {GATEWAY_API_GROUP, NETWORKING_GROUP} from '../analyze/istio/query/lookup.js';
import {matchesLabels} from '../analyze/istio/query/selectors.js';
import type {Inventory, ServiceInfo} from '../analyze/mesh-policy/inventory.js';
import {settingsText} from './settings-text.js';

export interface SubsetSummary {
  name: string;
  labels: Record<string, string>;
  /** Whether some pod behind the Service carries the subset's labels. */
  selectsPods: boolean;
}

export interface TrafficRuleSummary {
  resource: ResourceRef;
  /** The Service (FQDN) the rule applies to. */
  host: string;
  /** Settings that shape calls, one line each: `trafficPolicy: connectionPool.http...`, `http[0]: timeout=5s ...`. */
  settings: string[];
  subsets: SubsetSummary[];
  /** A VirtualService's subsets of the host that its HTTP and TCP routes send to. */
  routedSubsets: string[];
  /** A DestinationRule's outlier detection, as settings text, when it has one. */
  outlierDetection?: string;
}

/** Route fields that change what a call experiences; matches and destinations are left out. */
const ROUTE_SETTINGS = ['timeout', 'retries', 'fault', 'mirror', 'corsPolicy'];

function destinationRuleOf(object: KubeObject, host: string, service: ServiceInfo,
  inventory: Inventory): TrafficRuleSummary
{
  const policy = at(object, 'spec', 'trafficPolicy');
  const backends = inventory.backendsOf(service).filter((workload) => workload.kind === 'Pod');
  const subsets = asArray(at(object, 'spec', 'subsets')).map((subset) => {
    const labels = asStringMap(at(subset, 'labels'));
    return {name: asString(at(subset, 'name')) ?? '', labels,
      selectsPods: backends.some((pod) => matchesLabels(labels, pod.labels))};
  });
  const settings = policy === undefined ? [] : [`trafficPolicy: ${settingsText(policy)}`];
  for (const subset of asArray(at(object, 'spec', 'subsets'))) {
    const subsetPolicy = at(subset, 'trafficPolicy');
    if (subsetPolicy !== undefined) {
      settings.push(`subset ${asString(at(subset, 'name')) ?? ''}: ${settingsText(subsetPolicy)}`);
    }
  }
  const summary: TrafficRuleSummary = {resource: refOf(object), host, settings, subsets, routedSubsets: []};
  const outlier = settingsText(at(policy, 'outlierDetection'));
  if (outlier) summary.outlierDetection = outlier;
  return summary;
}

function routeSettings(routes: unknown, label: string): string[] {
  return asArray(routes).flatMap((route, index) => {
    const record = asRecord(route) ?? {};
    const picked = Object.fromEntries(ROUTE_SETTINGS.filter((key) => record[key] !== undefined)
      .map((key) => [key, record[key]]));
    const text = settingsText(picked);
    return text ? [`${label}[${index}]: ${text}`] : [];
  });
}

function virtualServiceOf(object: KubeObject, host: string): TrafficRuleSummary {
  const destinations = ['http', 'tcp', 'tls'].flatMap((kind) => asArray(at(object, 'spec', kind)))
    .flatMap((route) => asArray(at(route, 'route'))).map((entry) => at(entry, 'destination'));
  const routedSubsets = destinations.filter((destination) =>
    toFqdn(asString(at(destination, 'host')) ?? '', namespaceOf(object)) === host
  ).map((destination) => asString(at(destination, 'subset'))).filter((subset): subset is string =>
    subset !== undefined
  );
  return {resource: refOf(object), host, settings: routeSettings(at(object, 'spec', 'http'), 'http'), subsets: [],
    routedSubsets: [...new Set(routedSubsets)]};
}

function httpRouteOf(object: KubeObject, host: string): TrafficRuleSummary {
  const settings = asArray(at(object, 'spec', 'rules')).flatMap((rule, index) => {
    const text = settingsText({timeouts: at(rule, 'timeouts'), retry: at(rule, 'retry')});
    return text ? [`rules[${index}]: ${text}`] : [];
  });
  const annotations = Object.entries(asStringMap(object.metadata.annotations))
    .filter(([key]) => key.startsWith('retry.linkerd.io/') || key.startsWith('timeout.linkerd.io/'))
    .map(([key, value]) => `${key}=${value}`);
  if (annotations.length > 0) settings.push(`annotations: ${annotations.join(' ')}`);
  return {resource: refOf(object), host, settings, subsets: [], routedSubsets: []};
}

function attachedToService(route: KubeObject, service: ServiceInfo): boolean {
  return asArray(at(route, 'spec', 'parentRefs')).some((parent) =>
    asString(at(parent, 'kind')) === 'Service' && asString(at(parent, 'name')) === service.name
    && (asString(at(parent, 'namespace')) ?? namespaceOf(route)) === service.namespace
  );
}

/** DestinationRules, VirtualServices and HTTPRoutes for the Services, in that order. */
export function trafficRulesOf(inventory: Inventory, services: readonly ServiceInfo[]): TrafficRuleSummary[] {
  const {ctx} = inventory;
  return services.flatMap((service) => {
    const host = toFqdn(service.name, service.namespace);
    const covers = (pattern: string, object: KubeObject) => hostCovers(toFqdn(pattern, namespaceOf(object)), host);
    return [
      ...ctx.byKind('DestinationRule', NETWORKING_GROUP)
        .filter(({object}) => covers(asString(at(object, 'spec', 'host')) ?? '', object))
        .map(({object}) => destinationRuleOf(object, host, service, inventory)),
      ...ctx.byKind('VirtualService', NETWORKING_GROUP)
        .filter(({object}) => asStrings(at(object, 'spec', 'hosts')).some((pattern) => covers(pattern, object)))
        .map(({object}) => virtualServiceOf(object, host)),
      ...ctx.byKind('HTTPRoute', GATEWAY_API_GROUP).filter(({object}) => attachedToService(object, service))
        .map(({object}) => httpRouteOf(object, host)),
    ];
  });
}
