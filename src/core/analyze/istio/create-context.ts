// Builds the IstioContext that analysers read, the way istioctl analyze prepares an
// offline run: mesh config defaults under whatever the user gave, and a stand-in
// ingress gateway (Service + Pod) so that Gateways selecting `istio: ingressgateway`
// are not reported as selecting nothing just because the files hold no Istio install.
import type {KubeObject, SourcedObject} from '../../objects.js';
import type {IstioContext, MeshConfig, ReadCertificateValidity} from './context.js';
import {asRecord, asString} from './query/fields.js';
import {useLookup} from './query/lookup.js';
import {indexObjects, withObjects, type ObjectIndex} from './query/object-index.js';

export interface IstioContextOptions {
  /** A MeshConfig document (the `mesh` key of the `istio` ConfigMap), merged over the defaults. */
  meshConfig?: Record<string, unknown>;
  meshNetworks?: Record<string, unknown>;
  /** Add the stand-in ingress gateway Service and Pod (default true; Istio skips it when ingressControllerMode is OFF). */
  addDefaultIngressGateway?: boolean;
  /** Passed through to `IstioContext.now`. */
  now?: Date;
  /** Passed through to `IstioContext.readCertificate`. */
  readCertificate?: ReadCertificateValidity;
}

/** Istio's install namespace, where istioctl places its stand-in ingress gateway. */
export const ISTIO_NAMESPACE = 'istio-system';

const MESH_DEFAULTS: Record<string, unknown> = {
  rootNamespace: ISTIO_NAMESPACE,
  ingressService: 'istio-ingressgateway',
  ingressControllerMode: 'STRICT',
  ingressClass: 'istio',
  trustDomain: 'cluster.local',
  defaultConfig: {},
};

const synthetic = new WeakSet<KubeObject>();

/** True for the stand-in objects added here; findings about them are not the user's problem. */
export function isSynthetic(object: KubeObject): boolean {
  return synthetic.has(object);
}

function mergeOver(defaults: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {...defaults};
  for (const [key, value] of Object.entries(given)) {
    const base = asRecord(defaults[key]);
    const override = asRecord(value);
    merged[key] = base && override ? mergeOver(base, override) : value;
  }
  return merged;
}

function meshConfigOf(given: Record<string, unknown> | undefined): MeshConfig {
  const raw = mergeOver(MESH_DEFAULTS, given ?? {});
  return {
    rootNamespace: asString(raw.rootNamespace) || ISTIO_NAMESPACE,
    ingressService: asString(raw.ingressService) || 'istio-ingressgateway',
    raw,
  };
}

function standInIngress(serviceName: string): KubeObject[] {
  const labels = {istio: 'ingressgateway'};
  const port = (name: string, number: number) => ({name, port: number, protocol: 'TCP', targetPort: number});
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: `${serviceName}-standin`, namespace: ISTIO_NAMESPACE, labels},
      spec: {containers: [{name: 'istio-proxy'}]},
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: serviceName, namespace: ISTIO_NAMESPACE},
      spec: {selector: labels, ports: [port('http2', 80), port('https', 443), port('tcp', 31400), port('tls', 15443)]},
    },
  ];
}

function sameIdentity(a: KubeObject, b: KubeObject): boolean {
  return a.kind === b.kind && a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
}

/**
 * The context over `input`: the objects, or their index when other readers of the same input
 * share it (the index is then not rebuilt; the stand-in ingress gateway is added as a layer).
 */
export function createIstioContext(input: readonly SourcedObject[] | ObjectIndex,
  options: IstioContextOptions = {}): IstioContext
{
  const index = 'lookup' in input ? input : indexObjects(input);
  const meshConfig = meshConfigOf(options.meshConfig);
  const wantsIngress = (options.addDefaultIngressGateway ?? true) && meshConfig.raw.ingressControllerMode !== 'OFF';
  const standIns: SourcedObject[] = [];
  if (wantsIngress) {
    for (const object of standInIngress(meshConfig.ingressService)) {
      // The user's own object of the same identity wins, as it would in a cluster.
      if (index.byKind(object.kind).some((entry) => sameIdentity(entry.object, object))) continue;
      synthetic.add(object);
      standIns.push({object});
    }
  }
  const all = withObjects(index, standIns);
  const ctx: IstioContext = {objects: all.objects, meshConfig, byKind: all.byKind};
  if (options.meshNetworks) ctx.meshNetworks = options.meshNetworks;
  if (options.now) ctx.now = options.now;
  if (options.readCertificate) ctx.readCertificate = options.readCertificate;
  useLookup(ctx, all.lookup);
  return ctx;
}
