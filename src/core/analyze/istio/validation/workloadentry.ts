// Istio's validation of WorkloadEntries: an address (an IP, a host name or a unix socket
// path) unless the entry names a network that reaches it, port names and numbers, and
// labels.
import {isIP} from '../query/ip.js';
import {asInteger, asRecord, asString} from '../query/fields.js';
import {labelProblems} from './labels.js';
import {fqdnProblem, isDnsLabel, portNumberProblem} from './names.js';
import {rejected, warned, type Problem} from './problems.js';

const UNIX_PREFIX = 'unix://';

function addressProblems(address: string, hasPorts: boolean): Problem[] {
  const field = ['spec', 'address'];
  if (address.startsWith(UNIX_PREFIX)) {
    const path = address.slice(UNIX_PREFIX.length);
    const problems: Problem[] = [];
    if (path === '') problems.push(rejected('unix address must not be empty', field));
    // `@name` is an abstract socket, which has no path.
    else if (!path.startsWith('@') && (!path.startsWith('/') || path.endsWith('/'))) {
      problems.push(rejected(`${path} is not an absolute path to a file`, field));
    }
    if (hasPorts) problems.push(rejected(`unix endpoint ${address} must not include ports`, ['spec', 'ports']));
    return problems;
  }
  return isIP(address) || !fqdnProblem(address)
    ? []
    : [rejected(`endpoint address "${address}" is not a valid FQDN or an IP address`, field)];
}

export function workloadEntryProblems(spec: Record<string, unknown>): Problem[] {
  const address = asString(spec.address) ?? '';
  const network = asString(spec.network) ?? '';
  if (address === '' && network === '') return [rejected('address is required', ['spec'])];
  const ports = Object.entries(asRecord(spec.ports) ?? {});
  const problems = address === ''
    ? [warned(`address is unset with network "${network}"`, ['spec'])]
    : addressProblems(address, ports.length > 0);
  for (const [name, number] of ports) {
    const field = ['spec', 'ports', name];
    if (!isDnsLabel(name)) problems.push(rejected(`invalid port name: ${name}`, field));
    const numberProblem = portNumberProblem(asInteger(number) ?? 0);
    if (numberProblem) problems.push(rejected(numberProblem, field));
  }
  return [...problems, ...labelProblems(spec.labels, ['spec', 'labels'])];
}
