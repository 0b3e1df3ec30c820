// Istio's validation of VirtualServices: what the webhook rejects in hosts, gateway names
// and routes. A VirtualService without hosts is a delegate (routes that a root VirtualService
// hands over to), so it is held to the delegate rules instead of being told to add hosts.
// Header, CORS, retry, fault and regex details are not checked here.
import type {FieldPath} from '../../../field-line.js';
import {isIP} from '../query/ip.js';
import {asArray, asInteger, asRecord, asString, asStrings, at} from '../query/fields.js';
import {hostCovers, hostsIntersect} from '../query/hosts.js';
import {MESH_GATEWAY} from '../query/virtualservice-routes.js';
import {fqdnProblem, ipOrCidrProblem, isDnsLabel, portNumberProblem, wildcardDomainProblem} from './names.js';
import {rejected, warned, type Problem} from './problems.js';

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** `ns/name` references; Istio stops at the first one without a namespace. */
export function gatewayNameProblems(names: readonly string[], field: FieldPath): Problem[] {
  const problems: Problem[] = [];
  for (const [index, name] of names.entries()) {
    const place = [...field, index];
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const [short, namespace] = name.split('.');
        problems.push(
          warned(`gateway "${name}" uses the legacy name.namespace form; write it as "${namespace}/${short}"`, place),
        );
      }
      const problem = fqdnProblem(name);
      if (problem) problems.push(rejected(`invalid gateway reference: ${problem}`, place));
      return problems;
    }
    const namespace = name.slice(0, slash);
    const gateway = name.slice(slash + 1);
    if (namespace === '' || gateway === '') {
      problems.push(rejected(`gateway reference "${name}" needs both a namespace and a name`, place));
    }
    if (!isDnsLabel(namespace)) {
      problems.push(rejected(`invalid value for namespace: "${namespace}" is not a DNS label`, place));
    }
    if (!isDnsLabel(gateway)) {
      problems.push(rejected(`invalid value for gateway name: "${gateway}" is not a DNS label`, place));
    }
  }
  return problems;
}

/** Istio's generated SNI names `outbound_.PORT_._.HOST`, accepted on gateway-bound TLS routes. */
function generatedSniProblem(domain: string): string | undefined {
  const parts = domain.split('_');
  if (parts.length < 4) return `"${domain}" does not follow outbound_.<port>_._.<hostname>`;
  if (!/\d/.test(parts[1]?.replace(/^\.+|\.+$/g, '') ?? '')) {
    return `"${domain}" has no port where outbound_.<port>_._.<hostname> needs one`;
  }
  if (!/[a-zA-Z]/.test(parts[3]?.replace(/^\.+|\.+$/g, '') ?? '')) {
    return `"${domain}" has no hostname where outbound_.<port>_._.<hostname> needs one`;
  }
  return undefined;
}

function domainProblem(domain: string, gatewayBound: boolean, sni: boolean): string | undefined {
  if (gatewayBound && sni && domain.startsWith('outbound_') && domain.length <= 255) return generatedSniProblem(domain);
  return wildcardDomainProblem(domain);
}

function destinationProblems(destination: unknown, field: FieldPath): Problem[] {
  const record = asRecord(destination);
  if (!record) return [];
  const problems: Problem[] = [];
  const host = asString(record.host) ?? '';
  const hostProblem = host === '*' ? 'a destination cannot be *' : wildcardDomainProblem(host);
  if (hostProblem) problems.push(rejected(`invalid destination host: ${hostProblem}`, [...field, 'host']));
  const subset = asString(record.subset) ?? '';
  if (subset !== '' && !isDnsLabel(subset)) {
    problems.push(rejected(`subset name is invalid: ${subset}`, [...field, 'subset']));
  }
  if (asRecord(record.port)) {
    const portProblem = portNumberProblem(asInteger(at(record.port, 'number')) ?? 0);
    if (portProblem) problems.push(rejected(`destination ${portProblem}`, [...field, 'port']));
  }
  return problems;
}

/** The weighted destinations of a route: each needs a destination, and a split needs weights. */
function routeDestinationProblems(routes: unknown[], field: FieldPath): Problem[] {
  let total = 0;
  const problems = routes.flatMap((route, index) => {
    const place = [...field, index];
    const record = asRecord(route);
    if (!record) return [rejected('a route destination is null', place)];
    const weight = asInteger(record.weight) ?? 0;
    total += weight;
    return [
      ...(asRecord(record.destination) ? [] : [rejected('destination is required', place)]),
      ...destinationProblems(record.destination, [...place, 'destination']),
      ...(weight < 0 ? [rejected(`weight ${weight} < 0`, [...place, 'weight'])] : []),
    ];
  });
  if (routes.length > 1 && total === 0) {
    problems.push(rejected('total destination weight = 0: a route to several destinations needs weights', field));
  }
  return problems;
}

