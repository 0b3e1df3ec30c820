// Istio picks a Service port's protocol from its appProtocol or its name prefix
// (`http-web`, `grpc`, ...). Ports that say neither get protocol sniffing, and for
// ExternalName services no sniffing happens at all (istioctl's service.PortNameAnalyzer).
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asInteger, asString, asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {protocolOfPortName} from '../../../../protocol.js';
import {isControlPlane, isKubernetesNamespace} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Services that Istio's gateway controllers generate; users do not name their ports. */
const GATEWAY_CONTROLLERS = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller',
  'istio.io-eastwest-controller']);

/** Kubernetes' standard appProtocol values that Istio maps to a protocol. */
const KUBERNETES_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);

/** Ports Istio treats as TCP even when unnamed, because sniffing would break their protocols. */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/** Whether Istio can tell the port's protocol without sniffing. */
function declaresProtocol(port: unknown): boolean {
  const transport = asString(at(port, 'protocol')) ?? 'TCP';
  if (transport === 'UDP' || transport === 'SCTP') return true;
  const appProtocol = asString(at(port, 'appProtocol'));
  if (appProtocol !== undefined && KUBERNETES_APP_PROTOCOLS.has(appProtocol)) return true;
  const label = appProtocol ?? asString(at(port, 'name')) ?? '';
  if (protocolOfPortName(label) !== undefined) return true;
  return WELL_KNOWN_TCP_PORTS.has(asInteger(at(port, 'port')) ?? -1);
}

export const portNameAnalyzer: IstioAnalyzer = {
  name: 'service.PortNameAnalyzer',
  description: 'Service ports whose names give no protocol.',
  inputs: [...kinds('', 'Service')],
  codes: [msg.PortNameIsNotUnderNamingConvention, msg.ExternalNameServiceTypeInvalidPortName],
  analyze(ctx) {
    const findings: Finding[] = [];
    for (const target of ctx.byKind('Service', '')) {
      const service = target.object;
      // Services of Kubernetes itself and of Istio's control plane are not the user's to rename.
      if (isKubernetesNamespace(namespaceOf(service)) || isControlPlane(service)) continue;
      if (GATEWAY_CONTROLLERS.has(asStringMap(service.metadata.labels)['gateway.istio.io/managed'] ?? '')) continue;
      const externalName = asString(at(service, 'spec', 'type')) === 'ExternalName';
      const unforwardable: string[] = [];
      for (const [index, port] of asArray(at(service, 'spec', 'ports')).entries()) {
        const name = asString(at(port, 'name')) ?? '';
        const shown = name === '' ? 'unnamed port' : `port "${name}"`;
        // An ExternalName service has no endpoints to sniff, so even plain `tcp` loses unmatched traffic.
        if (declaresProtocol(port) && !(externalName && name === 'tcp')) continue;
        if (externalName) {
          unforwardable.push(shown);
          continue;
        }
        const number = String(at(port, 'port') ?? '');
        const targetPort = String(at(port, 'targetPort') ?? '');
        findings.push(
          istioFinding(msg.PortNameIsNotUnderNamingConvention, target,
            `The ${shown} (port ${number}, targetPort ${targetPort}) does not follow Istio's <protocol>[-<suffix>] naming, so Istio sniffs its protocol; name it e.g. http-${number} or set appProtocol.`,
            ['spec', 'ports', index, 'port']),
        );
      }
      if (unforwardable.length > 0) {
        // One finding per service, as istioctl gives: the fix (naming ports after their protocol) is the same for all.
        findings.push(
          istioFinding(msg.ExternalNameServiceTypeInvalidPortName, target,
            `ExternalName service ${nameOf(service)} has ports (${
              unforwardable.join(', ')
            }) whose names give no protocol Istio can forward without sniffing; name them after their protocol, e.g. https or tls.`),
        );
      }
    }
    return findings;
  },
};
