// MeshNetworks endpoints that name a service registry Istio does not have
// (istioctl's multicluster.MeshNetworksAnalyzer). Known registries are Istio's built-in
// ones and the clusters named by remote secrets (labelled `istio/multiCluster: "true"`).
import type {KubeObject, SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asArray, asRecord, asString, asStringMap, at} from '../../query/fields.js';
import {istioFinding, markAbsent} from '../../finding.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

/** Istio's provider IDs; they compare case-sensitively, so `kubernetes` is not `Kubernetes`. */
const BUILT_IN_REGISTRIES = ['Mock', 'Kubernetes', 'External'];

function knownRegistries(ctx: IstioContext): Set<string> {
  const known = new Set(BUILT_IN_REGISTRIES);
  for (const {object} of ctx.byKind('Secret', '')) {
    if (asStringMap(object.metadata.labels)['istio/multiCluster'] !== 'true') continue;
    // Each key of a remote secret is a cluster ID; the API server folds stringData into data.
    for (const field of ['data', 'stringData']) {
      for (const cluster of Object.keys(asRecord(object[field]) ?? {})) known.add(cluster);
    }
  }
  return known;
}

/** MeshNetworks is not a Kubernetes object; findings name it the way istioctl does. */
function meshNetworksTarget(ctx: IstioContext): SourcedObject {
  const object: KubeObject = {apiVersion: 'mesh.istio.io/v1alpha1', kind: 'MeshNetworks',
    metadata: {name: 'meshnetworks', namespace: ctx.meshConfig.rootNamespace}};
  return {object};
}

export const meshNetworksAnalyzer: IstioAnalyzer = {
  name: 'multicluster.MeshNetworksAnalyzer',
  description: 'MeshNetworks endpoints from an unknown service registry.',
  inputs: [...kinds('', 'Secret')],
  codes: [msg.UnknownMeshNetworksServiceRegistry],
  analyze(ctx) {
    const networks = asRecord(at(ctx.meshNetworks, 'networks'));
    if (!networks) return [];
    const known = knownRegistries(ctx);
    const target = meshNetworksTarget(ctx);
    const findings: Finding[] = [];
    for (const [network, definition] of Object.entries(networks)) {
      for (const endpoint of asArray(at(definition, 'endpoints'))) {
        const registry = asString(at(endpoint, 'fromRegistry'));
        if (registry === undefined || known.has(registry)) continue;
        // Clusters are named by remote secrets in Istio's namespace, which manifests rarely hold.
        findings.push(
          markAbsent(
            istioFinding(msg.UnknownMeshNetworksServiceRegistry, target,
              `Network ${network} takes endpoints from registry "${registry}", which is neither built in (${
                BUILT_IN_REGISTRIES.join(', ')
              }) nor a cluster of a remote secret.`),
            {kind: 'Secret', namespace: ctx.meshConfig.rootNamespace},
          ),
        );
      }
    }
    return findings;
  },
};
