// Istio's validation of AuthorizationPolicies: how they select workloads, CUSTOM action and
// provider going together, rules whose from/to/when entries are present but empty or hold
// malformed values, and the warning that a DENY rule of HTTP attributes only also denies
// all TCP traffic in scope.
import type {FieldPath} from '../../../field-line.js';
import {asArray, asRecord, asString, asStrings} from '../query/fields.js';
import {conditionProblem, emptyValueProblem, ipProblems, pathTemplateProblem, portProblems, serviceAccountProblem,
  trustDomainProblem} from './authorization-values.js';
import {policyTargetProblems} from './policy-target.js';
import {rejected, warned, type Problem} from './problems.js';

type Fields = Record<string, unknown>;

const PLAIN_SOURCE_FIELDS = ['principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks'];
const IP_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const SERVICE_ACCOUNT_FIELDS = ['serviceAccounts', 'notServiceAccounts'];
const TRUST_DOMAIN_FIELDS = ['trustDomains', 'notTrustDomains'];
const PLAIN_SOURCE_FIELDS_BOTH_WAYS = [...PLAIN_SOURCE_FIELDS, ...PLAIN_SOURCE_FIELDS.map(negated)];
const SOURCE_FIELDS = [...PLAIN_SOURCE_FIELDS_BOTH_WAYS, ...SERVICE_ACCOUNT_FIELDS, ...TRUST_DOMAIN_FIELDS];
/** Source fields that a TCP connection carries (all but request principals and trust domains). */
const TCP_SOURCE_FIELDS = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', ...IP_FIELDS,
  ...SERVICE_ACCOUNT_FIELDS];
const OPERATION_FIELDS = ['ports', 'methods', 'paths', 'hosts'].flatMap((key) => [key, negated(key)]);
/** Identity attributes an external authorizer (CUSTOM) does not receive. */
const CUSTOM_UNSUPPORTED_SOURCES = ['namespaces', 'serviceAccounts', 'trustDomains', 'principals', 'requestPrincipals']
  .flatMap((key) => [key, negated(key)]);
const CUSTOM_UNSUPPORTED_KEYS = new Set(['source.namespace', 'source.serviceAccount', 'source.trustDomain',
  'source.principal']);

