// The chart values `install linkerd` keeps in the cluster (ConfigMap sparc-mesh-linkerd-values,
// key values.yaml), and those an upgrade keeps for --rollback (sparc-mesh-linkerd-values-previous,
// with the release they ran with): what a re-run, an upgrade and a trust-anchor rotation read
// and write, so that the next helm or linkerd run gets the values the cluster really runs with.
import yaml from 'js-yaml';
import type {KubeClient} from '../../adapters/kube/client.js';
import {dumpValues} from '../../core/install/linkerd-install.js';
import type {KubeObject, ResourceRef} from '../../core/objects.js';
import {isRecord} from '../../core/record.js';

export const VALUES_KEY = 'values.yaml';
/** Beside values kept for --rollback: the Linkerd release they were running with. */
export const RELEASE_KEY = 'release';

type ConfigMap = KubeObject & {data?: Record<string, string>};

export interface StoredValues {
  values: Record<string, unknown>;
  release?: string;
  /** The ConfigMap as read: its labels and other keys are kept when it is written again. */
  configMap: ConfigMap;
}

const configMapRef = (namespace: string, name: string): ResourceRef => ({apiVersion: 'v1', kind: 'ConfigMap', namespace,
  name});

/** The values a ConfigMap holds; undefined when there is no such ConfigMap or it holds no values. */
export async function readStoredValues(client: KubeClient, namespace: string,
  name: string): Promise<StoredValues | undefined>
{
  const configMap = await client.get(configMapRef(namespace, name)) as ConfigMap | undefined;
  const text = configMap?.data?.[VALUES_KEY];
  if (text === undefined) return undefined;
  const values = yaml.load(text);
  return isRecord(values) ? {values, release: configMap!.data?.[RELEASE_KEY], configMap: configMap!} : undefined;
}

/**
 * Writes `values` into the ConfigMap `name` by server-side apply (sparc-mesh owns these
 * ConfigMaps, so it takes the field over from whoever wrote it last). `like` gives the labels
 * of a ConfigMap that does not exist yet. Nothing is written when the values are already there.
 */
export async function writeStoredValues(client: KubeClient, target: {namespace: string; name: string},
  stored: {values: Record<string, unknown>; release?: string}, like?: ConfigMap): Promise<void>
{
  const current = await client.get(configMapRef(target.namespace, target.name)) as ConfigMap | undefined;
  const data = {[VALUES_KEY]: dumpValues(stored.values), ...(stored.release && {[RELEASE_KEY]: stored.release})};
  if (Object.entries(data).every(([key, value]) => current?.data?.[key] === value)) return;
  const labels = current?.metadata.labels ?? like?.metadata.labels;
  await client.apply({apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {name: target.name, namespace: target.namespace, ...(labels && {labels})},
    data: {...current?.data, ...data}}, {force: true});
}
