// The Istio layer: the callee's mTLS mode decides whether the call carries the
// caller's identity (or is refused, STRICT against a caller without sidecar); then
// AuthorizationPolicy in Istio's order: CUSTOM, DENY, ALLOW. No ALLOW policy on the
// callee means allow; with one, some ALLOW rule must match.
//
// Offline limits, on purpose: pod IPs are unknown (ipBlocks match only when they span
// every address), calls between services carry no JWT (requestPrincipals never match),
// and HTTP fields (methods, paths, hosts, `when`) do not decide but become the L7 summary.
import {refOf} from '../../objects.js';
import {asArray, asRecord, asString, asStrings} from '../istio/query/fields.js';
import {authzIndexOf, operationsOf, sourcesOf, type IstioAuthorizationPolicy} from '../mesh-policy/istio-authz.js';
import {mtlsIndexOf} from '../mesh-policy/istio-mtls.js';
import type {Inventory, Workload} from '../mesh-policy/inventory.js';
import {spansEveryAddress} from '../mesh-policy/netpol-model.js';
import {memoOn, type MemoTable} from './memo.js';
import type {Call, LayerResult, Reason} from './model.js';

/** What the callee sees of the caller: identity only over mTLS. */
interface Peer {
  principal?: string;
  namespace?: string;
}

/** Istio's string match: exact, `*`, `prefix*` or `*suffix`. An absent value matches nothing, not even `*`. */
function matchesPattern(value: string | undefined, pattern: string): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

function listMatches(source: Record<string, unknown>, positive: string, negative: string,
  value: string | undefined): boolean
{
  const wanted = asStrings(source[positive]);
  const unwanted = asStrings(source[negative]);
  if (wanted.length > 0 && !wanted.some((pattern) => matchesPattern(value, pattern))) return false;
  return !unwanted.some((pattern) => matchesPattern(value, pattern));
}

function sourceMatches(source: Record<string, unknown>, peer: Peer): boolean {
  const blocks = [...asStrings(source.ipBlocks), ...asStrings(source.remoteIpBlocks)];
  if (blocks.length > 0 && !blocks.some(spansEveryAddress)) return false;
  if ([...asStrings(source.notIpBlocks), ...asStrings(source.notRemoteIpBlocks)].some(spansEveryAddress)) return false;
  if (asStrings(source.requestPrincipals).length > 0) return false;
  return listMatches(source, 'principals', 'notPrincipals', peer.principal)
    && listMatches(source, 'namespaces', 'notNamespaces', peer.namespace);
}

