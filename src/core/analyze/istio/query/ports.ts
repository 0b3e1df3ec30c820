// Service ports and Istio's protocol-by-port-name convention.
import type {KubeObject} from '../../../objects.js';
import {asArray, asInteger, asString, at} from './fields.js';

export interface ServicePort {
  name?: string;
  port: number;
  /** TCP unless the Service says otherwise (Kubernetes' default). */
  protocol: string;
  targetPort?: number | string;
}

export function servicePorts(service: KubeObject): ServicePort[] {
  const ports: ServicePort[] = [];
  for (const entry of asArray(at(service, 'spec', 'ports'))) {
    const port = asInteger(at(entry, 'port'));
    if (port === undefined) continue;
    const result: ServicePort = {port, protocol: asString(at(entry, 'protocol')) ?? 'TCP'};
    const name = asString(at(entry, 'name'));
    if (name !== undefined) result.name = name;
    const target = at(entry, 'targetPort');
    if (typeof target === 'number' || typeof target === 'string') result.targetPort = target;
    ports.push(result);
  }
  return ports;
}

const NAMED_PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

/** `http-web` → `HTTP`, `grpc` → `GRPC`; undefined when the name does not follow the convention. */
export function protocolOfPortName(name: string): string | undefined {
  const lower = name.toLowerCase();
  const prefix = NAMED_PROTOCOLS.filter((protocol) => lower === protocol || lower.startsWith(`${protocol}-`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix?.toUpperCase();
}