function percentageProblems(percentage: unknown, what: string, field: FieldPath): Problem[] {
  const value = at(percentage, 'value');
  if (typeof value !== 'number') return [];
  if (value > 100) return [rejected(`${what} must be at most 100 (it is ${value})`, field)];
  if (value < 0) return [rejected(`${what} must be at least 0 (it is ${value})`, field)];
  return [];
}

function mirrorProblems(rule: Record<string, unknown>, field: FieldPath): Problem[] {
  return [
    ...percentageProblems(rule.mirrorPercentage, 'mirrorPercentage', [...field, 'mirrorPercentage']),
    ...destinationProblems(rule.mirror, [...field, 'mirror']),
    ...asArray(rule.mirrors).flatMap((mirror, index) => {
      const place = [...field, 'mirrors', index];
      const record = asRecord(mirror);
      if (!record) return [rejected('a mirror is null', place)];
      if (!asRecord(record.destination)) return [rejected('destination is required for mirrors', place)];
      return [...destinationProblems(record.destination, [...place, 'destination']),
        ...percentageProblems(record.percentage, 'mirror percentage', [...place, 'percentage'])];
    }),
  ];
}

/** What a rule may combine: a root rule only delegates; others route, redirect or respond, one of them. */
function actionProblems(rule: Record<string, unknown>, inDelegate: boolean, field: FieldPath): Problem[] {
  const name = asString(rule.name);
  const label = name ? `root HTTP route ${name}` : 'a root HTTP route';
  const routes = asArray(rule.route).length > 0;
  if (!inDelegate && present(rule.delegate)) {
    return [
      ...(present(rule.redirect)
        ? [rejected(`${label} delegates, so it must not redirect`, [...field, 'redirect'])]
        : []),
      ...(routes ? [rejected(`${label} delegates, so it must not route`, [...field, 'route'])] : []),
    ];
  }
  const problems: Problem[] = [];
  if (inDelegate && present(rule.delegate)) {
    problems.push(rejected("a delegate VirtualService's HTTP route cannot delegate again", [...field, 'delegate']));
  }
  const action = present(rule.redirect) ? 'redirect' : present(rule.directResponse) ? 'directResponse' : undefined;
  if (action) {
    for (const other of ['route', 'fault', 'rewrite', 'directResponse'] as const) {
      const set = other === 'route' ? routes : present(rule[other]);
      if (other !== action && set) {
        problems.push(rejected(`HTTP route cannot combine ${other} with ${action}`, [...field, other]));
      }
    }
  } else if (!routes) {
    problems.push(rejected('HTTP route, redirect or direct_response is required', field));
  }
  if (present(rule.mirror) && asArray(rule.mirrors).length > 0) {
    problems.push(rejected('HTTP route cannot hold both mirror and mirrors', [...field, 'mirrors']));
  }
  return problems;
}

function matchProblems(match: Record<string, unknown>, field: FieldPath): Problem[] {
  const problems: Problem[] = [];
  const port = asInteger(match.port) ?? 0;
  const portProblem = port === 0 ? undefined : portNumberProblem(port);
  if (portProblem) problems.push(rejected(`match ${portProblem}`, [...field, 'port']));
  for (const subnet of asStrings(match.destinationSubnets)) {
    const problem = ipOrCidrProblem(subnet);
    if (problem) problems.push(rejected(problem, [...field, 'destinationSubnets']));
  }
  const sourceNamespace = asString(match.sourceNamespace) ?? '';
  if (sourceNamespace !== '' && !isDnsLabel(sourceNamespace)) {
    problems.push(rejected(`sourceNamespace match ${sourceNamespace} is invalid`, [...field, 'sourceNamespace']));
  }
  return [...problems, ...gatewayNameProblems(asStrings(match.gateways), [...field, 'gateways'])];
}

function httpRuleProblems(rule: unknown, index: number, inDelegate: boolean): Problem[] {
  const field = ['spec', 'http', index];
  const record = asRecord(rule);
  if (!record) return [rejected('an http route is null', field)];
  return [
    ...actionProblems(record, inDelegate, field),
    ...asArray(record.match).flatMap((match, position) => {
      const entry = asRecord(match);
      return entry ? matchProblems(entry, [...field, 'match', position]) : [];
    }),
    ...mirrorProblems(record, field),
    ...routeDestinationProblems(asArray(record.route), [...field, 'route']),
  ];
}

interface VsScope {
  hosts: string[];
  gatewayBound: boolean;
  sni: boolean;
}

