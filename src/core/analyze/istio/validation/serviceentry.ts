// Istio's validation of ServiceEntries: hosts, addresses, ports, and what each resolution
// mode needs (DNS without endpoints needs resolvable names, DYNAMIC_DNS wildcard hosts, ...).
// Endpoint details of STATIC entries and exportTo are not checked here.
import type {KubeObject} from '../../../objects.js';
import {asArray, asInteger, asRecord, asString, asStrings, specOf} from '../query/fields.js';
import {isIP} from '../query/ip.js';
import {fqdnProblem, ipOrCidrProblem, isDnsLabel, isHttpProtocol, isKnownProtocol, isPartialWildcard, isTlsProtocol,
  portNumberProblem, wildcardDomainProblem} from './names.js';
import {rejected, warned, type Problem} from './problems.js';
import {checkWorkloadSelector} from './selector.js';

/** The label with which a ServiceEntry opts out of address auto-allocation. */
const AUTO_ALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';
const DYNAMIC_DNS_PROTOCOLS = new Set(['http', 'tls', 'grpc', 'http2']);

interface Entry {
  spec: Record<string, unknown>;
  resolution: string;
  hosts: string[];
  addresses: string[];
  ports: unknown[];
  endpoints: unknown[];
}

/**
 * Whether istiod allocates a virtual IP itself (it does by default, except for resolution
 * NONE, entries that give addresses, and entries labelled out of it).
 */
function allocatesAddress(object: KubeObject, entry: Entry): boolean {
  if (entry.resolution === 'NONE' || entry.addresses.length > 0) return false;
  return (object.metadata.labels?.[AUTO_ALLOCATE_LABEL] ?? '').toLowerCase() !== 'false';
}

function hostProblems(entry: Entry): Problem[] {
  if (entry.hosts.length === 0) return [rejected('service entry must have at least one host', ['spec'])];
  return entry.hosts.flatMap((host, index) => {
    const field = ['spec', 'hosts', index];
    if (host === '*') return [rejected('invalid host *: a ServiceEntry cannot claim every host', field)];
    const problem = wildcardDomainProblem(host);
    return [
      ...(problem ? [rejected(`invalid host: ${problem}`, field)] : []),
      ...(entry.resolution !== 'DYNAMIC_DNS' && isPartialWildcard(host)
        ? [warned(`partial wildcard "${host}" is not allowed`, field)]
        : []),
    ];
  });
}

function addressProblems(entry: Entry): Problem[] {
  const problems = entry.addresses.flatMap((address, index) => {
    const problem = ipOrCidrProblem(address);
    return problem ? [rejected(problem, ['spec', 'addresses', index])] : [];
  });
  if (entry.addresses.some((address) => address.includes('/')) && entry.resolution !== 'NONE'
    && entry.resolution !== 'STATIC')
  {
    problems.push(rejected('CIDR addresses are allowed only with resolution NONE or STATIC', ['spec', 'addresses']));
  }
  return problems;
}

function portProblems(object: KubeObject, entry: Entry): Problem[] {
  const names = new Set<string>();
  const numbers = new Set<number>();
  const allocated = allocatesAddress(object, entry);
  return entry.ports.flatMap((port, index) => {
    const field = ['spec', 'ports', index];
    const record = asRecord(port);
    if (!record) return [rejected('a service entry port is null', field)];
    const name = asString(record.name) ?? '';
    const number = asInteger(record.number) ?? 0;
    const protocol = asString(record.protocol) ?? '';
    const targetPort = asInteger(record.targetPort) ?? 0;
    const problems: Problem[] = [];
    if (names.has(name)) {
      problems.push(rejected(`service entry port name "${name}" is declared twice`, [...field, 'name']));
    }
    if (numbers.has(number)) {
      problems.push(rejected(`service entry port ${number} is declared twice`, [...field, 'number']));
    }
    names.add(name);
    numbers.add(number);
    const targetProblem = targetPort === 0 ? undefined : portNumberProblem(targetPort);
    if (targetProblem) problems.push(rejected(`targetPort: ${targetProblem}`, [...field, 'targetPort']));
    // Case-sensitive, as Istio compares it: `tcp` in lower case does not draw the warning.
    if (entry.addresses.length === 0 && !allocated && (protocol === '' || protocol === 'TCP')) {
      problems.push(
        warned(
          'addresses are required for ports serving TCP (or unset) protocol when IP auto-allocation is not enabled',
          field,
        ),
      );
    }
    if (!isDnsLabel(name)) {
      problems.push(rejected(`invalid port name: "${name}" is not a DNS label`, [...field, 'name']));
    }
    if (protocol !== '' && !isKnownProtocol(protocol)) {
      problems.push(rejected(`unsupported protocol: ${protocol}`, [...field, 'protocol']));
    }
    const numberProblem = portNumberProblem(number);
    if (numberProblem) problems.push(rejected(numberProblem, [...field, 'number']));
    return problems;
  });
}

