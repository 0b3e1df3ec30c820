// Analysers of Istio Gateways: do they select a workload, does that workload's Service
// expose their ports, do two Gateways claim the same host and port, do their TLS secrets
// exist and hold a usable certificate, do two Gateways serve the same certificate.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asString, asStringMap, at, nameOf, namespaceOf} from '../../query/fields.js';
import {istioFinding, markAbsent, METADATA_NAME} from '../../finding.js';
import {lookup, NETWORKING_GROUP} from '../../query/lookup.js';
import {referenceNotFound} from '../../shared-findings.js';
import {servicePorts} from '../../query/ports.js';
import {matchesLabels, selectorText} from '../../query/selectors.js';
import {gatewaySelector, gatewayServers, istioGateways, type GatewayServer} from '../../query/istio-gateway.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Gateways select their proxies' pods in every namespace. */
const ANY_POD = {kind: 'Pod'};

function fullName(target: SourcedObject): string {
  return `${namespaceOf(target.object)}/${nameOf(target.object)}`;
}

/** TCP ports of the Services that front the pods: the Service port and its numeric target port both count, since a Gateway may name either. */
function workloadServicePorts(ctx: IstioContext, pods: SourcedObject[]): Set<number> {
  const ports = new Set<number>();
  for (const pod of pods) {
    for (const service of lookup(ctx).inNamespace('Service', namespaceOf(pod.object), '')) {
      // A Service without a selector selects every pod of its namespace here, as Kubernetes' label library does.
      if (!matchesLabels(asStringMap(at(service.object, 'spec', 'selector')), pod.object.metadata.labels)) continue;
      for (const port of servicePorts(service.object)) {
        if (port.protocol !== 'TCP') continue;
        ports.add(port.port);
        if (typeof port.targetPort === 'number') ports.add(port.targetPort);
      }
    }
  }
  return ports;
}

const ingressGatewayPort: IstioAnalyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  description: 'Gateway ports that no Service in front of the gateway pods exposes.',
  inputs: [...kinds(NETWORKING_GROUP, 'Gateway'), ...kinds('', 'Pod', 'Service')],
  codes: [msg.ReferencedResourceNotFound, msg.GatewayPortNotDefinedOnService],
  analyze(ctx) {
    return istioGateways(ctx).flatMap((gateway) => {
      const selector = gatewaySelector(gateway);
      const pods = lookup(ctx).podsMatching(undefined, selector);
      if (pods.length === 0) {
        return [referenceNotFound(gateway, 'workload selector', selectorText(selector), undefined, ANY_POD)];
      }
      const offered = workloadServicePorts(ctx, pods);
      // The Services in front of the gateway pods live in the pods' namespace.
      const absent = {kind: 'Service', namespace: namespaceOf(pods[0]!.object)};
      return gatewayServers(gateway)
        .filter((server) => server.port !== undefined && !offered.has(server.port))
        .map((server) =>
          markAbsent(
            istioFinding(msg.GatewayPortNotDefinedOnService, gateway,
              `Port ${server.port} is not exposed by any Service in front of the workload selected by "${
                selectorText(selector)
              }"; traffic to it cannot reach the gateway.`),
            absent,
          )
        );
    });
  },
};

/** Certificate material of a TLS Secret: `cert`/`key` (generic) or `tls.crt`/`tls.key` (kubernetes.io/tls), base64 in `data`. */
function certificateOf(secret: SourcedObject): string | undefined {
  const data = asStringMap(at(secret.object, 'data'));
  const pair = data.cert && data.key ? data.cert : data['tls.crt'] && data['tls.key'] ? data['tls.crt'] : undefined;
  return pair === undefined ? undefined : Buffer.from(pair, 'base64').toString('utf8');
}

/** Parsed and within its validity dates, as far as the context can tell (see `IstioContext.readCertificate`). */
function isUsableCertificate(pem: string, ctx: IstioContext): boolean {
  if (!ctx.readCertificate) return true;
  const validity = ctx.readCertificate(pem);
  if (!validity) return false;
  return !ctx.now || (ctx.now >= validity.notBefore && ctx.now <= validity.notAfter);
}

/** `name` in the gateway workload's namespace, or an explicit `namespace/name`. */
function findSecret(ctx: IstioContext, credentialName: string, workloadNamespace: string): SourcedObject | undefined {
  const slash = credentialName.indexOf('/');
  const [namespace, name] = slash === -1
    ? [workloadNamespace, credentialName]
    : [credentialName.slice(0, slash), credentialName.slice(slash + 1)];
  return lookup(ctx).get('Secret', namespace, name, '');
}

