// The Linkerd layer: a port that a Server describes admits only what an
// AuthorizationPolicy (or a legacy ServerAuthorization) authorizes; other ports follow
// the default inbound policy (pod annotation, namespace annotation, cluster default).
// Every requiredAuthenticationRef must be satisfied. Route-targeted policies allow the
// route's matches only, which become the L7 summary.
import {refOf, type SourcedObject} from '../../objects.js';
import {asArray, asString, asStrings, at, namespaceOf} from '../istio/query/fields.js';
import {matchesLabelSelector} from '../istio/query/selectors.js';
import type {Inventory, Workload} from '../mesh-policy/inventory.js';
import {authenticationRefs, defaultInboundPolicy, isRouteKind, LINKERD_POLICY_GROUP, refFrom, resolveRef,
  serverPortMatches, serverSelects, serversOf, type LinkerdServer,
  type ObjectRef} from '../mesh-policy/linkerd-model.js';
import {spansEveryAddress} from '../mesh-policy/netpol-model.js';
import type {Call, LayerResult, Reason} from './model.js';

export function linkerdIdentity(workload: Workload, trustDomain: string): string {
  return `${workload.serviceAccount}.${workload.namespace}.serviceaccount.identity.linkerd.${trustDomain}`;
}

function identityMatches(pattern: string, identity: string): boolean {
  if (pattern === '*') return true;
  return pattern.startsWith('*.') ? identity.endsWith(pattern.slice(1)) : pattern === identity;
}

/** Whether the caller satisfies one authentication; a reason when it does not. */
function authenticated(inventory: Inventory, call: Call, ref: ObjectRef, trustDomain: string): string | undefined {
  const meshed = call.sourceMesh === 'linkerd';
  if (ref.kind === 'ServiceAccount') {
    return meshed && call.source.serviceAccount === ref.name && call.source.namespace === ref.namespace
      ? undefined
      : `caller is not ServiceAccount ${ref.namespace}/${ref.name}`;
  }
  const target = resolveRef(inventory, ref);
  if (!target) return `${ref.kind} ${ref.namespace}/${ref.name} does not exist`;
  if (ref.kind === 'NetworkAuthentication') {
    const networks = asArray(at(target.object, 'spec', 'networks')).map((network) =>
      asString(at(network, 'cidr')) ?? ''
    );
    return networks.some(spansEveryAddress)
      ? undefined
      : `NetworkAuthentication ${ref.name} names networks whose pod addresses are unknown offline`;
  }
  if (!meshed) return 'caller has no Linkerd proxy, so no mTLS identity';
  const identity = linkerdIdentity(call.source, trustDomain);
  const namespace = namespaceOf(target.object);
  const byName = asStrings(at(target.object, 'spec', 'identities')).some((pattern) =>
    identityMatches(pattern, identity)
  );
  const byRef = asArray(at(target.object, 'spec', 'identityRefs')).some((value) => {
    const identityRef = refFrom(value, namespace);
    if (!identityRef) return false;
    if (identityRef.kind === 'Namespace') return identityRef.name === call.source.namespace;
    return identityRef.kind === 'ServiceAccount' && identityRef.namespace === call.source.namespace
      && (identityRef.name === '*' || identityRef.name === call.source.serviceAccount);
  });
  return byName || byRef ? undefined : `${identity} is not among the identities of MeshTLSAuthentication ${ref.name}`;
}

/** Route matches as text: `GET /orders`, `PathPrefix /api`. */
function routeSummary(route: SourcedObject): string[] {
  const summary = asArray(at(route.object, 'spec', 'rules')).flatMap((rule) =>
    asArray(at(rule, 'matches')).map((match) => {
      const method = asString(at(match, 'method'));
      const path = asString(at(match, 'path', 'value'));
      const type = asString(at(match, 'path', 'type'));
      return [method, path === undefined ? undefined : `${type === 'PathPrefix' ? `${path}*` : path}`].filter(Boolean)
        .join(' ');
    })
  );
  const described = summary.filter((text) => text !== '');
  return described.length > 0 ? described : [`route ${route.object.metadata.name ?? ''}`];
}

/** Whether an HTTPRoute attaches to the Server (parentRefs kind Server). */
function routeAttaches(route: SourcedObject, server: LinkerdServer): boolean {
  return asArray(at(route.object, 'spec', 'parentRefs')).some((value) => {
    const ref = refFrom(value, namespaceOf(route.object));
    return ref?.kind === 'Server' && ref.name === server.name && ref.namespace === server.namespace;
  });
}

function serverName(server: LinkerdServer): string {
  return `${server.namespace}/${server.name}`;
}