function dnsProblems(entry: Entry): Problem[] {
  const problems: Problem[] = [];
  if (entry.endpoints.length === 0) {
    // Only the first host that does not resolve is reported.
    const index = entry.hosts.findIndex((host) => fqdnProblem(host) !== undefined);
    if (index >= 0) {
      problems.push(
        rejected(
          `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${entry.resolution}: ${
            fqdnProblem(entry.hosts[index] ?? '')
          }`,
          ['spec', 'hosts', index],
        ),
      );
    }
  }
  if (entry.resolution === 'DNS_ROUND_ROBIN' && entry.endpoints.length > 1) {
    problems.push(rejected(`resolution ${entry.resolution} takes at most one endpoint`, ['spec', 'endpoints']));
  }
  const portNames = new Set(entry.ports.map((port) => asString(asRecord(port)?.name) ?? ''));
  entry.endpoints.forEach((endpoint, index) => {
    const field = ['spec', 'endpoints', index];
    const record = asRecord(endpoint);
    if (!record) {
      problems.push(rejected('an endpoint is null', field));
      return;
    }
    const address = asString(record.address) ?? '';
    if (!isIP(address) && fqdnProblem(address)) {
      problems.push(
        rejected(`endpoint address "${address}" is neither an FQDN nor an IP address`, [...field, 'address']),
      );
    }
    for (const [name, number] of Object.entries(asRecord(record.ports) ?? {})) {
      if (!portNames.has(name)) {
        problems.push(
          rejected(`endpoint port ${String(number)} (${name}) is not a port of the service entry`, [...field, 'ports',
            name]),
        );
      }
    }
  });
  const tcpPort = entry.ports.some((port) =>
    ['tcp', 'https', 'tls', 'mongo', 'redis', 'mysql'].includes(
      (asString(asRecord(port)?.protocol) ?? '').toLowerCase(),
    )
  );
  if (entry.addresses.length > 0 && tcpPort && entry.hosts.length > 1) {
    problems.push(warned('service entry with addresses and a TCP port should have only one host', ['spec', 'hosts']));
  }
  return problems;
}

function dynamicDnsProblems(entry: Entry): Problem[] {
  const mode = entry.resolution;
  const problems: Problem[] = [];
  if (entry.hosts.length === 0) {
    problems.push(rejected(`resolution ${mode} needs at least one wildcard host`, ['spec']));
  }
  entry.hosts.forEach((host, index) => {
    if (!host.startsWith('*')) {
      problems.push(rejected(`host must be wildcarded for resolution mode ${mode}`, ['spec', 'hosts', index]));
    }
  });
  if (entry.addresses.length > 0) {
    problems.push(
      rejected(`addresses cannot be set for resolution ${mode}: routes are generated from the hosts`, ['spec',
        'addresses']),
    );
  }
  if (entry.endpoints.length > 0) {
    problems.push(
      rejected(`endpoints cannot be set for resolution ${mode}: destinations are resolved from the hosts`, ['spec',
        'endpoints']),
    );
  }
  entry.ports.forEach((port, index) => {
    if (!DYNAMIC_DNS_PROTOCOLS.has((asString(asRecord(port)?.protocol) ?? '').toLowerCase())) {
      problems.push(
        rejected(`only HTTP, TLS, GRPC and HTTP2 ports are supported for resolution ${mode}`, ['spec', 'ports', index]),
      );
    }
  });
  return problems;
}

function resolutionProblems(entry: Entry): Problem[] {
  switch (entry.resolution) {
    case 'NONE':
      return [
        ...(entry.endpoints.length > 0
          ? [rejected('no endpoints should be provided for resolution NONE', ['spec', 'endpoints'])]
          : []),
        ...(asRecord(entry.spec.workloadSelector)
          ? [warned('workloadSelector has no effect with resolution NONE', ['spec', 'workloadSelector'])]
          : []),
      ];
    case 'STATIC':
      return entry.endpoints.flatMap((endpoint,
        index) => (asRecord(endpoint) ? [] : [rejected('an endpoint is null', ['spec', 'endpoints', index])])
      );
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      return dnsProblems(entry);
    case 'DYNAMIC_DNS':
      return dynamicDnsProblems(entry);
    default:
      return [rejected(`unsupported resolution type ${entry.resolution}`, ['spec', 'resolution'])];
  }
}

/** Plain TCP cannot tell hosts apart; only resolution NONE ignores them. */
function multipleHostProblems(entry: Entry): Problem[] {
  if (entry.resolution === 'NONE' || entry.hosts.length < 2) return [];
  const opaque = entry.ports.findIndex((port) => {
    const protocol = asString(asRecord(port)?.protocol) ?? '';
    return !isHttpProtocol(protocol) && !isTlsProtocol(protocol);
  });
  return opaque < 0
    ? []
    : [rejected('multiple hosts provided with non-HTTP, non-TLS ports', ['spec', 'ports', opaque])];
}

export function serviceEntryProblems(object: KubeObject): Problem[] {
  const spec = specOf(object);
  const selector = checkWorkloadSelector(spec, 'service entry');
  if (selector.errors.length > 0) return selector.errors;
  const entry: Entry = {
    spec,
    resolution: asString(spec.resolution) ?? 'NONE',
    hosts: asStrings(spec.hosts),
    addresses: asStrings(spec.addresses),
    ports: asArray(spec.ports),
    endpoints: asArray(spec.endpoints),
  };
  return [
    ...selector.warnings,
    ...(asRecord(spec.workloadSelector) && entry.endpoints.length > 0
      ? [rejected('a ServiceEntry takes either workloadSelector or endpoints, not both', ['spec', 'workloadSelector'])]
      : []),
    ...hostProblems(entry),
    ...addressProblems(entry),
    ...portProblems(object, entry),
    ...resolutionProblems(entry),
    ...multipleHostProblems(entry),
  ];
}
