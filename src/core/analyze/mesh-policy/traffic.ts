// SM4xxx: traffic rules for what istioctl analyze does not check. Destination hosts and
// subsets that exist nowhere are Istio's IST0101 and stay there; these rules cover the
// VirtualService's own hosts, DestinationRule hosts, subsets hidden by exportTo, weights,
// retry budgets, fault injection and the platform's video profile.
import type {SourcedObject} from '../../objects.js';
import {isExportedTo} from '../istio/query/exportto.js';
import {asArray, asInteger, asRecord, asString, asStrings, at, namespaceOf} from '../istio/query/fields.js';
import {hostCovers, serviceOfFqdn, toFqdn} from '../istio/query/hosts.js';
import {NETWORKING_GROUP} from '../istio/query/lookup.js';
import type {Analyzer, Finding} from '../types.js';
import {defineRule, smFinding} from './finding.js';
import {inventoryOf, type Inventory} from './inventory.js';
import {goDurationNanoseconds} from '../istio/validation/durations.js';
import {kinds} from '../inputs.js';
import {INVENTORY_INPUTS} from './inventory.js';

/** The annotation with which a Service, VirtualService or DestinationRule opts into a platform profile. */
export const PROFILE_ANNOTATION = 'sparc-mesh.io/profile';

export const WEIGHTS_NOT_100 = defineRule('SM4001', 'warning', 'Route weights do not add up to 100',
  'Istio treats weights as relative, so a route whose weights add up to 90 or 110 still works, but the numbers no longer read as percentages and a canary step is not what it says. The platform writes weights as percentages.',
  `Make the weights of every route add up to 100:
    route:
    - destination: {host: checkout, subset: stable}
      weight: 90
    - destination: {host: checkout, subset: canary}
      weight: 10`);
export const SUBSET_NOT_VISIBLE = defineRule('SM4002', 'error',
  'Subset is defined only in a DestinationRule the VirtualService cannot see',
  "The subset exists, but only in DestinationRules whose `exportTo` hides them from the VirtualService's namespace. Istio then has no cluster for the subset and the route fails with 503 (no healthy upstream). (A subset that exists nowhere is Istio's IST0101.)",
  'Export the DestinationRule to the VirtualService\'s namespace (`exportTo: ["*"]` or the namespace name), or define the subsets in a DestinationRule in that namespace.');
export const HOST_NOT_FOUND = defineRule('SM4003', 'warning', 'Routing host matches no Service',
  "A mesh VirtualService's `hosts` entry or a DestinationRule's `host` names a cluster service that does not exist among the Services of its namespace, so the routing or policy never applies. (Route destinations are checked by Istio's IST0101.)",
  'Fix the host name (short name in the same namespace, or `<service>.<namespace>.svc.cluster.local`), or create the Service.');
export const RETRIES_EXCEED_TIMEOUT = defineRule('SM4010', 'warning', 'Retries cannot fit in the route timeout',
  '`retries.attempts × retries.perTryTimeout` is longer than the route `timeout`, so the route times out before the retries are used up and the last attempts never happen.',
  `Shorten perTryTimeout or attempts, or raise the timeout:
    timeout: 3s
    retries: {attempts: 3, perTryTimeout: 1s}`);
export const FAULT_INJECTION_ON = defineRule('SM4020', 'warning', 'Fault injection is switched on',
  'An HTTP route injects delays or aborts. That is for experiments; left in place it fails or slows real requests.',
  'Remove `fault` from the route when the experiment is over.');
export const VIDEO_WITHOUT_CONSISTENT_HASH = defineRule('SM4030', 'error',
  'Video profile without consistent-hash load balancing',
  `Objects annotated \`${PROFILE_ANNOTATION}: video\` belong to the platform's video profile, whose streams need session affinity: the DestinationRule for the host must set \`trafficPolicy.loadBalancer.consistentHash\`.`,
  `Add to the DestinationRule of the host:
    trafficPolicy:
      loadBalancer:
        consistentHash:
          httpHeaderName: x-session-id`);

export const trafficRules = [WEIGHTS_NOT_100, SUBSET_NOT_VISIBLE, HOST_NOT_FOUND, RETRIES_EXCEED_TIMEOUT,
  FAULT_INJECTION_ON, VIDEO_WITHOUT_CONSISTENT_HASH];

const ROUTE_KINDS = ['http', 'tcp', 'tls'] as const;

/** A protobuf/Go duration (`1.5s`, `100ms`, `1m30s`) in milliseconds; undefined when unreadable or negative. */
export function durationMs(value: unknown): number | undefined {
  const nanoseconds = typeof value === 'string' ? goDurationNanoseconds(value.trim()) : undefined;
  return nanoseconds === undefined || nanoseconds < 0n ? undefined : Number(nanoseconds) / 1e6;
}

interface DestinationUse {
  where: string;
  destination: Record<string, unknown>;
}

