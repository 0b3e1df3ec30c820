// SM105x: ingress gateways (part of the zero-trust area). Istio Gateways must name their
// hosts and serve HTTPS (or redirect to it); Gateway API listeners that serve plain HTTP
// must only redirect, through their HTTPRoutes, to HTTPS.
import {asArray, asString, asStrings, at, namespaceOf} from '../istio/query/fields.js';
import {GATEWAY_API_GROUP, NETWORKING_GROUP} from '../istio/query/lookup.js';
import type {Finding} from '../types.js';
import {defineRule, smFinding} from './finding.js';
import type {Inventory} from './inventory.js';

export const GATEWAY_WILDCARD_HOST = defineRule('SM1050', 'warning', 'Gateway accepts any host',
  'A Gateway server with host `*` accepts requests for every name that resolves to the ingress, so any VirtualService bound to it (from any namespace it is exported to) can claim any host.',
  'List the public host names, e.g. `hosts: ["shop.example.com"]`.');
export const GATEWAY_PLAIN_HTTP = defineRule('SM1051', 'warning', 'Gateway serves plain HTTP',
  'An HTTP server on an Istio Gateway without `tls.httpsRedirect: true`, or an HTTP listener of a Gateway API Gateway with an HTTPRoute that does not redirect to HTTPS, serves requests unencrypted.',
  `Gateway API: attach to the HTTP listener only an HTTPRoute whose rules use a \`RequestRedirect\` filter with \`scheme: https\`, and the application routes to the HTTPS listener (\`sectionName\`).
Istio Gateway: redirect to HTTPS and serve TLS on 443:
    servers:
    - port: {number: 80, name: http, protocol: HTTP}
      hosts: ["shop.example.com"]
      tls: {httpsRedirect: true}
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: ["shop.example.com"]
      tls: {mode: SIMPLE, credentialName: shop-cert}`);
export const gatewayRules = [GATEWAY_WILDCARD_HOST, GATEWAY_PLAIN_HTTP];

function istioGatewayFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  for (const target of inventory.ctx.byKind('Gateway', NETWORKING_GROUP)) {
    asArray(at(target.object, 'spec', 'servers')).forEach((server, index) => {
      const wildcard = asStrings(at(server, 'hosts')).filter((host) => host === '*' || host.endsWith('/*'));
      if (wildcard.length > 0) {
        findings.push(
          smFinding(GATEWAY_WILDCARD_HOST, target, `servers[${index}] accepts host ${wildcard.join(', ')}.`, ['spec',
            'servers', index, 'hosts']),
        );
      }
      const protocol = asString(at(server, 'port', 'protocol'))?.toUpperCase();
      if (protocol === 'HTTP' && at(server, 'tls', 'httpsRedirect') !== true) {
        findings.push(
          smFinding(GATEWAY_PLAIN_HTTP, target,
            `servers[${index}] serves HTTP on port ${String(at(server, 'port', 'number'))} without httpsRedirect.`, [
            'spec',
            'servers',
            index,
            'port',
          ]),
        );
      }
    });
  }
  return findings;
}

/** An HTTPRoute rule that only redirects to HTTPS serves nothing in plain text. */
function redirectsToHttps(rule: unknown): boolean {
  return asArray(at(rule, 'filters')).some((filter) =>
    asString(at(filter, 'type')) === 'RequestRedirect'
    && asString(at(filter, 'requestRedirect', 'scheme'))?.toLowerCase() === 'https'
  );
}

/** HTTPRoutes attached to a Gateway API listener: parentRefs naming the Gateway, and the listener's section or port if they name one. */
function attachedRoutes(inventory: Inventory, gatewayNamespace: string, gatewayName: string, listener: unknown) {
  const sectionName = asString(at(listener, 'name'));
  const port = at(listener, 'port');
  return inventory.ctx.byKind('HTTPRoute', GATEWAY_API_GROUP).filter((route) =>
    asArray(at(route.object, 'spec', 'parentRefs')).some((parent) =>
      (asString(at(parent, 'kind')) ?? 'Gateway') === 'Gateway'
      && asString(at(parent, 'name')) === gatewayName
      && (asString(at(parent, 'namespace')) ?? namespaceOf(route.object)) === gatewayNamespace
      && (at(parent, 'sectionName') === undefined || at(parent, 'sectionName') === sectionName)
      && (at(parent, 'port') === undefined || at(parent, 'port') === port)
    )
  );
}

function gatewayApiFindings(inventory: Inventory): Finding[] {
  const findings: Finding[] = [];
  for (const target of inventory.ctx.byKind('Gateway', GATEWAY_API_GROUP)) {
    const namespace = namespaceOf(target.object);
    asArray(at(target.object, 'spec', 'listeners')).forEach((listener, index) => {
      if (asString(at(listener, 'protocol'))?.toUpperCase() !== 'HTTP') return;
      const serving = attachedRoutes(inventory, namespace, target.object.metadata.name ?? '', listener)
        .filter((route) => !asArray(at(route.object, 'spec', 'rules')).every(redirectsToHttps));
      if (serving.length === 0) return;
      const routes = serving.map((route) => `${namespaceOf(route.object)}/${route.object.metadata.name ?? ''}`).join(
        ', ',
      );
      findings.push(
        smFinding(GATEWAY_PLAIN_HTTP, target,
          `listeners[${index}] serves plain HTTP on port ${
            String(at(listener, 'port'))
          } through HTTPRoute ${routes}, which does not only redirect to HTTPS.`),
      );
    });
  }
  return findings;
}

export function gatewayFindings(inventory: Inventory): Finding[] {
  return [...istioGatewayFindings(inventory), ...gatewayApiFindings(inventory)];
}
