// SARIF 2.1.0, shaped for GitHub code scanning: every rule of the catalogue in
// tool.driver.rules (with helpUri), every result with a ruleId, a level, and a location
// whose artifact URI is relative to the working directory (the repository root in CI)
// with a start line. Findings from the live cluster or standard input have no file: their
// location is the resource, as a stable pseudo-path plus a logical location, so that the
// upload still accepts them.
import {createHash} from 'node:crypto';
import path from 'node:path';
import type {Location, Log, ReportingDescriptor, Result} from 'sarif';
import type {FindingsReport} from '../../core/analyze/run.js';
import type {Finding, RuleDoc, Severity} from '../../core/analyze/types.js';
import {displayName} from '../../core/objects.js';

export interface SarifOptions {
  catalogue: readonly RuleDoc[];
  /** Paths in results are made relative to this folder. */
  cwd: string;
  toolVersion: string;
  /** Files named like this are not files (standard input): their findings are located by resource. */
  pseudoFiles?: readonly string[];
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, Result.level> = {error: 'error', warning: 'warning', info: 'note'};

function toRule(doc: RuleDoc): ReportingDescriptor {
  return {
    id: doc.code,
    shortDescription: {text: doc.title},
    fullDescription: {text: doc.description},
    help: {text: doc.fix},
    helpUri: doc.documentation,
    defaultConfiguration: {level: LEVEL[doc.severity]},
  };
}

/** A URI reference relative to cwd, with forward slashes and each segment escaped. */
function relativeUri(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file)) || path.basename(file);
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

/** `cluster/<namespace>/<Kind>/<name>` (or `stdin/...`): stable across runs, and never a real path. */
function pseudoUri(finding: Finding): string {
  const origin = finding.file === undefined ? 'cluster' : finding.file.replace(/[^A-Za-z0-9._-]/g, '') || 'input';
  const ref = finding.resource;
  return ref ? [origin, ref.namespace ?? '_cluster', ref.kind, ref.name].map(encodeURIComponent).join('/') : origin;
}

function locationOf(finding: Finding, options: SarifOptions): Location {
  const isFile = finding.file !== undefined && !(options.pseudoFiles ?? []).includes(finding.file);
  const uri = isFile ? relativeUri(finding.file as string, options.cwd) : pseudoUri(finding);
  const location: Location = {
    physicalLocation: {artifactLocation: {uri}, region: {startLine: isFile && finding.line ? finding.line : 1}},
  };
  if (finding.resource) {
    location.logicalLocations = [{name: finding.resource.name, fullyQualifiedName: displayName(finding.resource),
      kind: 'object'}];
  }
  return location;
}

/** Stable across runs even when lines move, so code scanning keeps one alert per problem. */
function fingerprint(finding: Finding): string {
  const identity = [finding.code, finding.resource ? displayName(finding.resource) : finding.file ?? '',
    finding.message].join('\u0000');
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

export function toSarif(report: FindingsReport, options: SarifOptions): Log {
  const rules = [...options.catalogue].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map(toRule);
  // A code missing from the catalogue (a bug, caught by the catalogue test) still gets a rule, so ruleIds always resolve.
  for (const code of new Set(report.findings.map((finding) => finding.code))) {
    if (!rules.some((rule) => rule.id === code)) rules.push({id: code});
  }
  const indexOf = new Map(rules.map((rule, index) => [rule.id, index]));
  const results: Result[] = report.findings.map((finding) => ({
    ruleId: finding.code,
    ruleIndex: indexOf.get(finding.code) as number,
    level: LEVEL[finding.severity],
    message: {text: finding.message},
    locations: [locationOf(finding, options)],
    partialFingerprints: {'sparcMeshFinding/v1': fingerprint(finding)},
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {driver: {name: 'sparc-mesh', version: options.toolVersion, rules}},
      results,
      columnKind: 'utf16CodeUnits',
    }],
  };
}

export function renderSarif(report: FindingsReport, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