/** The L7 part of an operation as text (`GET,POST /orders*`), or undefined when it has none. */
function describeOperation(operation: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const list = (field: string, prefix = '') => {
    const values = asStrings(operation[field]);
    if (values.length > 0) parts.push(`${prefix}${values.join(',')}`);
  };
  list('hosts', 'host ');
  list('notHosts', 'host not ');
  list('methods');
  list('notMethods', 'not ');
  list('paths');
  list('notPaths', 'not ');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** Ports are strings in Istio's API; numbers written in YAML are read the same way. */
function portList(value: unknown): string[] {
  return asArray(value).filter((entry) => typeof entry === 'string' || typeof entry === 'number').map(String);
}

function portMatches(operation: Record<string, unknown>, port: number): boolean {
  const ports = portList(operation.ports);
  if (ports.length > 0 && !ports.includes(String(port))) return false;
  return !portList(operation.notPorts).includes(String(port));
}

interface RuleMatch {
  /** Undefined: the rule matches every request of the call; otherwise the operations it is limited to. */
  l7?: string[];
}

function ruleMatches(rule: Record<string, unknown>, peer: Peer, port: number): RuleMatch | undefined {
  const sources = sourcesOf(rule);
  if (asArray(rule.from).length > 0 && !sources.some((source) => sourceMatches(source, peer))) return undefined;
  const limits: string[] = [];
  if (asArray(rule.to).length > 0) {
    const operations = operationsOf(rule).filter((operation) => portMatches(operation, port));
    if (operations.length === 0) return undefined;
    const described = operations.map(describeOperation);
    if (!described.includes(undefined)) limits.push(...described.filter((text): text is string => text !== undefined));
  }
  const conditions = asArray(rule.when).map((condition) => asString(asRecord(condition)?.key)).filter((
    key,
  ): key is string => key !== undefined);
  if (conditions.length > 0) {
    const when = `when ${conditions.join(', ')}`;
    if (limits.length === 0) limits.push(when);
    else limits.forEach((limit, index) => (limits[index] = `${limit} ${when}`));
  }
  return limits.length > 0 ? {l7: limits} : {};
}

function policyName(policy: IstioAuthorizationPolicy): string {
  return `${policy.namespace}/${policy.target.object.metadata.name ?? ''}`;
}

function reason(effect: Reason['effect'], message: string, policy?: IstioAuthorizationPolicy): Reason {
  const result: Reason = {layer: 'istio-authz', effect, message};
  if (policy) result.resource = refOf(policy.target.object);
  return result;
}

function matchesOf(policy: IstioAuthorizationPolicy, peer: Peer, port: number): RuleMatch[] {
  return policy.rules.map((rule) => ruleMatches(rule, peer, port)).filter((match): match is RuleMatch =>
    match !== undefined
  );
}

const NO_ALLOW_POLICY = reason('allow', 'no ALLOW policy selects the callee');
const calleeReasons: MemoTable<Workload, Reason> = new WeakMap();

function authorize(inventory: Inventory, call: Call, peer: Peer): LayerResult {
  const policies = authzIndexOf(inventory).selecting(call.destination);
  const reasons: Reason[] = [];
  for (const policy of policies.filter((entry) => entry.action === 'CUSTOM')) {
    reasons.push(
      reason('note', `CUSTOM policy ${policyName(policy)} asks an external authorizer (not evaluated)`, policy),
    );
  }
  for (const policy of policies.filter((entry) => entry.action === 'DENY')) {
    for (const match of matchesOf(policy, peer, call.port.port)) {
      if (!match.l7) {
        return {allowed: false,
          reasons: [...reasons, reason('deny', `DENY policy ${policyName(policy)} matches`, policy)]};
      }
      reasons.push(reason('note', `DENY policy ${policyName(policy)} refuses ${match.l7.join('; ')}`, policy));
    }
  }
  const allowPolicies = policies.filter((entry) => entry.action === 'ALLOW');
  if (allowPolicies.length === 0) return {allowed: true, reasons: [...reasons, NO_ALLOW_POLICY]};
  const l7: string[] = [];
  for (const policy of allowPolicies) {
    for (const match of matchesOf(policy, peer, call.port.port)) {
      if (!match.l7) {
        return {allowed: true,
          reasons: [...reasons, reason('allow', `ALLOW policy ${policyName(policy)} matches`, policy)]};
      }
      l7.push(...match.l7);
      reasons.push(reason('allow', `ALLOW policy ${policyName(policy)} allows ${match.l7.join('; ')}`, policy));
    }
  }
  if (l7.length > 0) return {allowed: true, reasons, l7};
  const noMatch = memoOn(calleeReasons, call.destination, 'no ALLOW rule matches',
    () =>
      reason('deny', `no rule of the ALLOW policies (${allowPolicies.map(policyName).join(', ')}) matches the caller`));
  return {allowed: false, reasons: [...reasons, noMatch]};
}

const mtlsReasons: MemoTable<Workload, Reason> = new WeakMap();
const peers: MemoTable<Workload, Peer> = new WeakMap();

/** What the callee's mTLS mode says about a call: refused, plain text, or mTLS with identity. */
function mtlsReason(inventory: Inventory, call: Call, outcome: 'refused' | 'plain' | 'secured'): Reason {
  const mtls = mtlsIndexOf(inventory).forWorkload(call.destination, call.port.port);
  return memoOn(mtlsReasons, call.destination, `${call.port.port} ${outcome}`, () => {
    const by = mtls.decidedBy
      ? ` (PeerAuthentication ${mtls.decidedBy.object.metadata.namespace ?? ''}/${
        mtls.decidedBy.object.metadata.name ?? ''
      })`
      : ' (Istio default)';
    const message = {
      refused: 'mTLS STRICT and the caller has no Istio sidecar',
      plain: `mTLS ${mtls.mode}, plain text without caller identity`,
      secured: `mTLS ${mtls.mode}, caller identity known`,
    }[outcome];
    const reason: Reason = {layer: 'mtls',
      effect: {refused: 'deny', plain: 'note', secured: 'allow'}[outcome] as Reason['effect'],
      message: `${message}${by}`};
    if (mtls.decidedBy) reason.resource = refOf(mtls.decidedBy.object);
    return reason;
  });
}

export function evaluateIstio(inventory: Inventory, call: Call, trustDomain: string): LayerResult {
  const mode = mtlsIndexOf(inventory).forWorkload(call.destination, call.port.port).mode;
  const callerHasSidecar = call.sourceMesh === 'istio';
  if (mode === 'STRICT' && !callerHasSidecar) {
    return {allowed: false, reasons: [mtlsReason(inventory, call, 'refused')]};
  }
  const secured = callerHasSidecar && mode !== 'DISABLE';
  const {source} = call;
  const peer: Peer = secured
    ? memoOn(peers, source, trustDomain,
      () => ({principal: `${trustDomain}/ns/${source.namespace}/sa/${source.serviceAccount}`,
        namespace: source.namespace}))
    : {};
  const result = authorize(inventory, call, peer);
  return {...result, reasons: [mtlsReason(inventory, call, secured ? 'secured' : 'plain'), ...result.reasons]};
}
