// No Secret value in any finding: findings go to terminals, CI logs and code scanning
// (SARIF). One rule, applied where the report is assembled, so that no analyser and no
// printer can leak one: every value a Secret holds (data, decoded and as written, and
// stringData) and every string under a field named like a credential, in any kind, is
// replaced wherever it appears in a finding's message. Findings say what is wrong, not the value.
import type {KubeObject} from '../objects.js';
import {isRecord} from '../record.js';
import type {Finding} from './types.js';

export const REDACTED = '<redacted>';

/** Field names that hold credentials whatever the kind (lower-cased, without - and _). */
// Not `key` or `secret`: those name a key of a Secret (secretKeyRef.key) or hold an object.
const CREDENTIAL_FIELDS = new Set(['password', 'passwd', 'token', 'bearertoken', 'clientsecret', 'apikey', 'privatekey',
  'tlskey']);

/** Shorter values would be replaced inside ordinary words; no real credential is that short. */
export const SHORTEST_REDACTED = 3;

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** A Secret's `data` value as the workload sees it, when it is base64 of UTF-8 text. */
function decodedBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  try {
    return utf8.decode(Uint8Array.from(atob(value), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function addValue(values: Set<string>, value: unknown): void {
  const text = typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
  if (text !== undefined && text.length >= SHORTEST_REDACTED) values.add(text);
}

/** Field names seen so far → whether they name a credential: every object of a run is walked, and its keys repeat. */
const credentialField = new Map<string, boolean>();
/** Enough for the field names of every kind; map keys (labels, data) beyond it are judged each time. */
const REMEMBERED_FIELDS = 10_000;

/** A field whose name says it holds a credential (`password`, `token`, `api_key` ...), whatever the kind. */
export function isCredentialField(key: string): boolean {
  let credential = credentialField.get(key);
  if (credential === undefined) {
    credential = CREDENTIAL_FIELDS.has(key.toLowerCase().replace(/[-_]/g, ''));
    if (credentialField.size < REMEMBERED_FIELDS) credentialField.set(key, credential);
  }
  return credential;
}

function addCredentialFields(values: Set<string>, node: unknown, depth = 0): void {
  if (depth > 100 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) addCredentialFields(values, item, depth + 1);
    return;
  }
  const fields = node as Record<string, unknown>;
  // for-in, not keys: every object of a run is walked, and an array of keys per node adds up.
  for (const key in fields) {
    const value = fields[key];
    if (typeof value !== 'object' && isCredentialField(key)) addValue(values, value);
    else addCredentialFields(values, value, depth + 1);
  }
}

/** The values no finding may show, from the objects of a run. */
export function secretValuesOf(objects: readonly KubeObject[]): Set<string> {
  const values = new Set<string>();
  for (const object of objects) {
    const record = object as unknown as Record<string, unknown>;
    if (object.kind === 'Secret') {
      for (const field of ['data', 'stringData']) {
        const entries = record[field];
        if (!isRecord(entries)) continue;
        for (const value of Object.values(entries)) {
          addValue(values, value);
          if (field === 'data' && typeof value === 'string') addValue(values, decodedBase64(value));
        }
      }
    }
    addCredentialFields(values, record);
  }
  return values;
}

/** A function that takes every one of `values` out of a finding's text. */
export function redactor(values: ReadonlySet<string>): (finding: Finding) => Finding {
  if (values.size === 0) return (finding) => finding;
  // Longest first, so a value that contains another is replaced whole.
  const ordered = [...values].sort((a, b) => b.length - a.length);
  const redact = (text: string) =>
    ordered.reduce((result, value) => (result.includes(value) ? result.replaceAll(value, REDACTED) : result), text);
  return (finding) => {
    const message = redact(finding.message);
    return message === finding.message ? finding : {...finding, message};
  };
}
