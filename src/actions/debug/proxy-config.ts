// `sparc-mesh debug proxy-config PART POD`: the sidecar's Envoy configuration summarised as
// istioctl's proxy-config shows it, from a saved config dump (--file) or from the live
// proxy's admin port (15000), read through the API server's port-forward as istioctl reads it.
import {invalidFlag, PreconditionError, UsageError} from '../../errors.js';
import type {KubeClient, KubeConnection, NamespacedName} from '../../adapters/kube/client.js';
import {readTextWithin} from '../../adapters/files/limited-read.js';
import {podHttpGet} from '../../adapters/kube/pod-http.js';
import {PROXY_CONTAINER, containersOf} from '../../core/analyze/istio/query/workload.js';
import {asRecord} from '../../core/analyze/istio/query/fields.js';
import {ConfigDumpError, summariseConfigDump, type ProxyConfigSummary} from '../../core/debug/envoy-config.js';
import type {ActionDeps} from '../deps.js';
import {resolvePod, workloadTarget} from './resolve-pod.js';

export interface ProxyConfigInput {
  connection: KubeConnection;
  namespace?: string;
  /** `POD`, `deploy/NAME` or `svc/NAME`; absent with --file. */
  target?: string;
  /** A saved config dump (`kubectl exec POD -c istio-proxy -- pilot-agent request GET config_dump`). */
  file?: string;
}

/** Envoy's admin port in an Istio sidecar, and the dump istioctl asks it for (endpoints included). */
export const ENVOY_ADMIN_PORT = 15000;
export const CONFIG_DUMP_PATH = '/config_dump?include_eds';

export interface ProxyConfigDeps extends Pick<ActionDeps, 'connect'> {
  readText: (file: string) => Promise<string>;
}

export function proxyConfigDeps(deps: Pick<ActionDeps, 'connect'>): ProxyConfigDeps {
  return {connect: deps.connect, readText: async (file) => readTextWithin(file)};
}

async function dumpFromFile(file: string, deps: ProxyConfigDeps): Promise<unknown> {
  let text: string;
  try {
    text = await deps.readText(file);
  } catch (error) {
    throw invalidFlag('file', file, `cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidFlag('file', file, `is not JSON: ${(error as Error).message}`);
  }
}

/** The live sidecar's config dump, from its admin port; what it answers must be JSON. */
export async function liveConfigDump(client: KubeClient, pod: NamespacedName, timeoutMs?: number): Promise<unknown> {
  const text = await podHttpGet(client, pod, ENVOY_ADMIN_PORT, CONFIG_DUMP_PATH, timeoutMs);
  try {
    return JSON.parse(text);
  } catch {
    throw new PreconditionError(
      `the admin port of ${pod.namespace}/${pod.name} answered ${CONFIG_DUMP_PATH} with no JSON`,
      'is port 15000 the Envoy admin port of an Istio sidecar?',
      'NotAConfigDump',
    );
  }
}

async function liveDump(input: ProxyConfigInput & {target: string}, deps: ProxyConfigDeps): Promise<unknown> {
  const target = workloadTarget(input.target, 'POD');
  const client = await deps.connect(input.connection);
  const namespace = input.namespace ?? client.contextNamespace;
  const pod = await resolvePod(client, namespace, target);
  const name = pod.metadata.name ?? '';
  if (!containersOf(asRecord(pod.spec) ?? {}, true).some((container) => container.name === PROXY_CONTAINER)) {
    throw new PreconditionError(`pod ${namespace}/${name} has no ${PROXY_CONTAINER} container, so no Envoy to read`,
      `sparc-mesh debug pod ${name} -n ${namespace} says why; for Linkerd pods use sparc-mesh debug edges or routes`,
      'NoProxy');
  }
  return liveConfigDump(client, {namespace, name});
}

export async function proxyConfig(input: ProxyConfigInput, deps: ProxyConfigDeps): Promise<ProxyConfigSummary> {
  if (input.file !== undefined && input.target !== undefined) {
    throw invalidFlag('file', input.file, 'reads a saved dump, so no POD is read', 'give either POD or --file');
  }
  if (input.file === undefined && input.target === undefined) {
    throw new UsageError('no POD and no --file: nothing to read', 'give POD (the live proxy) or --file DUMP.json',
      'MissingArgument');
  }
  const dump = input.file === undefined
    ? await liveDump({...input, target: input.target as string}, deps)
    : await dumpFromFile(input.file, deps);
  try {
    return summariseConfigDump(dump);
  } catch (error) {
    if (error instanceof ConfigDumpError) {
      if (input.file !== undefined) throw invalidFlag('file', input.file, error.message);
      throw new PreconditionError(`the admin port of ${input.target ?? ''} answered with JSON that ${error.message}`);
    }
    throw error;
  }
}