function sniHostProblems(sniHost: string, scope: VsScope, field: FieldPath): Problem[] {
  const problem = domainProblem(sniHost, scope.gatewayBound, true);
  if (problem) {
    return isIP(sniHost)
      ? [
        warned(
          `SNI host ${sniHost} is an IP address, which the SNI specification does not allow and most clients do not send`,
          field,
        ),
      ]
      : [rejected(`invalid SNI host: ${problem}`, field)];
  }
  if (scope.hosts.some((host) => hostCovers(host, sniHost))) return [];
  return [
    rejected(`SNI host "${sniHost}" is not within any of the virtual service hosts: [${scope.hosts.join(', ')}]`,
      field),
  ];
}

/** TLS and TCP rules: matches must be valid (TLS ones need SNI hosts) and a route is required. */
function streamRuleProblems(section: 'tls' | 'tcp', rule: unknown, index: number, scope: VsScope): Problem[] {
  const field = ['spec', section, index];
  const record = asRecord(rule);
  if (!record) return [];
  const matches = asArray(record.match);
  const problems: Problem[] = [];
  if (section === 'tls' && matches.length === 0) {
    problems.push(rejected('TLS route must have at least one match condition', field));
  }
  for (const [position, match] of matches.entries()) {
    const place = [...field, 'match', position];
    const entry = asRecord(match);
    if (!entry) {
      problems.push(rejected(`a ${section} match is null`, place));
      continue;
    }
    if (section === 'tls') {
      const sniHosts = asStrings(entry.sniHosts);
      if (sniHosts.length === 0) problems.push(rejected('TLS match must have at least one SNI host', place));
      problems.push(...sniHosts.flatMap((sniHost) => sniHostProblems(sniHost, scope, [...place, 'sniHosts'])));
    }
    problems.push(...matchProblems(entry, place));
  }
  const routes = asArray(record.route);
  if (routes.length === 0) problems.push(rejected(`${section.toUpperCase()} route is required`, field));
  return [...problems, ...routeDestinationProblems(routes, [...field, 'route'])];
}

function hostProblems(scope: VsScope): Problem[] {
  const problems: Problem[] = [];
  for (const [index, host] of scope.hosts.entries()) {
    const field = ['spec', 'hosts', index];
    const problem = domainProblem(host, scope.gatewayBound, scope.sni);
    if (problem && !isIP(host)) problems.push(rejected(`invalid host: ${problem}`, field));
    else if (!problem && !scope.gatewayBound && host === '*') {
      problems.push(rejected('wildcard host * is not allowed for virtual services bound to the mesh gateway', field));
    }
  }
  if (problems.length > 0) return problems;
  // Overlapping hosts (equal, or one wildcard covering the other) are judged only among valid ones.
  for (const [index, host] of scope.hosts.entries()) {
    for (const other of scope.hosts.slice(index + 1)) {
      if (hostsIntersect(host, other)) {
        problems.push(
          rejected(`duplicate hosts in virtual service: ${host} and ${other} overlap`, ['spec', 'hosts', index]),
        );
      }
    }
  }
  return problems;
}

function delegateProblems(spec: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  if (asArray(spec.gateways).length > 0) {
    problems.push(
      rejected('a delegate virtual service (one without hosts) must not name gateways', ['spec', 'gateways']),
    );
  }
  for (const section of ['tls', 'tcp']) {
    if (asArray(spec[section]).length > 0) {
      problems.push(
        rejected(`a delegate virtual service (one without hosts) must not have ${section} routes`, ['spec', section]),
      );
    }
  }
  return problems;
}

export function virtualServiceProblems(spec: Record<string, unknown>): Problem[] {
  const gateways = asStrings(spec.gateways);
  const scope: VsScope = {
    hosts: asStrings(spec.hosts),
    gatewayBound: gateways.length > 0 && !gateways.includes(MESH_GATEWAY),
    sni: asArray(spec.tls).some((rule) =>
      asArray(at(rule, 'match')).some((match) => asArray(at(match, 'sniHosts')).length > 0)
    ),
  };
  const inDelegate = scope.hosts.length === 0;
  const [http, tcp, tls] = [asArray(spec.http), asArray(spec.tcp), asArray(spec.tls)];
  return [
    ...(inDelegate ? delegateProblems(spec) : []),
    ...gatewayNameProblems(gateways, ['spec', 'gateways']),
    ...hostProblems(scope),
    ...(http.length + tcp.length + tls.length === 0
      ? [rejected('http, tcp or tls must be provided in virtual service', ['spec'])]
      : []),
    ...http.flatMap((rule, index) => httpRuleProblems(rule, index, inDelegate)),
    ...tls.flatMap((rule, index) => streamRuleProblems('tls', rule, index, scope)),
    ...tcp.flatMap((rule, index) => streamRuleProblems('tcp', rule, index, scope)),
  ];
}
