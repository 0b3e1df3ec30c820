// The ports of a Kubernetes Service (spec.ports), as the analysers read them.
import type {KubeObject} from '../../../objects.js';
import {asArray, asInteger, asString, at} from './fields.js';

/** One entry of a Kubernetes Service's spec.ports (the service config's ServicePort is another thing). */
export interface KubeServicePort {
  name?: string;
  port: number;
  /** TCP unless the Service says otherwise (Kubernetes' default). */
  protocol: string;
  targetPort?: number | string;
}

export function servicePorts(service: KubeObject): KubeServicePort[] {
  const ports: KubeServicePort[] = [];
  for (const entry of asArray(at(service, 'spec', 'ports'))) {
    const port = asInteger(at(entry, 'port'));
    if (port === undefined) continue;
    const result: KubeServicePort = {port, protocol: asString(at(entry, 'protocol')) ?? 'TCP'};
    const name = asString(at(entry, 'name'));
    if (name !== undefined) result.name = name;
    const target = at(entry, 'targetPort');
    if (typeof target === 'number' || typeof target === 'string') result.targetPort = target;
    ports.push(result);
  }
  return ports;
}
