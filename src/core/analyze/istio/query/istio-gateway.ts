// Reading Istio `Gateway` objects (networking.istio.io), shared by the gateway and
// virtual service analysers. The Gateway API kind of the same name lives elsewhere.
import type {SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import {asArray, asInteger, asRecord, asString, asStringMap, asStrings, at, specOf} from './fields.js';
import {NETWORKING_GROUP} from './lookup.js';

export interface GatewayServer {
  /** Position in `spec.servers`, for messages. */
  index: number;
  port?: number;
  hosts: string[];
  bind: string;
  tls?: Record<string, unknown>;
}

export function istioGateways(ctx: IstioContext): SourcedObject[] {
  return ctx.byKind('Gateway', NETWORKING_GROUP);
}

export function gatewaySelector(gateway: SourcedObject): Record<string, string> {
  return asStringMap(specOf(gateway.object).selector);
}

export function gatewayServers(gateway: SourcedObject): GatewayServer[] {
  return asArray(specOf(gateway.object).servers).map((server, index) => {
    const result: GatewayServer = {index, hosts: asStrings(at(server, 'hosts')),
      bind: asString(at(server, 'bind')) ?? ''};
    const port = asInteger(at(server, 'port', 'number'));
    if (port !== undefined) result.port = port;
    const tls = asRecord(at(server, 'tls'));
    if (tls) result.tls = tls;
    return result;
  });
}
