// What `debug bundle` may put in a support archive: objects with every credential taken
// out and their shape kept. A Secret keeps its keys with each value redacted; any field
// named like a credential (redact.ts's rule) and any ConfigMap key named like one are
// redacted whole; in every other string, what redact-text.ts's rules find (private keys,
// JWTs, credentials of URLs and key=value pairs, Secrets' values) is replaced. Each
// redaction is listed (object and field, never the value).
import {displayName, refOf, type KubeObject} from '../objects.js';
import {isCredentialField, REDACTED, SHORTEST_REDACTED, secretValuesOf} from '../analyze/redact.js';
import {isRecord} from '../record.js';
import {isCredentialKey, orderedSecretValues, redactText, type SecretValues} from './redact-text.js';

export interface Redaction {
  /** `Secret shop/db`. */
  resource: string;
  /** `data.password`, `spec.containers[0].env[1].value`. */
  field: string;
}

/** Annotations that hold a copy of the whole object as it was applied, Secrets' data included. */
const COPY_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * What no part of a bundle may show, longest first: every value a Secret among `objects`
 * holds, every credential-named field's value, and the value of every ConfigMap key named
 * like a credential (a token kept in a ConfigMap is one, wherever a log prints it).
 */
export function secretValuesIn(objects: readonly KubeObject[]): SecretValues {
  const values = secretValuesOf(objects);
  for (const object of objects) {
    if (object.kind !== 'ConfigMap' || object.apiVersion !== 'v1' || !isRecord(object.data)) continue;
    for (const [key, value] of Object.entries(object.data)) {
      if (isCredentialKey(key) && typeof value === 'string' && value.length >= SHORTEST_REDACTED) values.add(value);
    }
  }
  return orderedSecretValues(values);
}

export function redactObjects(objects: readonly KubeObject[],
  secretValues: SecretValues): {objects: KubeObject[]; redactions: Redaction[]}
{
  const redactions: Redaction[] = [];
  const redactedObjects = objects.map((object) => {
    const resource = displayName(refOf(object));
    const note = (field: string) => redactions.push({resource, field});
    const isSecret = object.kind === 'Secret' && object.apiVersion === 'v1';
    const isConfigMap = object.kind === 'ConfigMap' && object.apiVersion === 'v1';
    const walk = (node: unknown, path: string, depth: number): unknown => {
      if (depth > 100) return REDACTED;
      if (Array.isArray(node)) return node.map((item, index) => walk(item, `${path}[${index}]`, depth + 1));
      if (isRecord(node)) {
        return Object.fromEntries(Object.entries(node).map(([key, value]) => {
          const field = path ? `${path}.${key}` : key;
          const wholeValue = (isSecret && (path === 'data' || path === 'stringData'))
            || (isConfigMap && (path === 'data' || path === 'binaryData') && isCredentialKey(key))
            || (path === 'metadata.annotations' && COPY_ANNOTATIONS.includes(key))
            || (isCredentialField(key) && !isRecord(value) && !Array.isArray(value));
          if (wholeValue) {
            note(field);
            return [key, REDACTED];
          }
          return [key, walk(value, field, depth + 1)];
        }));
      }
      if (typeof node === 'string') {
        const redacted = redactText(node, secretValues);
        if (redacted !== node) note(path);
        return redacted;
      }
      return node;
    };
    const {managedFields: _managed, ...metadata} = object.metadata;
    return walk({...object, metadata}, '', 0) as KubeObject;
  });
  return {objects: redactedObjects, redactions};
}
