// The metadata rules the API server enforces on every object (apimachinery's
// ValidateObjectMeta), checked in files before anyone applies them: the name's format by
// kind, the namespace, and label and annotation keys and values. A schema does not carry
// these rules, so without this an invalid name passed validate and failed at apply.
import {cutValue} from '../terminal-text.js';
import {groupOf, refOf, type SourcedObject} from '../objects.js';
import {isRecord} from '../record.js';
import {INVALID_METADATA} from './schema-findings.js';
import type {Finding} from './types.js';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const ANNOTATIONS_BYTES = 256 * 1024;

/** Kinds whose names are DNS-1123 labels: they become DNS names of their own. */
const LABEL_NAMED = new Set(['/Namespace', '/Service']);
/** Kinds whose names need only be a path segment (RBAC). */
const SEGMENT_NAMED = new Set(['rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding']);

function shown(value: string): string {
  return JSON.stringify(cutValue(value));
}

function labelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters (a DNS-1123 label)';
  return LABEL.test(value)
    ? undefined
    : 'must be a DNS-1123 label: lower-case letters, digits and `-`, starting and ending with a letter or digit';
}

function subdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters (a DNS-1123 subdomain)';
  return SUBDOMAIN.test(value)
    ? undefined
    : 'must be a DNS-1123 subdomain: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit';
}

function segmentProblem(value: string): string | undefined {
  return value === '.' || value === '..' || value.includes('/') || value.includes('%')
    ? 'may not be `.` or `..` or hold `/` or `%`'
    : undefined;
}

function nameProblem(kindKey: string, name: string): string | undefined {
  if (LABEL_NAMED.has(kindKey)) return labelProblem(name);
  if (SEGMENT_NAMED.has(kindKey)) return segmentProblem(name);
  return subdomainProblem(name);
}

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && subdomainProblem(prefix)) {
    return `has a prefix that ${subdomainProblem(prefix) as string}`;
  }
  if (name.length === 0 || name.length > 63) return 'must have a name part of 1 to 63 characters';
  return QUALIFIED_NAME.test(name)
    ? undefined
    : 'must have a name part of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit';
}

function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined; // the schema check reports the type
  if (value.length > 63) return 'must be at most 63 characters';
  return value === '' || QUALIFIED_NAME.test(value)
    ? undefined
    : 'must be empty or letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit';
}

/** Metadata findings of one object read from a file. */
export function metadataFindings(target: SourcedObject): Finding[] {
  const {object, source} = target;
  const findings: Finding[] = [];
  const add = (field: (string | number)[], message: string) => {
    const finding: Finding = {code: INVALID_METADATA.code, severity: INVALID_METADATA.severity, message,
      resource: refOf(object), documentation: INVALID_METADATA.documentation, field};
    if (source) Object.assign(finding, {file: source.file, line: source.line});
    findings.push(finding);
  };
  const {name, namespace, labels, annotations} = object.metadata as Record<string, unknown>;
  const kindKey = `${groupOf(object.apiVersion)}/${object.kind}`;
  const badName = typeof name === 'string' ? nameProblem(kindKey, name) : undefined;
  if (badName) add(['metadata', 'name'], `metadata.name ${shown(name as string)} ${badName}`);
  const badNamespace = typeof namespace === 'string' ? labelProblem(namespace) : undefined;
  if (badNamespace) add(['metadata', 'namespace'], `metadata.namespace ${shown(namespace as string)} ${badNamespace}`);
  // for-in, not entries: this runs for every object of every file, and the pairs would be arrays to collect.
  const mapProblems = (field: 'labels' | 'annotations', map: Record<string, unknown>) => {
    for (const key in map) {
      const badKey = keyProblem(key);
      if (badKey) add(['metadata', field, key], `metadata.${field} key ${shown(key)} ${badKey}`);
      const badValue = field === 'labels' ? labelValueProblem(map[key]) : undefined;
      if (badValue) add(['metadata', field, key], `metadata.labels value of ${shown(key)} ${badValue}`);
    }
  };
  if (isRecord(labels)) mapProblems('labels', labels);
  if (isRecord(annotations)) {
    mapProblems('annotations', annotations);
    let bytes = 0;
    for (const key in annotations) {
      const value = annotations[key];
      bytes += key.length + (typeof value === 'string' ? value.length : 0);
    }
    if (bytes > ANNOTATIONS_BYTES) {
      add(['metadata', 'annotations'],
        `metadata.annotations hold ${bytes} bytes, over the API server's limit of ${ANNOTATIONS_BYTES}`);
    }
  }
  return findings;
}