/** Every destination a VirtualService routes or mirrors to, with its path for messages. */
function destinationsOf(spec: Record<string, unknown>): DestinationUse[] {
  const uses: DestinationUse[] = [];
  const add = (where: string, destination: unknown) => {
    const record = asRecord(destination);
    if (record) uses.push({where, destination: record});
  };
  for (const kind of ROUTE_KINDS) {
    asArray(spec[kind]).forEach((route, routeIndex) => {
      asArray(at(route, 'route')).forEach((entry, index) =>
        add(`${kind}[${routeIndex}].route[${index}]`, at(entry, 'destination'))
      );
      if (kind !== 'http') return;
      add(`http[${routeIndex}].mirror`, at(route, 'mirror'));
      asArray(at(route, 'mirrors')).forEach((entry, index) =>
        add(`http[${routeIndex}].mirrors[${index}]`, at(entry, 'destination'))
      );
    });
  }
  return uses;
}

function weightFindings(target: SourcedObject, spec: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  for (const kind of ROUTE_KINDS) {
    asArray(spec[kind]).forEach((route, index) => {
      const destinations = asArray(at(route, 'route'));
      if (destinations.length < 2) return;
      const total = destinations.reduce<number>((sum, entry) => sum + (asInteger(at(entry, 'weight')) ?? 0), 0);
      if (total !== 100) {
        findings.push(
          smFinding(WEIGHTS_NOT_100, target, `${kind}[${index}].route weights add up to ${total}.`, ['spec', kind,
            index, 'route']),
        );
      }
    });
  }
  return findings;
}

function httpRouteFindings(target: SourcedObject, spec: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  asArray(spec.http).forEach((route, index) => {
    const timeout = durationMs(at(route, 'timeout'));
    const perTry = durationMs(at(route, 'retries', 'perTryTimeout'));
    const attempts = asInteger(at(route, 'retries', 'attempts'));
    if (timeout && perTry !== undefined && attempts !== undefined && attempts * perTry > timeout) {
      findings.push(
        smFinding(RETRIES_EXCEED_TIMEOUT, target,
          `http[${index}]: ${attempts} attempts × ${
            String(at(route, 'retries', 'perTryTimeout'))
          } exceed the timeout of ${String(at(route, 'timeout'))}.`, ['spec', 'http', index, 'retries']),
      );
    }
    const fault = asRecord(at(route, 'fault'));
    if (fault) {
      findings.push(
        smFinding(FAULT_INJECTION_ON, target, `http[${index}] injects faults (${Object.keys(fault).join(', ')}).`, [
          'spec',
          'http',
          index,
          'fault',
        ]),
      );
    }
  });
  return findings;
}

interface DestinationRuleView {
  target: SourcedObject;
  namespace: string;
  host: string;
  subsets: Set<string>;
}

function destinationRules(inventory: Inventory): DestinationRuleView[] {
  return inventory.ctx.byKind('DestinationRule', NETWORKING_GROUP).flatMap((target) => {
    const host = asString(at(target.object, 'spec', 'host'));
    if (!host) return [];
    const namespace = namespaceOf(target.object);
    const subsets = new Set(
      asArray(at(target.object, 'spec', 'subsets')).map((subset) => asString(at(subset, 'name'))).filter((
        name,
      ): name is string => name !== undefined),
    );
    return [{target, namespace, host: toFqdn(host, namespace), subsets}];
  });
}

/** DestinationRules by exact host, plus the wildcard ones, so that finding the rules for a host does not scan them all. */
interface DestinationRuleHosts {
  all: DestinationRuleView[];
  covering(host: string): DestinationRuleView[];
}

function indexByHost(rules: DestinationRuleView[]): DestinationRuleHosts {
  const exact = new Map<string, DestinationRuleView[]>();
  const wildcards: DestinationRuleView[] = [];
  for (const rule of rules) {
    if (rule.host.startsWith('*')) wildcards.push(rule);
    else exact.set(rule.host, [...(exact.get(rule.host) ?? []), rule]);
  }
  return {
    all: rules,
    covering: (host) => [...(exact.get(host) ?? []), ...wildcards.filter((rule) => hostCovers(rule.host, host))],
  };
}

function subsetFindings(target: SourcedObject, spec: Record<string, unknown>, rules: DestinationRuleHosts): Finding[] {
  const namespace = namespaceOf(target.object);
  const findings: Finding[] = [];
  for (const {where, destination} of destinationsOf(spec)) {
    const subset = asString(destination.subset);
    const host = asString(destination.host);
    if (!subset || !host) continue;
    const fqdn = toFqdn(host, namespace);
    const defining = rules.covering(fqdn).filter((rule) => rule.subsets.has(subset));
    if (defining.length === 0) continue;
    const visible = defining.some((rule) =>
      isExportedTo(at(rule.target.object, 'spec', 'exportTo'), rule.namespace, namespace)
    );
    if (!visible) {
      const names = defining.map((rule) => `${rule.namespace}/${rule.target.object.metadata.name ?? ''}`).join(', ');
      findings.push(
        smFinding(SUBSET_NOT_VISIBLE, target,
          `${where} uses subset ${subset} of ${host}, defined only in ${names}, not exported to ${namespace}.`),
      );
    }
  }
  return findings;
}