const secret: IstioAnalyzer = {
  name: 'gateway.SecretAnalyzer',
  description: 'Gateway TLS secrets that are missing or unusable.',
  inputs: [...kinds(NETWORKING_GROUP, 'Gateway'), ...kinds('', 'Pod', 'Secret')],
  codes: [msg.ReferencedResourceNotFound, msg.InvalidGatewayCredential],
  analyze(ctx) {
    return istioGateways(ctx).flatMap((gateway): Finding[] => {
      const selector = gatewaySelector(gateway);
      // Secrets are read where the gateway workload runs, not where the Gateway object lives.
      const workload = lookup(ctx).podsMatching(undefined, selector)[0];
      if (!workload) {
        return [referenceNotFound(gateway, 'workload selector', selectorText(selector), undefined, ANY_POD)];
      }
      const workloadNamespace = namespaceOf(workload.object);
      return gatewayServers(gateway).flatMap((server): Finding[] => {
        const credentialName = asString(server.tls?.credentialName);
        if (!credentialName) return [];
        const found = findSecret(ctx, credentialName, workloadNamespace);
        if (!found) {
          return [
            referenceNotFound(gateway, 'TLS secret (credentialName)', credentialName, undefined, {kind: 'Secret',
              namespace: workloadNamespace}),
          ];
        }
        const pem = certificateOf(found);
        if (pem !== undefined && isUsableCertificate(pem, ctx)) return [];
        return [
          istioFinding(msg.InvalidGatewayCredential, gateway,
            `The TLS secret "${credentialName}" in namespace ${workloadNamespace} holds no usable certificate and key (missing keys, unparsable or out-of-date certificate).`),
        ];
      });
    });
  },
};

/** Two servers on the same port conflict when they claim an identical host with the same bind address. */
function serversConflict(a: GatewayServer, b: GatewayServer): boolean {
  return a.bind === b.bind && a.hosts.some((host) => b.hosts.includes(host));
}

function isSubset(small: Record<string, string>, large: Record<string, string>): boolean {
  return Object.entries(small).every(([key, value]) => large[key] === value);
}

/** Gateways whose selectors pick the same proxies: equal selectors, or nested ones that some pod satisfies together. */
function shareWorkload(ctx: IstioContext, a: Record<string, string>, b: Record<string, string>): boolean {
  if (selectorText(a) === selectorText(b)) return true;
  const wider = isSubset(a, b) ? b : isSubset(b, a) ? a : undefined;
  return wider !== undefined && lookup(ctx).podsMatching(undefined, wider).length > 0;
}

const conflictingGateway: IstioAnalyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  description: 'Gateways on one workload that claim the same port and host.',
  inputs: [...kinds(NETWORKING_GROUP, 'Gateway'), ...kinds('', 'Pod')],
  codes: [msg.ReferencedResourceNotFound, msg.ConflictingGateways],
  analyze(ctx) {
    const gateways = istioGateways(ctx);
    return gateways.flatMap((gateway) => {
      const selector = gatewaySelector(gateway);
      const peers = gateways.filter((other) =>
        other !== gateway && shareWorkload(ctx, selector, gatewaySelector(other))
      );
      // Istio's version of this check only fires for Gateways without servers; a selector that picks no
      // pod is the honest test, and it yields the same message the other gateway analysers give.
      if (Object.keys(selector).length > 0 && lookup(ctx).podsMatching(undefined, selector).length === 0) {
        return [referenceNotFound(gateway, 'workload selector', selectorText(selector), undefined, ANY_POD)];
      }
      return gatewayServers(gateway).flatMap((server) => {
        const rivals = peers.filter((other) =>
          gatewayServers(other).some((theirs) =>
            (theirs.port ?? 0) === (server.port ?? 0) && serversConflict(server, theirs)
          )
        );
        if (rivals.length === 0) return [];
        return [
          istioFinding(msg.ConflictingGateways, gateway,
            `Port ${server.port ?? 0} with hosts ${server.hosts.join(',')} on workloads "${
              selectorText(selector)
            }" is also claimed by ${rivals.map(fullName).sort().join(',')}; only one of them takes effect.`),
        ];
      });
    });
  },
};

function sameCertificate(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const [nameA, nameB] = [asString(a.credentialName) ?? '', asString(b.credentialName) ?? ''];
  if (nameA !== '' || nameB !== '') return nameA !== '' && nameA === nameB;
  const [certA, certB] = [asString(a.serverCertificate) ?? '', asString(b.serverCertificate) ?? ''];
  const [keyA, keyB] = [asString(a.privateKey) ?? '', asString(b.privateKey) ?? ''];
  return certA !== '' && certA === certB && keyA !== '' && keyA === keyB;
}

const certificate: IstioAnalyzer = {
  name: 'gateway.CertificateAnalyzer',
  description: 'Gateways on one workload that serve the same certificate.',
  inputs: [...kinds(NETWORKING_GROUP, 'Gateway'), ...kinds('', 'Pod')],
  codes: [msg.GatewayDuplicateCertificate],
  analyze(ctx) {
    const gateways = istioGateways(ctx);
    return gateways.flatMap((gateway) => {
      const selector = gatewaySelector(gateway);
      // Another Gateway shares our proxies when its selector includes every label of ours (an empty one: all of them).
      const peers = gateways.filter((other) => other !== gateway && isSubset(selector, gatewaySelector(other)));
      const tlsOf = (target: SourcedObject) =>
        gatewayServers(target).flatMap((server) => (server.tls ? [server.tls] : []));
      const ours = tlsOf(gateway);
      return peers.filter((other) => tlsOf(other).some((theirs) => ours.some((mine) => sameCertificate(mine, theirs))))
        .map((other) =>
          istioFinding(msg.GatewayDuplicateCertificate, gateway,
            `Gateways ${fullName(gateway)} and ${
              fullName(other)
            } serve the same certificate on the same workload; clients may get the wrong server's routes (HTTP 404).`,
            METADATA_NAME)
        );
    });
  },
};

export const gatewayAnalyzers: IstioAnalyzer[] = [ingressGatewayPort, secret, conflictingGateway, certificate];