function authorizeOnServer(inventory: Inventory, call: Call, server: LinkerdServer, trustDomain: string): LayerResult {
  const reasons: Reason[] = [];
  const l7: string[] = [];
  for (const policy of inventory.lookup.inNamespace('AuthorizationPolicy', server.namespace, LINKERD_POLICY_GROUP)) {
    const target = refFrom(at(policy.object, 'spec', 'targetRef'), server.namespace, LINKERD_POLICY_GROUP);
    if (!target) continue;
    const route = isRouteKind(target.kind) ? resolveRef(inventory, target) : undefined;
    const applies = (target.kind === 'Server' && target.name === server.name)
      || (target.kind === 'Namespace' && target.name === server.namespace)
      || (route !== undefined && routeAttaches(route, server));
    if (!applies) continue;
    const name = `${server.namespace}/${policy.object.metadata.name ?? ''}`;
    const failures = authenticationRefs(policy).map((ref) => authenticated(inventory, call, ref, trustDomain)).filter((
      failure,
    ): failure is string => failure !== undefined);
    if (failures.length > 0) {
      reasons.push({layer: 'linkerd', effect: 'note',
        message: `AuthorizationPolicy ${name} does not apply: ${failures.join('; ')}`, resource: refOf(policy.object)});
      continue;
    }
    if (!route) {
      return {allowed: true,
        reasons: [...reasons, {layer: 'linkerd', effect: 'allow',
          message: `AuthorizationPolicy ${name} authorizes the caller on Server ${serverName(server)}`,
          resource: refOf(policy.object)}]};
    }
    l7.push(...routeSummary(route));
    reasons.push({layer: 'linkerd', effect: 'allow',
      message: `AuthorizationPolicy ${name} authorizes the caller on HTTPRoute ${route.object.metadata.name ?? ''}`,
      resource: refOf(policy.object)});
  }
  for (const legacy of inventory.lookup.inNamespace('ServerAuthorization', server.namespace, LINKERD_POLICY_GROUP)) {
    if (!legacyAuthorizes(legacy, server, call, trustDomain)) continue;
    return {allowed: true,
      reasons: [...reasons, {layer: 'linkerd', effect: 'allow',
        message: `ServerAuthorization ${server.namespace}/${legacy.object.metadata.name ?? ''} authorizes the caller`,
        resource: refOf(legacy.object)}]};
  }
  if (l7.length > 0) return {allowed: true, reasons, l7};
  // Servers (v1beta3) may name their own fallback for unauthorized callers; Linkerd's default there is deny.
  const accessPolicy = asString(at(server.target.object, 'spec', 'accessPolicy')) ?? 'deny';
  if (accessPolicy !== 'deny' && applyDefault(accessPolicy, call)) {
    return {allowed: true,
      reasons: [...reasons, {layer: 'linkerd', effect: 'allow',
        message: `Server ${serverName(server)} accessPolicy ${accessPolicy} admits the caller`,
        resource: refOf(server.target.object)}]};
  }
  return {allowed: false,
    reasons: [...reasons, {layer: 'linkerd', effect: 'deny',
      message: `Server ${serverName(server)} covers the port and nothing authorizes the caller`,
      resource: refOf(server.target.object)}]};
}

/** policy.linkerd.io ServerAuthorization (deprecated, still served): server by name or selector, client by identity or unauthenticated. */
function legacyAuthorizes(authorization: SourcedObject, server: LinkerdServer, call: Call,
  trustDomain: string): boolean
{
  const spec = at(authorization.object, 'spec');
  const name = asString(at(spec, 'server', 'name'));
  const selector = at(spec, 'server', 'selector');
  const serverLabels = server.target.object.metadata.labels ?? {};
  if (name !== undefined ? name !== server.name : !matchesLabelSelector(selector, serverLabels)) return false;
  if (at(spec, 'client', 'unauthenticated') === true) return true;
  if (call.sourceMesh !== 'linkerd') return false;
  const identity = linkerdIdentity(call.source, trustDomain);
  if (asStrings(at(spec, 'client', 'meshTLS', 'identities')).some((pattern) => identityMatches(pattern, identity))) {
    return true;
  }
  return asArray(at(spec, 'client', 'meshTLS', 'serviceAccounts')).some((value) =>
    asString(at(value, 'name')) === call.source.serviceAccount
    && (asString(at(value, 'namespace')) ?? server.namespace) === call.source.namespace
  );
}

/** Linkerd's default policies: who may call a port that no Server describes. */
function applyDefault(policy: string, call: Call): boolean | undefined {
  const meshed = call.sourceMesh === 'linkerd';
  switch (policy) {
    case 'all-unauthenticated':
    case 'cluster-unauthenticated':
    case 'audit':
      return true;
    case 'all-authenticated':
    case 'cluster-authenticated':
      return meshed;
    case 'deny':
      return false;
    default:
      return undefined;
  }
}

export function evaluateLinkerd(inventory: Inventory, call: Call, trustDomain: string,
  clusterDefault: string): LayerResult
{
  const server = serversOf(inventory).find((candidate) =>
    serverSelects(candidate, call.destination) && serverPortMatches(candidate, call.port)
  );
  if (server) return authorizeOnServer(inventory, call, server, trustDomain);
  const {policy, source} = defaultInboundPolicy(inventory, call.destination, clusterDefault);
  const allowed = applyDefault(policy, call);
  if (allowed === undefined) {
    return {allowed: true,
      reasons: [{layer: 'linkerd', effect: 'note',
        message: `unknown default inbound policy ${policy} (${source}); not evaluated`}]};
  }
  const verb = allowed ? 'admits' : 'refuses';
  return {allowed,
    reasons: [{layer: 'linkerd', effect: allowed ? 'allow' : 'deny',
      message: `no Server covers the port; default inbound policy ${policy} (${source}) ${verb} the caller`}]};
}