function negated(key: string): string {
  return `not${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

/** Istio names fields in its messages as Go does: `Principals`, `NotIpBlocks`. */
function goName(key: string): string {
  return `${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

function listed(fields: Fields, key: string): string[] {
  return asStrings(fields[key]);
}

/** Which of `keys` the part sets: an absent list has nothing to judge (a thousand policies' sources add up). */
function setIn(part: Fields, keys: readonly string[]): string[] {
  return keys.filter((key) => part[key] !== undefined);
}

function sourceProblems(source: Fields, index: number, field: FieldPath): Problem[] {
  const count = (keys: string[]) => setIn(source, keys).reduce((sum, key) => sum + listed(source, key).length, 0);
  const problems: Problem[] = [];
  if (count(['principals', 'notPrincipals', 'namespaces', 'notNamespaces']) > 0 && count(SERVICE_ACCOUNT_FIELDS) > 0) {
    problems.push(rejected(`cannot set serviceAccounts with namespaces or principals, found at rule ${index}`, field));
  }
  if (count(SOURCE_FIELDS) === 0) {
    problems.push(rejected(`\`from.source\` must not be empty, found at rule ${index}`, field));
  }
  const texts = [
    ...setIn(source, IP_FIELDS).flatMap((key) => ipProblems(listed(source, key))),
    ...setIn(source, PLAIN_SOURCE_FIELDS_BOTH_WAYS).map((key) => emptyValueProblem(goName(key), listed(source, key))),
    ...setIn(source, SERVICE_ACCOUNT_FIELDS).map((key) => serviceAccountProblem(goName(key), listed(source, key))),
    ...setIn(source, TRUST_DOMAIN_FIELDS).map((key) => trustDomainProblem(goName(key), listed(source, key))),
  ];
  return [...problems, ...texts.filter((text) => text !== undefined).map((text) => rejected(text, field))];
}

function operationProblems(operation: Fields, index: number, field: FieldPath): Problem[] {
  const texts = [
    ...setIn(operation, OPERATION_FIELDS).every((key) => listed(operation, key).length === 0)
      ? [`\`to.operation\` must not be empty, found at rule ${index}`]
      : [],
    ...portProblems(listed(operation, 'ports')),
    ...portProblems(listed(operation, 'notPorts')),
    ...setIn(operation, OPERATION_FIELDS).map((key) => emptyValueProblem(goName(key), listed(operation, key))),
    pathTemplateProblem('Paths', listed(operation, 'paths')),
    pathTemplateProblem('NotPaths', listed(operation, 'notPaths')),
  ];
  return texts.filter((text) => text !== undefined).map((text) => rejected(text, field));
}

function conditionProblems(condition: Fields, field: FieldPath): Problem[] {
  const key = asString(condition.key) ?? '';
  if (key === '') return [rejected('`key` must not be empty', field)];
  const values = asStrings(condition.values);
  const notValues = asStrings(condition.notValues);
  if (values.length === 0 && notValues.length === 0) {
    return [rejected(`at least one of \`values\` or \`notValues\` must be set for key ${key}`, field)];
  }
  const ofValues = conditionProblem(key, values);
  const ofNotValues = conditionProblem(key, notValues);
  return [
    ...(ofValues ? [rejected(`invalid \`value\` for \`key\` ${key}: ${ofValues}`, field)] : []),
    ...(ofNotValues ? [rejected(`invalid \`notValue\` for \`key\` ${key}: ${ofNotValues}`, field)] : []),
  ];
}

/**
 * Entries of `from` (sources) or `to` (operations) must hold their part. (Istio also rejects
 * present but empty lists, which YAML cannot express: `from: []` reaches it as no list.)
 */
function clauseProblems(rule: Fields, clause: 'from' | 'to', index: number, field: FieldPath) {
  const part = clause === 'from' ? 'source' : 'operation';
  const problems: Problem[] = [];
  const parts: Fields[] = [];
  asArray(rule[clause]).forEach((entry, position) => {
    const at = [...field, clause, position];
    const record = asRecord(entry);
    const inner = asRecord(record?.[part]);
    if (!record) problems.push(rejected(`\`${clause}\` must not be nil, found at rule ${index}`, at));
    else if (!inner) problems.push(rejected(`\`${clause}.${part}\` must not be nil, found at rule ${index}`, at));
    else {
      parts.push(inner);
      problems.push(
        ...(clause === 'from'
          ? sourceProblems(inner, index, [...at, part])
          : operationProblems(inner, index, [...at, part])),
      );
    }
  });
  return {problems, parts};
}

function ruleProblems(entry: unknown, index: number, action: string): Problem[] {
  const field = ['spec', 'rules', index];
  const rule = asRecord(entry);
  if (!rule) return [rejected(`\`rule\` must not be nil, found at rule ${index}`, field)];
  const from = clauseProblems(rule, 'from', index, field);
  const to = clauseProblems(rule, 'to', index, field);
  const when = asArray(rule.when).flatMap((condition, position) =>
    conditionProblems(asRecord(condition) ?? {}, [...field, 'when', position])
  );
  const problems = [...from.problems, ...to.problems, ...when];
  const tcpFrom = from.parts.some((source) => TCP_SOURCE_FIELDS.some((key) => listed(source, key).length > 0));
  const tcpTo = to.parts.some((operation) =>
    listed(operation, 'ports').length + listed(operation, 'notPorts').length > 0
  );
  const httpOnly = (from.parts.length > 0 && to.parts.length === 0 && !tcpFrom) || (to.parts.length > 0 && !tcpTo);
  if (action === 'DENY' && httpOnly) {
    problems.push(
      warned(
        'configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port',
        field,
      ),
    );
  }
  return problems;
}

/** What an external authorizer cannot be asked about: source identities and JWT attributes. */
function customRuleProblems(entry: unknown, index: number): Problem[] {
  const field = ['spec', 'rules', index];
  const rule = asRecord(entry) ?? {};
  const sources = asArray(rule.from).flatMap((from, position) => {
    const source = asRecord(asRecord(from)?.source) ?? {};
    return CUSTOM_UNSUPPORTED_SOURCES.filter((key) => listed(source, key).length > 0)
      .map((key) =>
        rejected(`From.${goName(key)} is currently not supported with CUSTOM action`, [...field, 'from', position,
          'source', key])
      );
  });
  const conditions = asArray(rule.when).flatMap((condition, position) => {
    const at = [...field, 'when', position];
    const record = asRecord(condition);
    if (!record) return [rejected('when field cannot be nil', at)];
    const key = asString(record.key) ?? '';
    return CUSTOM_UNSUPPORTED_KEYS.has(key) || key.startsWith('request.auth.')
      ? [rejected(`${key} is currently not supported with CUSTOM action`, at)]
      : [];
  });
  return [...sources, ...conditions];
}

const NEVER_TRIGGERED =
  'action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request';

function actionProblems(spec: Fields, action: string): Problem[] {
  const rules = spec.rules;
  const provider = spec.provider;
  const problems: Problem[] = [];
  if ((action === 'CUSTOM' || action === 'DENY') && !Array.isArray(rules)) {
    problems.push(rejected(`${action} ${NEVER_TRIGGERED}`, ['spec']));
  }
  if (action === 'CUSTOM' && Array.isArray(rules) && (asString(asRecord(provider)?.name) ?? '') === '') {
    problems.push(rejected('`provider.name` must not be empty', ['spec']));
  }
  if (action === 'CUSTOM') problems.push(...asArray(rules).flatMap(customRuleProblems));
  if (provider !== undefined && provider !== null && action !== 'CUSTOM') {
    problems.push(rejected(`\`provider\` must not be with non CUSTOM action, found ${action}`, ['spec', 'provider']));
  }
  return problems;
}

export function authorizationPolicyProblems(spec: Fields): Problem[] {
  const action = asString(spec.action) ?? 'ALLOW';
  return [
    ...policyTargetProblems(spec),
    ...actionProblems(spec, action),
    ...asArray(spec.rules).flatMap((rule, index) => ruleProblems(rule, index, action)),
  ];
}
