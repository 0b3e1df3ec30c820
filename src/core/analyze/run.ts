// Runs every analyser over one input and turns the raw findings into a report:
// suppressions applied, duplicates dropped, a deterministic order, counts and the
// exit decision. Pure: the action gathers the input and prints the result.
import {globMatcher, type GlobMatcher} from '../glob.js';
import {displayName, refOf, type KubeObject, type ResourceRef} from '../objects.js';
import {ANALYSER_FAILURE, runGuarded} from './guard.js';
import {coverageOf, withinCoverage} from './coverage.js';
import {redactor, secretValuesOf} from './redact.js';
import {indexObjects, type ObjectIndex} from './istio/query/object-index.js';
import {SEVERITY_RANK, type AnalysisInput, type Analyzer, type Finding, type Severity} from './types.js';

export const FAIL_ON_LEVELS = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** Annotations that silence findings on the object that carries them: ours and Istio's. */
export const SUPPRESS_ANNOTATIONS = ['sparc-mesh.io/validate-suppress', 'galley.istio.io/analyze-suppress'] as const;

/** One `--suppress "CODE=Kind name-glob"` rule. */
export interface Suppression {
  code: GlobMatcher;
  kind: GlobMatcher;
  name: GlobMatcher;
  /** As the user wrote it, for messages. */
  text: string;
}

export interface Summary {
  objects: number;
  files: number;
  skippedDocuments: number;
  findings: number;
  error: number;
  warning: number;
  info: number;
  suppressed: number;
  failOn: FailOn;
  /** True when a finding is at or above `failOn`: the command exits 3. */
  failed: boolean;
}

export interface FindingsReport {
  findings: Finding[];
  summary: Summary;
}

export interface RunOptions {
  analyzers: readonly Analyzer[];
  /** Findings gathered before analysis, e.g. YAML syntax errors. */
  inputFindings?: readonly Finding[];
  suppressions?: readonly Suppression[];
  failOn: FailOn;
  /** Keeps only the findings the user asked about (a namespace, or only the files' objects). */
  isReported?: (finding: Finding) => boolean;
  stats?: {files: number; skippedDocuments: number};
}

const SUPPRESS_SYNTAX = 'is not CODE=Kind name-glob';
const SUPPRESS_HINT = 'e.g. --suppress "IST0102=Namespace default" or --suppress "SM1*=VirtualService reviews-*"';

/** A suppression rule that does not parse; the command names the flag it came from. */
export class SuppressionSyntaxError extends Error {
  constructor(readonly text: string, readonly problem: string, readonly hint: string = SUPPRESS_HINT) {
    super(`${JSON.stringify(text)} ${problem}`);
    this.name = 'SuppressionSyntaxError';
  }
}

export function parseSuppression(text: string): Suppression {
  const match = /^\s*([^=\s]+)\s*=\s*(\S+)\s+(\S+)\s*$/.exec(text);
  if (!match) throw new SuppressionSyntaxError(text, SUPPRESS_SYNTAX);
  const [, code, kind, name] = match as unknown as [string, string, string, string];
  if (!/^[A-Za-z0-9*?]+$/.test(code)) {
    throw new SuppressionSyntaxError(text, `has a code "${code}" that is not a code or a glob like IST01*`);
  }
  // Kinds are matched case-insensitively: users write `virtualservice` as kubectl lets them.
  return {code: globMatcher(code, {ignoreCase: true}), kind: globMatcher(kind, {ignoreCase: true}),
    name: globMatcher(name), text};
}

export function parseSuppressions(texts: readonly string[]): Suppression[] {
  return texts.map(parseSuppression);
}

/** Names a rule's glob may match: `name`, kubectl's `namespace/name` and istioctl's `name.namespace`. */
function nameForms(ref: ResourceRef): string[] {
  return ref.namespace ? [ref.name, `${ref.namespace}/${ref.name}`, `${ref.name}.${ref.namespace}`] : [ref.name];
}

