// What `debug bundle` may put in a support archive: objects with every credential taken
// out and their shape kept. A Secret keeps its keys with each value redacted; any field
// named like a credential (redact.ts's rule), any ConfigMap key named like one, any string
// that is a private key or a JWT, and any string holding a Secret's value are redacted
// wherever they are. Each redaction is listed (object and field, never the value).
import {displayName, refOf, type KubeObject} from '../objects.js';
import {isCredentialField, REDACTED, secretValuesOf} from '../analyze/redact.js';
import {isRecord} from '../record.js';

export interface Redaction {
  /** `Secret shop/db`. */
  resource: string;
  /** `data.password`, `spec.containers[0].env[1].value`. */
  field: string;
}

/** ConfigMap keys that name a credential (`API_TOKEN`, `db-password`, `tls.key`). */
const CREDENTIAL_KEY = /token|passw|secret|credential|api[-_]?key|private|\.key$/i;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/;
/** Annotations that hold a copy of the whole object as it was applied, Secrets' data included. */
const COPY_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

function looksSecret(text: string, secretValues: readonly string[]): boolean {
  return PRIVATE_KEY.test(text) || JWT.test(text) || secretValues.some((value) => text.includes(value));
}

export function redactObjects(objects: readonly KubeObject[]): {objects: KubeObject[]; redactions: Redaction[]} {
  // Longest first, so that a value containing a shorter one is found whole.
  const secretValues = [...secretValuesOf(objects)].sort((a, b) => b.length - a.length);
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
            || (isConfigMap && (path === 'data' || path === 'binaryData') && CREDENTIAL_KEY.test(key))
            || (path === 'metadata.annotations' && COPY_ANNOTATIONS.includes(key))
            || (isCredentialField(key) && !isRecord(value) && !Array.isArray(value));
          if (wholeValue) {
            note(field);
            return [key, REDACTED];
          }
          return [key, walk(value, field, depth + 1)];
        }));
      }
      if (typeof node === 'string' && looksSecret(node, secretValues)) {
        note(path);
        return REDACTED;
      }
      return node;
    };
    const {managedFields: _managed, ...metadata} = object.metadata;
    return walk({...object, metadata}, '', 0) as KubeObject;
  });
  return {objects: redactedObjects, redactions};
}
