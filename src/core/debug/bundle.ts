// The files of a `debug bundle` support archive: the namespaces' objects by kind (mesh
// resources, workloads, pods with their status, Services, policies), events, a pod status
// table, validate's findings, container log tails, the mesh CLIs' checks, and a manifest of
// what was collected and what was redacted. Every object goes through redact-objects.ts and
// every log and check through redact-text.ts, with one set of Secret values; nothing here
// reads the cluster.
import yaml from 'js-yaml';
import type {FindingsReport} from '../analyze/run.js';
import {asArray, asInteger, asString, at} from '../analyze/istio/query/fields.js';
import type {KubeObject} from '../objects.js';
import type {LogTarget} from './log-plan.js';
import {redactObjects, secretValuesIn, type Redaction} from './redact-objects.js';
import {redactLines} from './redact-text.js';
import type {ArchiveFile} from './tar.js';

export interface BundleInput {
  namespaces: string[];
  /** Everything listed: the namespaces' objects (Secrets as the API server gives them), cluster-scoped kinds and the root namespace. */
  objects: readonly KubeObject[];
  events: readonly KubeObject[];
  findings: FindingsReport;
  /** Container logs as read (before redaction). */
  logs: readonly CollectedLog[];
  /** The mesh CLIs' check output, as printed (before redaction). */
  checks: readonly CheckOutput[];
  /** Secrets that are not archived (the control planes' namespaces) but whose values the logs may show. */
  otherSecrets: readonly KubeObject[];
  collectedAtMs: number;
  /** Parts a support engineer would expect that this run could not collect, with why. */
  notCollected: string[];
}

export interface CollectedLog extends LogTarget {
  text: string;
  /** Why the tail is shorter than asked, when it is. */
  cut?: string;
}

export interface CheckOutput {
  /** `checks/istioctl-analyze.json`. */
  file: string;
  text: string;
}

/** A log file of the archive. */
export interface BundledLog {
  file: string;
  lines: number;
  cut?: string;
}

export interface BundleManifest {
  collectedAt: string;
  namespaces: string[];
  files: string[];
  logs: BundledLog[];
  /** By object and field, or by file and line (`logs/shop/web-1/istio-proxy.log`, `line 12`); never the value. */
  redacted: Redaction[];
  notCollected: string[];
}

const CLUSTER_SCOPE = '_cluster';

function objectsFile(objects: readonly KubeObject[]): string {
  return objects.map((object) => yaml.dump(object, {noRefs: true, lineWidth: -1, sortKeys: false})).join('---\n');
}

function podTable(pods: readonly KubeObject[]): string {
  const rows = pods.map((pod) => {
    const statuses = asArray(at(pod, 'status', 'containerStatuses'));
    const ready = statuses.filter((status) => at(status, 'ready') === true).length;
    const restarts = statuses.reduce<number>((sum, status) => sum + (asInteger(at(status, 'restartCount')) ?? 0), 0);
    return `${pod.metadata.name ?? ''}\t${
      asString(at(pod, 'status', 'phase')) ?? 'Unknown'
    }\t${ready}/${statuses.length}\t${restarts}`;
  });
  return `${['NAME\tPHASE\tREADY\tRESTARTS', ...rows].join('\n')}\n`;
}

function groupBy(objects: readonly KubeObject[], key: (object: KubeObject) => string): Map<string, KubeObject[]> {
  const groups = new Map<string, KubeObject[]>();
  for (const object of objects) groups.set(key(object), [...(groups.get(key(object)) ?? []), object]);
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function bundleFiles(input: BundleInput): {files: ArchiveFile[]; manifest: BundleManifest} {
  const secretValues = secretValuesIn([...input.objects, ...input.otherSecrets]);
  const {objects, redactions} = redactObjects([...input.objects, ...input.events], secretValues);
  const redactedText = (file: string, text: string) => {
    const redacted = redactLines(text, secretValues);
    redactions.push(...redacted.lines.map((line) => ({resource: file, field: `line ${line}`})));
    return redacted.text;
  };
  const resources = objects.slice(0, input.objects.length);
  const events = objects.slice(input.objects.length);
  const files: ArchiveFile[] = [];
  for (const [group, members] of groupBy(resources,
    (object) => `${object.metadata.namespace ?? CLUSTER_SCOPE}/${object.kind}`))
  {
    files.push({name: `resources/${group}.yaml`, content: objectsFile(members)});
  }
  for (const [namespace, members] of groupBy(events, (event) => event.metadata.namespace ?? CLUSTER_SCOPE)) {
    files.push({name: `events/${namespace}.yaml`, content: objectsFile(members)});
  }
  for (const [namespace, pods] of groupBy(resources.filter((object) => object.kind === 'Pod'),
    (pod) => pod.metadata.namespace ?? CLUSTER_SCOPE))
  {
    files.push({name: `pods/${namespace}.tsv`, content: podTable(pods)});
  }
  files.push({name: 'findings.json', content: `${JSON.stringify(input.findings, null, 2)}\n`});
  const logs = input.logs.map((log): BundledLog => {
    files.push({name: log.file, content: redactedText(log.file, log.text)});
    return {file: log.file,
      lines: log.text === '' ? 0 : log.text.split('\n').length - (log.text.endsWith('\n') ? 1 : 0),
      ...(log.cut ? {cut: log.cut} : {})};
  });
  for (const check of input.checks) files.push({name: check.file, content: redactedText(check.file, check.text)});
  const manifest: BundleManifest = {collectedAt: new Date(input.collectedAtMs).toISOString(),
    namespaces: input.namespaces, files: [...files.map((file) => file.name), 'manifest.json'], logs,
    redacted: redactions, notCollected: input.notCollected};
  files.push({name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n`});
  return {files, manifest};
}