function suppressedByFlag(finding: Finding, rules: readonly Suppression[]): boolean {
  const ref = finding.resource;
  if (!ref) return false;
  const names = nameForms(ref);
  return rules.some((rule) =>
    rule.code(finding.code) && rule.kind(ref.kind)
    && names.some((name) => rule.name(name))
  );
}

function resourceKey(ref: ResourceRef): string {
  return [ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name].join('\u0000');
}

/** Codes each annotated object suppresses on itself; `*` stands for every code (Istio's convention). */
function annotationSuppressions(objects: readonly KubeObject[]): Map<string, Set<string>> {
  const byResource = new Map<string, Set<string>>();
  for (const object of objects) {
    const annotations = object.metadata.annotations;
    if (!annotations) continue;
    for (const annotation of SUPPRESS_ANNOTATIONS) {
      const value = annotations[annotation];
      if (typeof value !== 'string') continue;
      const key = resourceKey(refOf(object));
      const codes = byResource.get(key) ?? new Set<string>();
      for (const code of value.split(',')) if (code.trim() !== '') codes.add(code.trim().toUpperCase());
      byResource.set(key, codes);
    }
  }
  return byResource;
}

function suppressedByAnnotation(finding: Finding, annotated: Map<string, Set<string>>): boolean {
  if (!finding.resource) return false;
  const codes = annotated.get(resourceKey(finding.resource));
  return codes !== undefined && (codes.has('*') || codes.has(finding.code.toUpperCase()));
}

function findingKey(finding: Finding): string {
  return JSON.stringify([finding.code, finding.file, finding.line, finding.resource && resourceKey(finding.resource),
    finding.message]);
}

/**
 * File, line, then resource, code and message, so the same input always prints the same
 * bytes. Resource before code matters only where lines tie: live objects have none, and
 * their findings should stay together per resource.
 */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) {
    if (a.file === undefined) return 1;
    if (b.file === undefined) return -1;
    return a.file < b.file ? -1 : 1;
  }
  const byLine = (a.line ?? 0) - (b.line ?? 0);
  if (byLine !== 0) return byLine;
  const keyA = [a.resource ? displayName(a.resource) : '', a.code, a.message];
  const keyB = [b.resource ? displayName(b.resource) : '', b.code, b.message];
  for (let index = 0; index < keyA.length; index++) {
    if (keyA[index] !== keyB[index]) return (keyA[index] as string) < (keyB[index] as string) ? -1 : 1;
  }
  return 0;
}

export function isAtOrAbove(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export function runAnalysis(input: AnalysisInput, options: RunOptions): FindingsReport {
  const redact = redactor(secretValuesOf(input.objects.map((sourced) => sourced.object)));
  // Built inside the first analyser that asks, so that a failure there is that analyser's, as before.
  let index: ObjectIndex | undefined;
  const shared: AnalysisInput = {...input, index: input.index ?? (() => index ??= indexObjects(input.objects))};
  const analysed = options.analyzers.flatMap((analyzer) => runGuarded(analyzer, shared, ANALYSER_FAILURE));
  const raw = [...(options.inputFindings ?? []),
    ...withinCoverage(analysed, coverageOf(input.objects, input.partial ?? false))].map(redact);
  const annotated = annotationSuppressions(input.objects.map((sourced) => sourced.object));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  let suppressed = 0;
  for (const finding of raw) {
    if (options.isReported && !options.isReported(finding)) continue;
    const key = findingKey(finding);
    if (seen.has(key)) continue;
    seen.add(key);
    if (suppressedByAnnotation(finding, annotated) || suppressedByFlag(finding, options.suppressions ?? [])) {
      suppressed++;
      continue;
    }
    findings.push(finding);
  }
  findings.sort(compareFindings);
  const count = (severity: Severity) => findings.filter((finding) => finding.severity === severity).length;
  return {
    findings,
    summary: {
      objects: input.objects.length,
      files: options.stats?.files ?? 0,
      skippedDocuments: options.stats?.skippedDocuments ?? 0,
      findings: findings.length,
      error: count('error'),
      warning: count('warning'),
      info: count('info'),
      suppressed,
      failOn: options.failOn,
      failed: findings.some((finding) => isAtOrAbove(finding.severity, options.failOn)),
    },
  };
}
