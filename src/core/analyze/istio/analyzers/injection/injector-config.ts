// The sidecar injector's ConfigMap (`istio-sidecar-injector[-<revision>]`): its `values`
// key holds the Helm values the injector renders with, as JSON. Two of them matter to
// analysis: whether namespaces are injected without a label, and the proxy image.
import type {KubeObject} from '../../../../objects.js';
import type {IstioContext} from '../../context.js';
import {asRecord, asString, at, nameOf} from '../../query/fields.js';

const INJECTOR_CONFIG_MAP = 'istio-sidecar-injector';

/** The injector ConfigMap name for a revision; no revision and `default` share the plain name. */
export function injectorConfigMapName(revision: string): string {
  return revision === '' || revision === 'default' ? INJECTOR_CONFIG_MAP : `${INJECTOR_CONFIG_MAP}-${revision}`;
}

/** Injector ConfigMaps by name (any namespace; the first of a name wins). */
export function injectorConfigMaps(ctx: IstioContext): Map<string, KubeObject> {
  const found = new Map<string, KubeObject>();
  for (const {object} of ctx.byKind('ConfigMap', '')) {
    const name = nameOf(object);
    if (name.startsWith(INJECTOR_CONFIG_MAP) && !found.has(name)) found.set(name, object);
  }
  return found;
}

function injectorValues(configMap: KubeObject): Record<string, unknown> | undefined {
  const text = asString(at(configMap, 'data', 'values'));
  if (text === undefined) return undefined;
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function enablesNamespacesByDefault(configMap: KubeObject): boolean {
  return at(injectorValues(configMap), 'sidecarInjectorWebhook', 'enableNamespacesByDefault') === true;
}

/** The image the injector gives new sidecars, built as its template does; undefined when the values do not say. */
export function injectedProxyImage(configMap: KubeObject): string | undefined {
  const global = at(injectorValues(configMap), 'global');
  const image = asString(at(global, 'proxy', 'image'));
  if (image === undefined) return undefined;
  if (image.includes('/')) return image;
  return `${asString(at(global, 'hub')) ?? ''}/${image}:${asString(at(global, 'tag')) ?? ''}`;
}
