// Services that select the same in-mesh Deployment must agree on its ports
// (istioctl's deployment.ServiceAssociationAnalyzer): one port number may carry only one
// protocol, and one target port may be exposed under only one service port.
import type {KubeObject, SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding, METADATA_NAME} from '../../finding.js';
import {servicePorts} from '../../query/ports.js';
import {SelectorIndex} from '../../query/label-index.js';
import {inMesh, podTemplateOf} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

function servicesByNamespace(ctx: IstioContext): Map<string, SelectorIndex<KubeObject>> {
  const indexes = new Map<string, SelectorIndex<KubeObject>>();
  for (const {object} of ctx.byKind('Service', '')) {
    const namespace = namespaceOf(object);
    let index = indexes.get(namespace);
    if (!index) indexes.set(namespace, index = new SelectorIndex());
    index.add(object, asStringMap(at(object, 'spec', 'selector')));
  }
  return indexes;
}

function fullName(service: KubeObject): string {
  return `${namespaceOf(service)}/${nameOf(service)}`;
}

/** Adds `value` under map[outer][inner], creating levels as needed. */
function file<K, I, V>(map: Map<K, Map<I, V[]>>, outer: K, inner: I, value: V): void {
  let level = map.get(outer);
  if (!level) map.set(outer, level = new Map());
  const list = level.get(inner);
  if (list) list.push(value);
  else level.set(inner, [value]);
}

function portConflicts(target: SourcedObject, services: KubeObject[]): Finding[] {
  const protocolsByPort = new Map<number, Map<string, string[]>>();
  const portsByTarget = new Map<string, Map<number, string[]>>();
  for (const service of services) {
    for (const port of servicePorts(service)) {
      file(protocolsByPort, port.port, port.protocol, fullName(service));
      const targetPort = port.targetPort === undefined || port.targetPort === 0 || port.targetPort === ''
        ? String(port.port)
        : String(port.targetPort);
      file(portsByTarget, targetPort, port.port, fullName(service));
    }
  }
  const deployment = nameOf(target.object);
  const findings: Finding[] = [];
  for (const [port, protocols] of [...protocolsByPort].sort(([a], [b]) => a - b)) {
    if (protocols.size < 2) continue;
    const names = [...protocols.values()].flat().sort();
    findings.push(
      istioFinding(msg.DeploymentAssociatedToMultipleServices, target,
        `Deployment ${deployment} is selected by services that use port ${port} with different protocols (${
          names.join(', ')
        }); give the port one protocol.`, METADATA_NAME),
    );
  }
  for (const [targetPort, ports] of [...portsByTarget].sort(([a], [b]) => a.localeCompare(b))) {
    if (ports.size < 2) continue;
    const names = [...new Set([...ports.values()].flat())].sort();
    const numbers = [...ports.keys()].sort((a, b) => a - b);
    findings.push(
      istioFinding(msg.DeploymentConflictingPorts, target,
        `Deployment ${deployment} is selected by services (${
          names.join(', ')
        }) that expose target port ${targetPort} as different ports (${
          numbers.join(', ')
        }); they must use the same port.`, METADATA_NAME),
    );
  }
  return findings;
}

export const serviceAssociationAnalyzer: IstioAnalyzer = {
  name: 'deployment.ServiceAssociationAnalyzer',
  description: 'Deployments that Services select with conflicting port protocols.',
  inputs: [...kinds('', 'Service', 'Namespace'), ...kinds('apps', 'Deployment')],
  codes: [msg.DeploymentAssociatedToMultipleServices, msg.DeploymentConflictingPorts],
  analyze(ctx) {
    const services = servicesByNamespace(ctx);
    const findings: Finding[] = [];
    for (const target of ctx.byKind('Deployment', 'apps')) {
      const template = podTemplateOf(ctx, target.object);
      if (!inMesh(ctx, target.object, template, template.containers)) continue;
      const selecting = services.get(namespaceOf(target.object))?.selecting(template.labels) ?? [];
      findings.push(...portConflicts(target, selecting));
    }
    return findings;
  },
};
