// `sparc-mesh debug connectivity`: lists the caller's namespace, the Service's namespace and
// Istio's root namespace (validate's live listing), finds the caller there and asks
// core/debug/connectivity.ts.
import {invalidFlag, PreconditionError} from '../../errors.js';
import type {KubeConnection} from '../../adapters/kube/client.js';
import {ISTIO_NAMESPACE} from '../../core/analyze/istio/create-context.js';
import {connectivity, ConnectivityTargetError, type ConnectivityReport} from '../../core/debug/connectivity.js';
import {parseServiceTarget} from '../../core/debug/target.js';
import type {ActionDeps} from '../deps.js';
import {listLive} from '../validate/live.js';
import {podInListing, workloadTarget} from './resolve-pod.js';

export interface ConnectivityInput {
  connection: KubeConnection;
  namespace?: string;
  /** `POD` or `deploy/NAME`, in the namespace. */
  from: string;
  /** `svc/NAME[.NAMESPACE][:PORT]`. */
  to: string;
}

export async function debugConnectivity(input: ConnectivityInput,
  deps: Pick<ActionDeps, 'connect'>): Promise<ConnectivityReport>
{
  const to = parseServiceTarget(input.to);
  if (typeof to === 'string') throw invalidFlag('to', input.to, to, 'e.g. --to svc/checkout:8080 or svc/checkout.shop');
  const from = workloadTarget(input.from, '--from');
  const client = await deps.connect(input.connection);
  const namespace = input.namespace ?? client.contextNamespace;
  const serviceNamespace = to.namespace ?? namespace;
  const objects = await listLive(client, [...new Set([namespace, serviceNamespace, ISTIO_NAMESPACE])]);
  const caller = podInListing(objects, namespace, from);
  const namespaces = objects.filter((object) => object.kind === 'Namespace' && object.apiVersion === 'v1')
    .map((object) => object.metadata.name ?? '');
  try {
    return connectivity({objects, caller, service: {...to, namespace: serviceNamespace},
      ...(namespaces.length > 0 ? {namespaces} : {})});
  } catch (error) {
    if (!(error instanceof ConnectivityTargetError)) throw error;
    if (error.ports.length > 0) {
      throw invalidFlag('to', input.to, `names a port the Service does not have`,
        `its ports: ${error.ports.join(', ')}`);
    }
    throw new PreconditionError(error.message,
      `check the Service with kubectl get svc ${to.name} -n ${serviceNamespace} -o yaml`, 'NoAnswer');
  }
}
