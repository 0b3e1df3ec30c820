// The credential rules of a support bundle, over text: what redact-objects.ts applies to every
// string of an object and `debug bundle` to every log line and check output. A private key
// (PEM, to its END line or the end of the text), a JWT, a Bearer or Basic credential, the
// password of a URL, the value of a credential-named `key=value`, `key: value` or
// `"key": "value"`, and any Secret's value are replaced; the rest of the text, and its lines,
// stay as they were.
import {REDACTED} from '../analyze/redact.js';

/** Names of keys that hold a credential (`API_TOKEN`, `db-password`, `client_secret`, `tls.key`). */
const CREDENTIAL_KEY = /token|passw|secret|credential|api[-_]?key|private|\.key$/i;

export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key);
}

/** Each line of the block is replaced, so a log keeps its line count and numbers. */
const PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g;
const AUTHORIZATION = /\b(Bearer|Basic)([ \t]+)[A-Za-z0-9._~+/-]{8,}=*/gi;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+):[^\s@/]+@/gi;
const QUOTED_PAIR = /"([^"\s]{1,100})"([ \t]*:[ \t]*)"(?:[^"\\\n]|\\.)*"/g;
const PAIR = /([A-Za-z_][\w.-]{0,100})([ \t]*[=:][ \t]*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'}]+)/g;

/** Values, longest first (so a value that holds another is replaced whole), as secretValuesOf finds them. */
export type SecretValues = readonly string[];

export function orderedSecretValues(values: Iterable<string>): SecretValues {
  return [...values].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, secretValues: SecretValues): string {
  let result = text
    .replace(PRIVATE_KEY, (block) => block.replace(/[^\n]+/g, REDACTED))
    .replace(JWT, REDACTED)
    .replace(AUTHORIZATION, (_match, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(URL_PASSWORD, (_match, start: string) => `${start}:${REDACTED}@`)
    .replace(QUOTED_PAIR,
      (pair, key: string, colon: string) => (isCredentialKey(key) ? `"${key}"${colon}"${REDACTED}"` : pair))
    .replace(PAIR,
      (pair, key: string, separator: string, value: string) =>
        isCredentialKey(key) && value !== REDACTED && !/^["']?$/.test(value) ? `${key}${separator}${REDACTED}` : pair);
  for (const value of secretValues) {
    if (result.includes(value)) result = result.replaceAll(value, value.replace(/[^\n]+/g, REDACTED));
  }
  return result;
}

/** The text redacted, and the 1-based numbers of the lines that changed. */
export function redactLines(text: string, secretValues: SecretValues): {text: string; lines: number[]} {
  const redacted = redactText(text, secretValues);
  if (redacted === text) return {text, lines: []};
  const before = text.split('\n');
  const after = redacted.split('\n');
  const lines = after.flatMap((line, index) => (line === before[index] ? [] : [index + 1]));
  return {text: redacted, lines};
}