/** A cluster-local host names a missing Service only when its namespace's Services are known and no ServiceEntry claims it. */
function missingServiceHost(inventory: Inventory, fqdn: string): boolean {
  const service = serviceOfFqdn(fqdn);
  if (!service) return false;
  const known = inventory.servicesIn(service.namespace);
  if (known.length === 0 || known.some((entry) => entry.name === service.name)) return false;
  return !inventory.ctx.byKind('ServiceEntry', NETWORKING_GROUP).some((entry) =>
    asStrings(at(entry.object, 'spec', 'hosts')).some((host) => hostCovers(host, fqdn))
  );
}

function hostFindings(inventory: Inventory, rules: DestinationRuleHosts): Finding[] {
  const findings: Finding[] = [];
  for (const target of inventory.ctx.byKind('VirtualService', NETWORKING_GROUP)) {
    const gateways = asStrings(at(target.object, 'spec', 'gateways'));
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    for (const [index, host] of asArray(at(target.object, 'spec', 'hosts')).entries()) {
      if (typeof host === 'string' && missingServiceHost(inventory, toFqdn(host, namespaceOf(target.object)))) {
        findings.push(
          smFinding(HOST_NOT_FOUND, target, `hosts entry ${host} matches no Service.`, ['spec', 'hosts', index]),
        );
      }
    }
  }
  for (const rule of rules.all) {
    if (missingServiceHost(inventory, rule.host)) {
      findings.push(smFinding(HOST_NOT_FOUND, rule.target, `host ${rule.host} matches no Service.`, ['spec', 'host']));
    }
  }
  return findings;
}

function hasConsistentHash(rule: DestinationRuleView): boolean {
  const policy = at(rule.target.object, 'spec', 'trafficPolicy');
  return asRecord(at(policy, 'loadBalancer', 'consistentHash')) !== undefined
    || asArray(at(policy, 'portLevelSettings')).some((setting) =>
      asRecord(at(setting, 'loadBalancer', 'consistentHash')) !== undefined
    );
}

function isVideo(target: SourcedObject): boolean {
  return target.object.metadata.annotations?.[PROFILE_ANNOTATION] === 'video';
}

/** The hosts a profiled object stands for: a Service's name, a VirtualService's hosts, a DestinationRule's host. */
function profiledHosts(target: SourcedObject): string[] {
  const namespace = namespaceOf(target.object);
  switch (target.object.kind) {
    case 'Service':
      return [toFqdn(target.object.metadata.name ?? '', namespace)];
    case 'VirtualService':
      return asStrings(at(target.object, 'spec', 'hosts')).map((host) => toFqdn(host, namespace));
    default:
      return [];
  }
}

function videoFindings(inventory: Inventory, rules: DestinationRuleHosts): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules.all) {
    if (isVideo(rule.target) && !hasConsistentHash(rule)) {
      findings.push(
        smFinding(VIDEO_WITHOUT_CONSISTENT_HASH, rule.target,
          `host ${rule.host} has no trafficPolicy.loadBalancer.consistentHash.`),
      );
    }
  }
  const profiled = [...inventory.ctx.byKind('Service', ''), ...inventory.ctx.byKind('VirtualService', NETWORKING_GROUP)]
    .filter(isVideo);
  for (const target of profiled) {
    const uncovered = profiledHosts(target).filter((host) => !rules.covering(host).some(hasConsistentHash));
    if (uncovered.length > 0) {
      findings.push(
        smFinding(VIDEO_WITHOUT_CONSISTENT_HASH, target,
          `No DestinationRule with consistentHash for ${uncovered.join(', ')}.`),
      );
    }
  }
  return findings;
}

function analyzeTraffic(inventory: Inventory): Finding[] {
  const rules = indexByHost(destinationRules(inventory));
  const findings: Finding[] = [];
  for (const target of inventory.ctx.byKind('VirtualService', NETWORKING_GROUP)) {
    const spec = asRecord(target.object.spec) ?? {};
    findings.push(...weightFindings(target, spec), ...subsetFindings(target, spec, rules),
      ...httpRouteFindings(target, spec));
  }
  return [...findings, ...hostFindings(inventory, rules), ...videoFindings(inventory, rules)];
}

export const trafficAnalyzer: Analyzer = {
  name: 'sm.traffic',
  description: 'VirtualService and DestinationRule traffic settings that misroute or misbehave.',
  inputs: [...INVENTORY_INPUTS, ...kinds(NETWORKING_GROUP, 'DestinationRule', 'ServiceEntry', 'VirtualService')],
  codes: trafficRules,
  analyze: (input) => analyzeTraffic(inventoryOf(input)),
};
